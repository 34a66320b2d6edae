#include "web/body_html.h"

#include <vector>

#include "archive/body_structure.h"
#include "util/html_escape.h"
#include "util/utf8_prefix.h"

namespace rt {

namespace {

bool EndsUrl(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '<' || c == '>' || c == '"'; }
bool TrailingPunctuation(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' || c == '\'';
}

std::size_t UrlStart(std::string_view text, std::size_t from) {
  std::size_t best = std::string_view::npos;
  for (std::string_view scheme : {"http://", "https://"}) {
    std::size_t at = text.find(scheme, from);
    if (at < best) best = at;
  }
  return best;
}

// Cuts `text` to about `limit` bytes at a line end (or a character boundary).
std::string_view Shorten(std::string_view text, std::size_t limit, bool* cut) {
  *cut = limit != 0 && text.size() > limit;
  if (!*cut) return text;
  std::size_t end = text.rfind('\n', limit);
  if (end == std::string_view::npos || end < limit / 2) return Utf8Prefix(text, limit);
  return text.substr(0, end);
}

}  // namespace

std::string LinkifyText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t start = UrlStart(text, pos);
    if (start == std::string_view::npos) break;
    std::size_t end = start;
    while (end < text.size() && !EndsUrl(text[end])) ++end;
    while (end > start && TrailingPunctuation(text[end - 1])) --end;
    std::string_view url = text.substr(start, end - start);
    out += HtmlEscape(text.substr(pos, start - pos));
    if (url.find("://") + 3 == url.size()) {  // a bare scheme is no link
      out += HtmlEscape(url);
    } else {
      std::string escaped = HtmlEscape(url);
      out += "<a href=\"" + escaped + "\" rel=\"nofollow ugc noopener\">" + escaped + "</a>";
    }
    pos = end;
  }
  out += HtmlEscape(text.substr(pos));
  return out;
}

std::string RenderBodyHtml(std::string_view text, std::string_view structure, const BodyLabels& labels,
                           std::size_t max_folded_bytes) {
  std::vector<Segment> segments = DecodeSegments(structure);
  if (segments.empty() || segments.back().end > text.size()) segments = {{SegmentKind::kOwn, 0, static_cast<std::uint32_t>(text.size())}};
  std::string out;
  out.reserve(text.size() + 256);
  for (const Segment& seg : segments) {
    std::string_view part = text.substr(seg.begin, seg.end - seg.begin);
    if (seg.kind == SegmentKind::kOwn) {
      out += "<div class=\"own\">" + LinkifyText(part) + "</div>";
      continue;
    }
    const char* css = seg.kind == SegmentKind::kQuote ? "quote" : seg.kind == SegmentKind::kSignature ? "sig" : "footer";
    const std::string& label = seg.kind == SegmentKind::kQuote       ? labels.quote
                               : seg.kind == SegmentKind::kSignature ? labels.signature
                                                                     : labels.footer;
    bool cut = false;
    std::string_view shown = Shorten(part, max_folded_bytes, &cut);
    out += std::string("<details class=\"") + css + "\"><summary>" + HtmlEscape(label) + "</summary><div>" +
           LinkifyText(shown) + (cut ? HtmlEscape(labels.cut) : "") + "</div></details>";
  }
  return out;
}

}  // namespace rt
