#pragma once
// Posts written on the web: Markdown (GitHub's dialect) to HTML fit for our pages, and
// the quoted text a reply starts with.

#include <cstddef>
#include <string>
#include <string_view>

namespace rt {

/// The longest post source RenderMarkdown renders. Callers reject longer posts with a
/// message first; anything beyond is ignored here, so the work stays bounded whatever
/// the caller does.
inline constexpr std::size_t kMaxMarkdownBytes = 64 * 1024;

/// Sources whose tables could have more cells than this are rendered without the table
/// extension (as plain paragraphs): it fills in every missing cell of every row, so a
/// few KiB of "|" make millions of cells.
inline constexpr std::size_t kMaxTableCells = 20000;

/// Renders `source` (UTF-8) to HTML: CommonMark plus GitHub's tables, ~~strikethrough~~,
/// autolinks (https://..., www.example.org, a@example.org) and tag filter. A line break
/// in the source is a line break in the page (<br />), as posts are read as mail too.
/// Safe mode: raw HTML in the source is left out, not passed through, and links or
/// images to javascript:, vbscript:, file: or data: lose their target. The result then
/// goes through SanitizeHtml (web/html_sanitizer.h) as a second line of defence, which
/// also decides what survives: headings move down two levels, images become their alt
/// text, links need an http, https or mailto URL and get rel="nofollow ugc noopener".
///
/// Never fails; invalid UTF-8 becomes U+FFFD. Bounded work: only the first
/// kMaxMarkdownBytes are read (cut at a character boundary), too many table cells turn
/// tables off (kMaxTableCells), and nesting deeper than kMaxSanitizeDepth (">>>>...",
/// "- - - ...", "*****...") loses its tags, not its text. A 64 KiB source renders in
/// tens of milliseconds; the worst found ("a@" repeated, for the autolinker) in 0.15 s.
/// Thread-safe: cmark-gfm flips a process-wide table while it parses, so cmark runs
/// under a mutex (sanitizing runs in parallel).
std::string RenderMarkdown(std::string_view source);

/// QuoteForReply quotes at most this many lines and bytes of the message.
inline constexpr std::size_t kMaxQuoteLines = 100;
inline constexpr std::size_t kMaxQuoteBytes = 8 * 1024;

/// The Markdown a reply form starts with:
///   "Alice wrote:\n> first line\n>\n> second paragraph\n\n"
/// `author` is a display name (shown as written: Markdown characters in it are
/// escaped, line breaks become spaces, at most 200 bytes); when empty there is no
/// "wrote:" line. `body_text` is the message's plain text: line ends normalised, blank
/// lines at either end and trailing blanks dropped, the signature ("-- " line and what
/// follows) left out, existing quotes nested ("> > "). Beyond kMaxQuoteLines lines or
/// kMaxQuoteBytes bytes the quote ends with a "> [...]" line. Returns "" when there is
/// nothing to quote. Addresses are not masked here: pass text as it may be shown.
std::string QuoteForReply(std::string_view author, std::string_view body_text);

}  // namespace rt
