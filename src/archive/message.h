#pragma once
// Plain data that flows through an import: raw messages from a source, parsed ones
// on their way to the store.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rt {

/// The container a raw message came from; decides how it is parsed and exported.
/// kWeb: written on this site (its body is Markdown); kLmtp: received by the mail gateway.
enum class SourceFormat { kMbox, kMaildir, kEml, kPipermailText, kPipermailHtml, kWeb, kLmtp };

const char* SourceFormatName(SourceFormat format);

/// One message's bytes as found in a source, before any parsing.
struct RawMessage {
  std::string bytes;     ///< exactly as stored in the source (mbox "From " escaping undone)
  std::string envelope;  ///< mbox "From " line without "From " and line ending; else empty
  std::string source;    ///< file the bytes came from
  std::uint64_t offset = 0;  ///< byte offset in the (decompressed) source
  SourceFormat format = SourceFormat::kEml;
  bool truncated = false;  ///< the source held more than kMaxMessageBytes; the rest was cut
};

struct ParsedAttachment {
  std::string filename;
  std::string content_type;
  std::string data;        ///< decoded bytes (released once compressed)
  std::string hash;        ///< hex BLAKE2b-256 of data: the content address
  std::size_t size = 0;    ///< of data
  std::string compressed;  ///< zstd of data, made on the worker thread
};

/// Everything the store needs of a message; produced by the parser on a worker thread.
struct ParsedMessage {
  std::string message_id;               ///< without <>; empty when missing
  std::vector<std::string> references;  ///< References then In-Reply-To, oldest first, no duplicates
  std::string subject;                  ///< decoded to UTF-8
  std::string from_name;
  std::string from_address;             ///< normalised (see people/address.h); may be empty
  std::optional<std::int64_t> date;     ///< Unix seconds UTC
  std::string list_hint;                ///< list name from the List-Id header
  std::string list_tag;                 ///< list name from the [tag] in the subject
  std::string body_text;                ///< UTF-8 plain text shown to readers
  std::string body_html;                ///< UTF-8 HTML alternative, if any
  std::string structure;                ///< EncodeSegments() of body_text
  std::string language;                 ///< "en", "fr" ... or ""
  std::string subject_terms;            ///< normalised index terms, space-separated
  std::string body_terms;               ///< of the author's own words only
  std::vector<ParsedAttachment> attachments;
  std::vector<std::string> warnings;    ///< what was repaired or guessed, for the record
  std::string body_text_z;              ///< zstd of body_text, made on the worker thread
  std::string body_html_z;              ///< zstd of body_html ("" when there is none)
};

/// A raw message with what the workers made of it: either parsed, or a reason to
/// quarantine it.
struct ImportItem {
  RawMessage raw;
  std::size_t raw_size = 0;     ///< of raw.bytes, which the store does not otherwise read
  std::string raw_hash;         ///< hex BLAKE2b-256 of raw.bytes
  std::string compressed_raw;   ///< zstd of raw.bytes
  std::optional<ParsedMessage> parsed;
  std::string quarantine_reason;  ///< set when parsed is empty
};

}  // namespace rt
