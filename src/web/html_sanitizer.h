#pragma once
// Untrusted HTML reduced to a small, inert subset: what posts written on the web (their
// Markdown rendered to HTML) may show on our pages.

#include <cstddef>
#include <string>
#include <string_view>

namespace rt {

/// Input beyond this many bytes is ignored (a rendered 64 KiB post stays well below it).
inline constexpr std::size_t kMaxSanitizeBytes = 4 * 1024 * 1024;

/// Elements nested deeper than this lose their tags (not their text).
inline constexpr std::size_t kMaxSanitizeDepth = 64;

/// Returns `html` (a UTF-8 fragment, as found inside <body>) parsed as a browser would
/// (gumbo, HTML5) and written out again with only these elements:
///   p br hr h1-h6 strong em b i u s del ins sub sup code pre blockquote ul ol li dl dt
///   dd a table thead tbody tr th td caption
/// - Headings move down two levels (h1 -> h3, h2 -> h4, h3 -> h5, h4-h6 -> h6): our pages
///   use h1 and h2 for their own titles.
/// - Attributes: a[href] only when its scheme is http, https or mailto (entities decoded,
///   leading/trailing spaces and controls trimmed and tabs/newlines removed, as browsers
///   do; relative and protocol-relative URLs are dropped too); every kept <a> gets
///   rel="nofollow ugc noopener", an <a> without an acceptable href loses its tag; ol[start]
///   (an integer); th/td[align] (left, center, right); code[class] ("language-x", x in
///   [a-z0-9+-], lower-cased). Nothing else (no style, no on*, no id).
/// - <img> is dropped (remote images track readers, and the CSP forbids them anyway);
///   its alt text stays.
/// - script style iframe object embed template noscript svg math head title textarea
///   select noembed noframes, and comments, are dropped with everything inside them.
/// - Every other element loses its tags and keeps its text (block-level ones leave a line
///   break so words do not run together).
/// The result is well-formed: text and attribute values are escaped, every element is
/// closed, void elements are written "<br />", so it also reads as XML (feeds).
///
/// Never fails. Bounded work: input beyond kMaxSanitizeBytes is ignored and elements
/// nested deeper than kMaxSanitizeDepth lose their tags before gumbo sees them (gumbo's
/// tree construction is quadratic in nesting depth). Thread-safe (no shared state).
std::string SanitizeHtml(std::string_view html);

}  // namespace rt
