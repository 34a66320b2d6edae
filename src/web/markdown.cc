#include "web/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mime/charset.h"
#include "util/utf8_prefix.h"
#include "web/html_sanitizer.h"

namespace rt {
namespace {

// Longest author name kept in a reply's "wrote:" line.
constexpr std::size_t kMaxAuthorBytes = 200;

// cmark_gfm_core_extensions_ensure_registered() guards itself with a plain static int,
// and registering twice aborts the process.
std::once_flag extensions_registered;

// cmark-gfm adds each attached extension's special characters to a process-wide table
// when a parse starts inlines and removes them when it ends, so a parse running beside
// another would miss "~" (or worse, under a different set of extensions).
std::mutex cmark_mutex;

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// Whether a line could be a table's delimiter row ("|---|:-:|"), allowing for the
// markers of the blockquotes and list items around it.
bool MayBeDelimiterRow(std::string_view line) {
  if (line.find('-') == std::string_view::npos) return false;
  return line.find_first_not_of(" \t\r|:->*+.)0123456789") == std::string_view::npos;
}

// An upper bound on the cells the table extension would make of `source`: for each
// possible delimiter row, its columns (no more than the pipes in it and in the header
// line above, plus one) times the lines up to the next blank line, which ends a table.
std::size_t TableCellBound(std::string_view source) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= source.size();) {
    std::size_t end = source.find('\n', start);
    if (end == std::string_view::npos) end = source.size();
    lines.push_back(source.substr(start, end - start));
    start = end + 1;
  }
  // next_blank[i]: index of the first blank line at or after line i.
  std::vector<std::size_t> next_blank(lines.size() + 1, lines.size());
  for (std::size_t i = lines.size(); i-- > 0;) next_blank[i] = IsBlank(lines[i]) ? i : next_blank[i + 1];
  std::size_t cells = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (!MayBeDelimiterRow(lines[i]) || IsBlank(lines[i - 1])) continue;
    std::size_t columns = std::min(std::count(lines[i].begin(), lines[i].end(), '|'),
                                   std::count(lines[i - 1].begin(), lines[i - 1].end(), '|')) + 1;
    std::size_t rows = next_blank[i] - i + 1;
    cells += columns * rows;
    if (cells > kMaxTableCells) break;
  }
  return cells;
}

std::string CmarkToHtml(std::string_view source, bool tables) {
  std::call_once(extensions_registered, cmark_gfm_core_extensions_ensure_registered);
  // CMARK_OPT_UNSAFE stays off: raw HTML and dangerous URLs are left out.
  const int options = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_HARDBREAKS;
  std::lock_guard<std::mutex> lock(cmark_mutex);
  cmark_parser* parser = cmark_parser_new(options);
  for (const char* name : {"table", "strikethrough", "autolink", "tagfilter"}) {
    if (!tables && std::string_view(name) == "table") continue;
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser, extension);
    }
  }
  cmark_parser_feed(parser, source.data(), source.size());
  cmark_node* document = cmark_parser_finish(parser);
  char* html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser));
  std::string out = html ? html : "";
  cmark_get_default_mem_allocator()->free(html);
  cmark_node_free(document);
  cmark_parser_free(parser);
  return out;
}

// `name` on one line, with the characters Markdown would read as markup escaped.
std::string EscapeAuthor(std::string_view author) {
  std::string valid = MakeValidUtf8(author);
  std::string name;
  for (char c : valid) {
    bool space = static_cast<unsigned char>(c) < 0x20 || c == ' ' || c == 0x7f;
    if (space) {
      if (!name.empty() && name.back() != ' ') name.push_back(' ');
    } else {
      name.push_back(c);
    }
  }
  while (!name.empty() && name.back() == ' ') name.pop_back();
  name = std::string(Utf8Prefix(name, kMaxAuthorBytes));
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    // ':' and the '.' of "www." too, so that a name is not made a link.
    bool escape = std::string_view("\\`*_[]<>&~|:").find(c) != std::string_view::npos ||
                  (c == '.' && i >= 3 && (name.compare(i - 3, 3, "www") == 0 || name.compare(i - 3, 3, "WWW") == 0));
    // At the start of the line: a heading, a list item or a quote.
    if (i == 0 && std::string_view("#+-=>").find(c) != std::string_view::npos) escape = true;
    // "1. Alice" would be an ordered list item.
    if ((c == '.' || c == ')') && i > 0 && i < 10 &&
        std::all_of(name.begin(), name.begin() + i, [](char d) { return d >= '0' && d <= '9'; })) {
      escape = true;
    }
    if (escape) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string RenderMarkdown(std::string_view source) {
  source = Utf8Prefix(source, kMaxMarkdownBytes);
  bool tables = TableCellBound(source) <= kMaxTableCells;
  return SanitizeHtml(CmarkToHtml(source, tables));
}

std::string QuoteForReply(std::string_view author, std::string_view body_text) {
  std::string text = MakeValidUtf8(body_text);
  std::vector<std::string_view> lines;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::size_t end = rest.find_first_of("\r\n");
    std::string_view line = rest.substr(0, end);
    if (end == std::string_view::npos) {
      rest = {};
    } else {
      // "\r\n", "\n" and a lone "\r" each end a line.
      rest.remove_prefix(end + (rest.compare(end, 2, "\r\n") == 0 ? 2 : 1));
    }
    if (line == "-- ") break;  // the signature
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::size_t first = 0;
  while (first < lines.size() && lines[first].empty()) ++first;
  if (first == lines.size()) return "";

  std::string out;
  std::string name = EscapeAuthor(author);
  if (!name.empty()) out.append(name).append(" wrote:\n");
  std::size_t budget = kMaxQuoteBytes;
  std::size_t quoted_lines = 0;
  for (std::size_t i = first; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::size_t cost = line.size() + 3;  // "> " and "\n"
    if (quoted_lines == kMaxQuoteLines || cost > budget) {
      std::string_view part = budget > 3 && quoted_lines < kMaxQuoteLines ? Utf8Prefix(line, budget - 3) : "";
      if (!part.empty()) out.append("> ").append(part).append("\n");
      out.append("> [...]\n");
      break;
    }
    out.append(line.empty() ? ">" : "> ").append(line).append("\n");
    budget -= cost;
    ++quoted_lines;
  }
  out.append("\n");
  return out;
}

}  // namespace rt
