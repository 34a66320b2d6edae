#pragma once
// Which parts of a plain-text mail body the author wrote, and which are quoted
// history, signature or list footer, so views can fold them and search can index
// the author's own words only.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rt {

enum class SegmentKind : std::uint8_t {
  kOwn = 'o',        ///< the author's own words
  kQuote = 'q',      ///< quoted history, attribution lines included ("On ... wrote:")
  kSignature = 's',  ///< from the "-- " delimiter (or a recognised sign-off block) on
  kFooter = 'f',     ///< a mailing-list footer ("You received this message ...", "___ list mailing list")
};

/// A run of whole lines: text[begin, end) in byte offsets of the analysed text.
struct Segment {
  SegmentKind kind;
  std::uint32_t begin;
  std::uint32_t end;
};

/// Splits a plain-text body (UTF-8, any line endings) into consecutive segments that
/// cover it exactly, adjacent segments of the same kind merged. Recognises: ">"-prefixed
/// lines (any depth, also "> >" and " >"), "-----Original Message-----", "On <...> wrote:"
/// and its common translations (Le ... a écrit :, El ... escribió:, Am ... schrieb ...),
/// Outlook header blocks (From:/Sent:/To:/Subject: and their De:/Envoyé:/À:/Objet: forms)
/// after which everything is quote, Lotus ">>> name date time >>>", forwarded-message
/// markers; "-- " signatures; Mailman/Google Groups/Listserv footers at the end.
std::vector<Segment> AnalyzeBody(std::string_view text);

/// Compact storable form, e.g. "o0-120,q120-800,s800-870"; Decode returns an empty
/// vector for malformed input.
std::string EncodeSegments(const std::vector<Segment>& segments);
std::vector<Segment> DecodeSegments(std::string_view encoded);

/// The concatenated text of segments of the given kind (kOwn for indexing).
std::string TextOfKind(std::string_view text, const std::vector<Segment>& segments, SegmentKind kind);

}  // namespace rt
