#include "mime/html_to_text.h"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "util/utf8_prefix.h"

namespace rt {
namespace {

// Bodies larger than this are cut (at a UTF-8 boundary): beyond it an HTML part is
// inlined images or generated junk, not text anyone wrote.
constexpr std::size_t kMaxHtmlBytes = 4 * 1024 * 1024;

// Block elements nested deeper than this lose their tags (their text stays). gumbo's
// tree construction walks the stack of open elements for each tag, so a body of a
// million "<div>"s would take hours; real mail nests a few dozen deep.
constexpr std::size_t kMaxNesting = 100;

// How far down the open-element stack an end tag or an implicitly closing start tag
// looks for its partner. Bounds the pre-pass to linear time.
constexpr std::size_t kMaxStackSearch = 64;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, std::size_t pos, std::string_view prefix) {
  if (pos > s.size() || s.size() - pos < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ToLower(s[pos + i]) != prefix[i]) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------
// Pre-pass: keeps gumbo's work linear. Removes the tags of inline elements (their
// text stays; they never change the plain text, and the formatting ones among them
// trigger gumbo's costly adoption-agency and reconstruction steps) and the tags of
// block elements nested deeper than kMaxNesting. Everything else is copied unchanged.

bool IsInlineTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A: case GUMBO_TAG_ABBR: case GUMBO_TAG_ACRONYM: case GUMBO_TAG_B:
    case GUMBO_TAG_BDI: case GUMBO_TAG_BDO: case GUMBO_TAG_BIG: case GUMBO_TAG_BLINK:
    case GUMBO_TAG_CITE: case GUMBO_TAG_CODE: case GUMBO_TAG_DATA: case GUMBO_TAG_DEL:
    case GUMBO_TAG_DFN: case GUMBO_TAG_EM: case GUMBO_TAG_FONT: case GUMBO_TAG_I:
    case GUMBO_TAG_INS: case GUMBO_TAG_KBD: case GUMBO_TAG_LABEL: case GUMBO_TAG_MARK:
    case GUMBO_TAG_NOBR: case GUMBO_TAG_Q: case GUMBO_TAG_S: case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SMALL: case GUMBO_TAG_SPAN: case GUMBO_TAG_STRIKE: case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB: case GUMBO_TAG_SUP: case GUMBO_TAG_TIME: case GUMBO_TAG_TT:
    case GUMBO_TAG_U: case GUMBO_TAG_VAR:
      return true;
    default:
      return false;
  }
}

// Elements that never hold children (or are merged into one by the parser): they
// do not deepen the tree.
bool IsFlatTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BASEFONT: case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BR: case GUMBO_TAG_COL: case GUMBO_TAG_EMBED: case GUMBO_TAG_FRAME:
    case GUMBO_TAG_HR: case GUMBO_TAG_IMAGE: case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT:
    case GUMBO_TAG_KEYGEN: case GUMBO_TAG_LINK: case GUMBO_TAG_MENUITEM: case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK: case GUMBO_TAG_WBR:
    case GUMBO_TAG_HTML: case GUMBO_TAG_HEAD: case GUMBO_TAG_BODY:
      return true;
    default:
      return false;
  }
}

// Elements whose content the tokenizer reads as text up to their end tag.
bool IsRawTextTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TITLE: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_XMP: case GUMBO_TAG_IFRAME: case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES:
      return true;
    default:
      return false;
  }
}

// Start tags that close an open <p> first (HTML's "close a p element in button scope").
bool ClosesParagraph(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DD:
    case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_UL: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_FORM: case GUMBO_TAG_LISTING:
      return true;
    default:
      return false;
  }
}

// Elements an end tag or implicit close cannot reach past (HTML's scope boundaries),
// so the estimate errs towards deeper, never shallower, than the real tree.
bool IsScopeBoundary(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_APPLET: case GUMBO_TAG_CAPTION: case GUMBO_TAG_HTML: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_MARQUEE: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_SELECT:
      return true;
    default:
      return false;
  }
}

struct OpenTag {
  GumboTag tag;
  std::string name;  // lower case; what unknown tags (o:p, st1:place) are matched by
  bool dropped;
};

// Index of the stack entry the tag (start or end) pairs with, or npos.
std::size_t FindPartner(const std::vector<OpenTag>& stack, GumboTag tag, std::string_view name,
                        bool is_end) {
  std::size_t limit = std::min(stack.size(), kMaxStackSearch);
  for (std::size_t k = 0; k < limit; ++k) {
    std::size_t i = stack.size() - 1 - k;
    const OpenTag& open = stack[i];
    if (is_end) {
      if (open.tag == tag && (tag != GUMBO_TAG_UNKNOWN || open.name == name)) return i;
      if (IsScopeBoundary(open.tag)) return std::string_view::npos;
      if (tag == GUMBO_TAG_LI && (open.tag == GUMBO_TAG_UL || open.tag == GUMBO_TAG_OL)) {
        return std::string_view::npos;
      }
      continue;
    }
    // A start tag that ends an open sibling: <li> an <li>, <td> a <td>, ...
    switch (tag) {
      case GUMBO_TAG_LI:
        if (open.tag == GUMBO_TAG_LI) return i;
        if (open.tag != GUMBO_TAG_DIV && open.tag != GUMBO_TAG_P && open.tag != GUMBO_TAG_ADDRESS) {
          return std::string_view::npos;
        }
        break;
      case GUMBO_TAG_DD: case GUMBO_TAG_DT:
        if (open.tag == GUMBO_TAG_DD || open.tag == GUMBO_TAG_DT) return i;
        if (open.tag != GUMBO_TAG_DIV && open.tag != GUMBO_TAG_P && open.tag != GUMBO_TAG_ADDRESS) {
          return std::string_view::npos;
        }
        break;
      case GUMBO_TAG_TD: case GUMBO_TAG_TH:
        if (open.tag == GUMBO_TAG_TD || open.tag == GUMBO_TAG_TH) return i;
        if (open.tag == GUMBO_TAG_TR || open.tag == GUMBO_TAG_TABLE) return std::string_view::npos;
        break;
      case GUMBO_TAG_TR:
        if (open.tag == GUMBO_TAG_TR) return i;
        if (open.tag == GUMBO_TAG_TABLE) return std::string_view::npos;
        break;
      case GUMBO_TAG_OPTION: case GUMBO_TAG_P:
        return open.tag == tag ? i : std::string_view::npos;
      default:
        return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

// Position just past the '>' that ends the tag whose name ends at `pos`, or npos when
// the input ends inside the tag. Quoted attribute values may contain '>'.
std::size_t FindTagEnd(std::string_view html, std::size_t pos) {
  while (pos < html.size()) {
    char c = html[pos];
    if (c == '>') return pos + 1;
    ++pos;
    if (c != '=') continue;
    while (pos < html.size() && IsHtmlSpace(html[pos])) ++pos;
    if (pos < html.size() && (html[pos] == '"' || html[pos] == '\'')) {
      std::size_t close = html.find(html[pos], pos + 1);
      if (close == std::string_view::npos) return close;
      pos = close + 1;
    }
  }
  return std::string_view::npos;
}

// Position of "</name" (any case) at or after `pos`, or npos.
std::size_t FindRawTextEnd(std::string_view html, std::size_t pos, std::string_view name) {
  while (true) {
    pos = html.find("</", pos);
    if (pos == std::string_view::npos) return pos;
    std::size_t after = pos + 2 + name.size();
    if (StartsWithNoCase(html, pos + 2, name) &&
        (after >= html.size() || IsHtmlSpace(html[after]) || html[after] == '/' || html[after] == '>')) {
      return pos;
    }
    pos += 2;
  }
}

// Position just past the comment whose text starts at `pos` (after "<!--"), or npos.
// Besides "-->", the tokenizer ends a comment at "<!-->", "<!--->" and "--!>".
std::size_t CommentEnd(std::string_view html, std::size_t pos) {
  if (html.compare(pos, 1, ">") == 0) return pos + 1;
  if (html.compare(pos, 2, "->") == 0) return pos + 2;
  std::size_t end = html.find("--", pos);
  while (end != std::string_view::npos) {
    if (html.compare(end + 2, 1, ">") == 0) return end + 3;
    if (html.compare(end + 2, 2, "!>") == 0) return end + 4;
    end = html.find("--", end + 1);
  }
  return end;
}

std::string FlattenForParsing(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  std::vector<OpenTag> stack;
  // Open <svg>/<math> elements: inside them <style> or <title> is markup, not raw text.
  std::size_t foreign = 0;
  auto pop_to = [&](std::size_t size) {
    while (stack.size() > size) {
      if (stack.back().tag == GUMBO_TAG_SVG || stack.back().tag == GUMBO_TAG_MATH) --foreign;
      stack.pop_back();
    }
  };
  std::size_t copied = 0;  // html[0, copied) has been dealt with
  std::size_t pos = 0;
  auto skip_to = [&](std::string_view terminator, std::size_t from) {
    std::size_t end = html.find(terminator, from);
    return end == std::string_view::npos ? end : end + terminator.size();
  };
  while (pos < html.size()) {
    pos = html.find('<', pos);
    if (pos == std::string_view::npos || pos + 1 >= html.size()) break;
    char next = html[pos + 1];
    if (next == '!' || next == '?') {
      // Comments (Outlook's conditional ones included), doctype and bogus comments
      // (<![if ...]>, <?xml ...>) are copied as they are. They must end exactly where
      // the tokenizer ends them, or markup it parses would escape the depth limit.
      pos = (html.compare(pos, 4, "<!--") == 0) ? CommentEnd(html, pos + 4) : skip_to(">", pos + 2);
      if (pos == std::string_view::npos) break;
      continue;
    }
    bool is_end = next == '/';
    std::size_t name_begin = pos + (is_end ? 2 : 1);
    if (name_begin >= html.size() || !IsAsciiAlpha(html[name_begin])) {
      ++pos;  // a literal '<'
      continue;
    }
    std::size_t name_end = name_begin;
    while (name_end < html.size() && !IsHtmlSpace(html[name_end]) && html[name_end] != '/' &&
           html[name_end] != '>') {
      ++name_end;
    }
    std::size_t tag_end = FindTagEnd(html, name_end);
    if (tag_end == std::string_view::npos) break;  // the parser drops a tag cut off by EOF
    std::string name(html.substr(name_begin, std::min<std::size_t>(name_end - name_begin, 64)));
    for (char& c : name) c = ToLower(c);
    GumboTag tag = gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));

    bool drop = false;
    bool is_block = false;
    if (tag == GUMBO_TAG_PLAINTEXT && !is_end && foreign == 0) {
      break;  // everything after <plaintext> is text
    } else if (IsRawTextTag(tag) && !is_end && foreign == 0) {
      pos = FindRawTextEnd(html, tag_end, name);
      if (pos == std::string_view::npos) break;
      continue;
    } else if (IsInlineTag(tag)) {
      drop = true;
    } else if (IsFlatTag(tag)) {
      // nothing to track
    } else if (is_end) {
      std::size_t partner = FindPartner(stack, tag, name, true);
      if (partner != std::string_view::npos) {
        drop = stack[partner].dropped;
        is_block = true;
        pop_to(partner);
      }
    } else {
      if (ClosesParagraph(tag) && !stack.empty() && stack.back().tag == GUMBO_TAG_P) pop_to(stack.size() - 1);
      std::size_t sibling = FindPartner(stack, tag, name, false);
      if (sibling != std::string_view::npos) pop_to(sibling);
      drop = stack.size() >= kMaxNesting;
      is_block = true;
      if (tag == GUMBO_TAG_SVG || tag == GUMBO_TAG_MATH) ++foreign;
      stack.push_back(OpenTag{tag, std::move(name), drop});
    }
    if (drop) {
      out.append(html.substr(copied, pos - copied));
      if (is_block) out.push_back(' ');  // keeps the words on either side apart
      copied = tag_end;
    }
    pos = tag_end;
  }
  out.append(html.substr(copied));
  return out;
}

// ---------------------------------------------------------------------------------
// Text output: whitespace collapsing, pending line and paragraph breaks, "> " quote
// prefixes and list markers.

class TextWriter {
 public:
  /// Collapsible text: runs of whitespace (and no-break spaces) become one space.
  void Text(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t space = SpaceLength(text, i);
      if (space > 0) {
        pending_space_ = true;
        i += space;
        continue;
      }
      std::size_t word_end = i;
      while (word_end < text.size() && SpaceLength(text, word_end) == 0) ++word_end;
      Emit(text.substr(i, word_end - i), pending_space_);
      pending_space_ = false;
      i = word_end;
    }
  }

  /// Preformatted text: kept as it is, line by line.
  void PreText(std::string_view text) {
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t newline = text.find('\n', start);
      std::string_view line = text.substr(start, newline == std::string_view::npos ? text.npos : newline - start);
      std::string spaced;
      if (line.find("\xC2\xA0") != std::string_view::npos) {
        for (std::size_t i = 0; i < line.size(); ++i) {
          if (line.compare(i, 2, "\xC2\xA0") == 0) {
            spaced.push_back(' ');
            ++i;
          } else {
            spaced.push_back(line[i]);
          }
        }
        line = spaced;
      }
      if (!line.empty()) Emit(line, pending_space_);
      pending_space_ = false;
      if (newline == std::string_view::npos) break;
      // Blank lines inside <pre> count, so breaks add up instead of merging.
      pending_breaks_ = std::min(pending_breaks_ + 1, 2);
      start = newline + 1;
    }
  }

  void Space() { pending_space_ = true; }
  /// <br>: breaks add up, so <br><br> leaves a blank line.
  void HardBreak() {
    if (marker_.empty()) pending_breaks_ = std::min(pending_breaks_ + 1, 2);
  }
  void LineBreak() { Break(1); }
  void ParagraphBreak() { Break(2); }

  /// The next line starts with a list marker. Items follow each other line by line
  /// (the first keeps the list's own break); breaks inside the item before its first
  /// word are absorbed so "<li><p>x" stays on the marker's line.
  void StartItem(std::string marker, bool first) {
    pending_breaks_ = first ? std::max(pending_breaks_, 1) : 1;
    marker_ = std::move(marker);
  }
  /// An item without text leaves no marker behind.
  void EndItem() {
    marker_.clear();
    LineBreak();
  }
  void SetIndent(std::size_t indent) { indent_ = indent; }
  void EnterQuote() { ++quote_depth_; }
  void LeaveQuote() {
    if (quote_depth_ > 0) --quote_depth_;
  }

  /// Words written so far; lets a caller tell whether an element held any text.
  std::size_t words() const { return words_; }

  std::string Finish() { return Tidy(out_); }

 private:
  // Length of the whitespace character at text[i] (ASCII space or U+00A0), else 0.
  static std::size_t SpaceLength(std::string_view text, std::size_t i) {
    if (IsHtmlSpace(text[i])) return 1;
    if (text.compare(i, 2, "\xC2\xA0") == 0) return 2;
    return 0;
  }

  void Break(int breaks) {
    if (!marker_.empty()) return;  // the item has no text yet
    pending_breaks_ = std::max(pending_breaks_, breaks);
  }

  void Emit(std::string_view word, bool space_before) {
    if (out_.empty()) pending_breaks_ = 0;  // no leading blank lines
    if (pending_breaks_ > 0) {
      // Gmail writes the signature delimiter as "-- <br>"; without the space it is
      // just a dash line.
      if (space_before && LastLineIsDashDash()) out_.push_back(' ');
      out_.push_back('\n');
      if (pending_breaks_ > 1) {
        out_.append(QuotePrefix(std::min(line_quote_depth_, quote_depth_)));
        out_.push_back('\n');
      }
      pending_breaks_ = 0;
      at_line_start_ = true;
    }
    if (at_line_start_) {
      if (quote_depth_ > 0) {
        out_.append(QuotePrefix(quote_depth_));
        out_.push_back(' ');
      }
      if (!marker_.empty()) {
        out_.append(indent_ - std::min(indent_, marker_.size()), ' ');
        out_.append(marker_);
        marker_.clear();
      } else {
        out_.append(indent_, ' ');
      }
      line_quote_depth_ = quote_depth_;
      at_line_start_ = false;
    } else if (space_before) {
      out_.push_back(' ');
    }
    out_.append(word);
    ++words_;
  }

  bool LastLineIsDashDash() const {
    std::size_t start = out_.rfind('\n');
    start = start == std::string::npos ? 0 : start + 1;
    while (start < out_.size() && (out_[start] == '>' || out_[start] == ' ')) ++start;
    return out_.compare(start, std::string::npos, "--") == 0;
  }

  static std::string QuotePrefix(int depth) {
    std::string prefix;
    for (int i = 0; i < depth; ++i) prefix.append(i == 0 ? ">" : " >");
    return prefix;
  }

  // Strips trailing blanks from every line, keeps at most one blank line in a row,
  // and drops blank lines at either end. The signature delimiter "-- " keeps its
  // space: that is what tells a signature from a dash line (RFC 3676 4.3).
  static std::string Tidy(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    bool blank_pending = false;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::size_t last = end;
      while (last > start && (text[last - 1] == ' ' || text[last - 1] == '\t' || text[last - 1] == '\r')) --last;
      std::size_t content = start;
      while (content < end && (text[content] == '>' || text[content] == ' ')) ++content;
      if (text.compare(content, end - content, "-- ") == 0) last = end;
      if (last == start) {
        blank_pending = !out.empty();
      } else {
        if (!out.empty()) out.append(blank_pending ? "\n\n" : "\n");
        blank_pending = false;
        out.append(text, start, last - start);
      }
      start = end + 1;
    }
    return out;
  }

  std::string out_;
  int pending_breaks_ = 0;
  bool pending_space_ = false;
  bool at_line_start_ = true;
  int quote_depth_ = 0;
  int line_quote_depth_ = 0;  // quote depth of the last line written
  std::size_t indent_ = 0;
  std::string marker_;
  std::size_t words_ = 0;
};

// ---------------------------------------------------------------------------------
// Tree walk.

// The lower-case tag name gumbo kept for an element it does not know (o:p, xml).
std::string UnknownTagName(const GumboElement& element) {
  std::string name;
  const GumboStringPiece& original = element.original_tag;
  if (original.data == nullptr || original.length < 2 || original.data[0] != '<') return name;
  for (std::size_t i = 1; i < original.length && name.size() < 64; ++i) {
    char c = original.data[i];
    if (IsHtmlSpace(c) || c == '/' || c == '>') break;
    name.push_back(ToLower(c));
  }
  return name;
}

bool HasMsoClass(const GumboElement& element) {
  const GumboAttribute* cls = gumbo_get_attribute(&element.attributes, "class");
  return cls != nullptr && StartsWithNoCase(cls->value, 0, "mso");
}

enum class Block { kNone, kLine, kParagraph };

Block BlockKind(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE: case GUMBO_TAG_LISTING: case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_HR: case GUMBO_TAG_DL: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIELDSET:
      return Block::kParagraph;
    case GUMBO_TAG_DIV: case GUMBO_TAG_TR: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_CENTER:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_NAV:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_CAPTION: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_LEGEND: case GUMBO_TAG_FORM: case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_BODY: case GUMBO_TAG_OPTION: case GUMBO_TAG_TEXTAREA:
      return Block::kLine;
    default:
      return Block::kNone;
  }
}

bool IsSkippedTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_STYLE: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_IFRAME: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_APPLET: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_DATALIST: case GUMBO_TAG_MAP: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO: case GUMBO_TAG_CANVAS:
      return true;
    default:
      return false;
  }
}

class Renderer {
 public:
  std::string Render(const GumboNode* root) {
    // Iterative, so no input can exhaust the call stack.
    std::vector<Frame> stack;
    if (Enter(root)) stack.push_back(Frame{root, 0, 0});
    while (!stack.empty()) {
      Frame& frame = stack.back();
      const GumboVector& children = frame.node->v.element.children;
      if (frame.next_child >= children.length) {
        Leave(frame);
        stack.pop_back();
        continue;
      }
      const GumboNode* child = static_cast<const GumboNode*>(children.data[frame.next_child++]);
      if (Enter(child)) stack.push_back(Frame{child, 0, writer_.words()});
    }
    return writer_.Finish();
  }

 private:
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
    std::size_t words_at_start;
  };
  struct List {
    bool ordered;
    int items;
  };

  // Handles the start of a node; true when its children should be walked.
  bool Enter(const GumboNode* node) {
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        if (pre_depth_ > 0) {
          writer_.PreText(node->v.text.text);
        } else {
          writer_.Text(node->v.text.text);
        }
        return false;
      case GUMBO_NODE_COMMENT:
        return false;
      case GUMBO_NODE_DOCUMENT:
        return true;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        break;
    }
    const GumboElement& element = node->v.element;
    GumboTag tag = element.tag;
    if (IsSkippedTag(tag)) return false;
    if (tag == GUMBO_TAG_UNKNOWN) {
      // Word's <o:p> holds only the &nbsp; of an empty paragraph; <xml> its settings.
      std::string name = UnknownTagName(element);
      return name != "o:p" && name != "xml";
    }
    switch (tag) {
      case GUMBO_TAG_BR:
        writer_.HardBreak();
        return false;
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        writer_.Space();
        return true;
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL:
      case GUMBO_TAG_MENU:
      case GUMBO_TAG_DIR:
        ListBreak();
        lists_.push_back(List{tag == GUMBO_TAG_OL, 0});
        writer_.SetIndent(2 * lists_.size());
        return true;
      case GUMBO_TAG_LI:
        StartItem();
        return true;
      case GUMBO_TAG_BLOCKQUOTE:
        writer_.ParagraphBreak();
        writer_.EnterQuote();
        return true;
      case GUMBO_TAG_PRE:
      case GUMBO_TAG_LISTING:
      case GUMBO_TAG_PLAINTEXT:
      case GUMBO_TAG_TEXTAREA:
        ++pre_depth_;
        break;
      default:
        break;
    }
    StartBlock(element);
    return true;
  }

  void Leave(const Frame& frame) {
    if (frame.node->type != GUMBO_NODE_ELEMENT && frame.node->type != GUMBO_NODE_TEMPLATE) return;
    const GumboElement& element = frame.node->v.element;
    switch (element.tag) {
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL:
      case GUMBO_TAG_MENU:
      case GUMBO_TAG_DIR:
        if (!lists_.empty()) lists_.pop_back();
        writer_.SetIndent(2 * lists_.size());
        ListBreak();
        return;
      case GUMBO_TAG_LI:
        writer_.EndItem();
        return;
      case GUMBO_TAG_BLOCKQUOTE:
        writer_.LeaveQuote();
        writer_.ParagraphBreak();
        return;
      case GUMBO_TAG_PRE:
      case GUMBO_TAG_LISTING:
      case GUMBO_TAG_PLAINTEXT:
      case GUMBO_TAG_TEXTAREA:
        --pre_depth_;
        break;
      default:
        break;
    }
    if (IsWordParagraph(element) && writer_.words() == frame.words_at_start) {
      // An empty Word paragraph (<o:p>&nbsp;</o:p>) is how Outlook writes a blank line.
      writer_.HardBreak();
      writer_.HardBreak();
      return;
    }
    StartBlock(element);  // the break after a block is the same as the one before it
  }

  // Word marks its paragraphs class="MsoNormal" and styles them without margins:
  // a reader shows them as plain lines, so they break like <div>, not like <p>.
  static bool IsWordParagraph(const GumboElement& element) {
    return element.tag == GUMBO_TAG_P && HasMsoClass(element);
  }

  void StartBlock(const GumboElement& element) {
    Block kind = IsWordParagraph(element) ? Block::kLine : BlockKind(element.tag);
    if (kind == Block::kParagraph) writer_.ParagraphBreak();
    if (kind == Block::kLine) writer_.LineBreak();
  }

  // A list on its own is a paragraph; one nested in an item continues the item.
  void ListBreak() {
    if (lists_.empty()) {
      writer_.ParagraphBreak();
    } else {
      writer_.LineBreak();
    }
  }

  void StartItem() {
    if (lists_.empty()) {  // a stray <li>
      writer_.StartItem("- ", false);
      return;
    }
    List& list = lists_.back();
    ++list.items;
    std::string marker = list.ordered ? std::to_string(list.items) + ". " : "- ";
    writer_.StartItem(std::move(marker), list.items == 1);
  }

  TextWriter writer_;
  std::vector<List> lists_;
  int pre_depth_ = 0;
};

}  // namespace

std::string HtmlToText(std::string_view html) {
  std::string flat = FlattenForParsing(Utf8Prefix(html, kMaxHtmlBytes));
  GumboOptions options = kGumboDefaultOptions;
  // Recording errors costs memory quadratic in nesting depth and we never read them.
  options.max_errors = 0;
  GumboOutput* output = gumbo_parse_with_options(&options, flat.data(), flat.size());
  if (output == nullptr) return std::string();
  std::string text = Renderer().Render(output->document);
  gumbo_destroy_output(&options, output);
  return text;
}

}  // namespace rt
