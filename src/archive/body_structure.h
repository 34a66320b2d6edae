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
  kSignature = 's',  ///< from a "-- " (or "--") delimiter line to the next quote or footer
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
///
/// Segments are runs of whole lines (a line includes its CRLF, LF or lone CR). Blank
/// lines between two quoted lines are quote; next to the author's text they are own.
/// A ">From " line (mboxo escaping) is quote only next to other quoted lines.
/// Never fails: empty text gives no segments; invalid UTF-8 is analysed bytewise.
/// Only the first 4 GiB - 1 bytes of a longer text are analysed, so the last segment
/// then ends there. Linear time; no state, safe to call from any thread.
std::vector<Segment> AnalyzeBody(std::string_view text);

/// Compact storable form, e.g. "o0-120,q120-800,s800-870" (no segments: "").
std::string EncodeSegments(const std::vector<Segment>& segments);
/// Inverse of EncodeSegments. Returns an empty vector for malformed input: anything
/// but that grammar with decimal uint32 offsets, begin > end, or a segment starting
/// before the previous one ends. Offsets are not checked against any text.
std::vector<Segment> DecodeSegments(std::string_view encoded);

/// The concatenated text of segments of the given kind (kOwn for indexing). Segments
/// reaching past the end of `text` are clipped to it, so decoded segments of another
/// text are safe to pass.
std::string TextOfKind(std::string_view text, const std::vector<Segment>& segments, SegmentKind kind);

}  // namespace rt
