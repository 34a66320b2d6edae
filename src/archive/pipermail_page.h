#pragma once
// Mailman 2 "pipermail" per-message HTML pages (000123.html).

#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

/// What a pipermail message page shows of the message it was made from. All strings
/// are UTF-8; a field the page lacks is empty.
struct PipermailPage {
  std::string subject;         ///< from <H1> (else <TITLE>), list tag kept, whitespace collapsed
  std::string author_name;     ///< from the first <B>
  std::string author_address;  ///< from the mailto link's text, de-obfuscated to "x@y"
  std::string date;            ///< as shown in <I>, e.g. "Tue Jan  9 09:22:30 EST 2007"
  /// The parent's Message-ID, without <>: from the mailto link's In-Reply-To parameter
  /// on pages made by pipermail before Mailman 2.1.
  std::string in_reply_to;
  /// This message's Message-ID, without <>. Mailman 2.1 builds the mailto link for
  /// replying to this very message, so its In-Reply-To parameter is the page's own
  /// Message-ID (told apart by the link's Subject, which is "Re: " + subject).
  std::string message_id;
  std::string body;            ///< the <PRE> text between beginarticle and endarticle,
                               ///< entities decoded, markup (auto-links) removed,
                               ///< whitespace exactly as on the page
};

/// True when the first bytes of a file look like a pipermail message page
/// (they contain "<!--beginarticle-->" or pipermail's characteristic head).
/// Reads at most the first 64 KiB of `head`.
bool LooksLikePipermailPage(std::string_view head);

/// Fills *out from the page; *out is left unchanged on failure.
/// BadFormat when the page has no <!--beginarticle--> marker (a page cut off before
/// <!--endarticle--> yields the text up to its end); InvalidArgument when it is larger
/// than 32 MiB. Bytes that are valid UTF-8 are taken as such (unless the page declares
/// a 7-bit charset such as ISO-2022-JP); others are converted from the charset its
/// <META> declares, falling back to windows-1252, then ISO-8859-1.
/// Parsing uses the gumbo HTML parser, never regular expressions. Thread-safe.
Status ParsePipermailPage(std::string_view html, PipermailPage* out);

/// Undoes pipermail's address obfuscation wherever it occurs in `text` (an address
/// alone, or a whole header or "From " line): "jdoe at example.org" -> "jdoe@example.org",
/// also "jdoe at example dot org" and "john dot doe AT example dot org". Only a
/// domain that looks like one (two or more labels, an alphabetic top-level label) is
/// rewritten, so "meet me at home" or "at 5.30" stay; all other text is unchanged.
std::string DeobfuscateAddress(std::string_view text);

}  // namespace rt
