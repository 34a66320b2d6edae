#include "web/html_sanitizer.h"

#include <gumbo.h>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/html_escape.h"
#include "util/utf8_prefix.h"

namespace rt {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// How far down the open-element stack an end tag looks for its start tag; keeps the
// pre-pass linear.
constexpr std::size_t kMaxStackSearch = 64;

// Longest href kept; longer ones are data smuggled in a URL, not a link.
constexpr std::size_t kMaxHrefBytes = 4096;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToLower(c);
  return out;
}

bool StartsWithNoCase(std::string_view s, std::size_t pos, std::string_view prefix) {
  if (pos > s.size() || s.size() - pos < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ToLower(s[pos + i]) != prefix[i]) return false;
  }
  return true;
}

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (name == n) return true;
  }
  return false;
}

// =====================================================================================
// Pre-pass. gumbo's tree construction walks the stack of open elements for most tags,
// so deeply nested input (64 KiB of "<b>", or of Markdown ">") costs it seconds. The
// pre-pass tokenizes the input itself and writes a canonical, balanced equivalent for
// gumbo: comments, doctypes and the elements whose content is dropped anyway are
// removed, every tag is rewritten as <name attr="value"> with only the attributes the
// sanitizer may keep, a '<' that starts no tag becomes "&lt;", every element is closed
// explicitly in the order it was opened, and start tags beyond kMaxSanitizeDepth are
// left out. Since gumbo then tokenizes exactly what the pre-pass decided, and every
// element is closed before its parent, gumbo's stack is never much deeper than the
// pre-pass's (only table sections it adds and formatting elements it reopens), so its
// work stays linear. Safety does not rest on the pre-pass: the writer below checks
// every node of gumbo's tree against the allow-list.

bool IsVoid(std::string_view name) {
  return IsOneOf(name, {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image",
                        "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"});
}

// Tags left out while their content stays (they would only restructure the document;
// gumbo expands <isindex> into a form with English prompt text).
bool IsIgnoredTag(std::string_view name) {
  return IsOneOf(name, {"html", "head", "body", "frameset", "frame", "isindex"});
}

// Elements whose content the tokenizer reads as text up to their end tag, all dropped
// with their content by the sanitizer.
bool IsDroppedRawText(std::string_view name) {
  return IsOneOf(name, {"script", "style", "iframe", "noembed", "noframes", "noscript", "textarea", "title"});
}

// Elements whose markup content the sanitizer drops: removed up to their end tag.
bool IsDroppedSubtree(std::string_view name) {
  return IsOneOf(name, {"svg", "math", "object", "template", "select", "applet"});
}

// Elements that lose their tags without separating the words around them.
bool IsInline(std::string_view name) {
  return IsOneOf(name, {"a",    "abbr", "b",      "bdi",  "bdo", "big",    "cite", "code", "data",
                        "del",  "dfn",  "em",     "font", "i",   "ins",    "kbd",  "mark", "nobr",
                        "q",    "s",    "samp",   "small", "span", "strike", "strong", "sub", "sup",
                        "time", "tt",   "u",      "var"});
}

bool IsHeadingName(std::string_view name) { return IsOneOf(name, {"h1", "h2", "h3", "h4", "h5", "h6"}); }

// Start tags that end an open <p> (HTML's "close a p element").
bool ClosesParagraph(std::string_view name) {
  return IsHeadingName(name) ||
         IsOneOf(name, {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
                        "div", "dl", "dd", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header",
                        "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "pre", "section",
                        "summary", "table", "ul"});
}

// Attributes the writer may keep; the others are not worth carrying to gumbo.
bool IsUsefulAttribute(std::string_view name) { return IsOneOf(name, {"href", "start", "align", "class", "alt"}); }

struct Tag {
  std::string name;  // lower case
  std::vector<std::pair<std::string, std::string>> attributes;  // useful ones, values as written
  bool self_closing = false;
  std::size_t end = 0;  // just past the '>'
};

// Reads the tag whose name starts at `pos` (after "<" or "</"), following the HTML
// tokenizer's states for tag names and attributes; false when the input ends inside it.
bool ParseTag(std::string_view html, std::size_t pos, Tag* tag) {
  std::size_t n = html.size();
  std::size_t name_end = pos;
  while (name_end < n && !IsHtmlSpace(html[name_end]) && html[name_end] != '/' && html[name_end] != '>') ++name_end;
  tag->name = Lower(html.substr(pos, name_end - pos));
  pos = name_end;
  while (true) {
    bool slash = false;
    while (pos < n && (IsHtmlSpace(html[pos]) || html[pos] == '/')) {
      slash = html[pos] == '/';
      ++pos;
    }
    if (pos >= n) return false;
    if (html[pos] == '>') {
      tag->self_closing = slash;
      tag->end = pos + 1;
      return true;
    }
    // An attribute name; a leading '=' belongs to it.
    std::size_t name_begin = pos++;
    while (pos < n && !IsHtmlSpace(html[pos]) && html[pos] != '/' && html[pos] != '>' && html[pos] != '=') ++pos;
    std::string attribute = Lower(html.substr(name_begin, pos - name_begin));
    while (pos < n && IsHtmlSpace(html[pos])) ++pos;
    std::string_view value;
    if (pos < n && html[pos] == '=') {
      ++pos;
      while (pos < n && IsHtmlSpace(html[pos])) ++pos;
      if (pos >= n) return false;
      char quote = html[pos];
      if (quote == '"' || quote == '\'') {
        std::size_t close = html.find(quote, pos + 1);
        if (close == npos) return false;
        value = html.substr(pos + 1, close - pos - 1);
        pos = close + 1;
      } else {
        std::size_t begin = pos;
        while (pos < n && !IsHtmlSpace(html[pos]) && html[pos] != '>') ++pos;
        value = html.substr(begin, pos - begin);
      }
    }
    if (!IsUsefulAttribute(attribute)) continue;
    bool seen = false;  // the first of duplicate attributes wins, as in HTML
    for (const auto& a : tag->attributes) seen = seen || a.first == attribute;
    if (!seen) tag->attributes.emplace_back(std::move(attribute), std::string(value));
  }
}

// Position just past the comment whose text starts at `pos` (after "<!--"), or the end
// of the input. Besides "-->", the tokenizer ends a comment at "<!-->", "<!--->" and "--!>".
std::size_t CommentEnd(std::string_view html, std::size_t pos) {
  if (html.compare(pos, 1, ">") == 0) return pos + 1;
  if (html.compare(pos, 2, "->") == 0) return pos + 2;
  for (std::size_t end = html.find("--", pos); end != npos; end = html.find("--", end + 1)) {
    if (html.compare(end + 2, 1, ">") == 0) return end + 3;
    if (html.compare(end + 2, 2, "!>") == 0) return end + 4;
  }
  return html.size();
}

class Balancer {
 public:
  explicit Balancer(std::string_view html) : html_(html) {}

  std::string Run() {
    out_.reserve(html_.size() + html_.size() / 8);
    std::size_t n = html_.size();
    while (pos_ < n) {
      std::size_t lt = html_.find('<', pos_);
      if (lt == npos) lt = n;
      if (skip_depth_ == 0) out_.append(html_.substr(pos_, lt - pos_));
      pos_ = lt;
      if (lt == n) break;
      char next = lt + 1 < n ? html_[lt + 1] : '\0';
      bool end_tag = next == '/' && lt + 2 < n && IsAsciiAlpha(html_[lt + 2]);
      if (IsAsciiAlpha(next) || end_tag) {
        Tag tag;
        if (!ParseTag(html_, lt + (end_tag ? 2 : 1), &tag)) break;  // the parser drops it too
        pos_ = tag.end;
        if (end_tag) {
          EndTag(tag);
        } else {
          StartTag(tag);
        }
      } else if (html_.compare(lt, 4, "<!--") == 0) {
        pos_ = CommentEnd(html_, lt + 4);
      } else if (next == '!' || next == '?' || next == '/') {
        // Doctype, CDATA, processing instruction or bogus comment: up to the next '>'.
        std::size_t gt = html_.find('>', lt + 1);
        pos_ = gt == npos ? n : gt + 1;
      } else {
        if (skip_depth_ == 0) out_.append("&lt;");
        pos_ = lt + 1;
      }
    }
    while (!stack_.empty()) Pop();
    return std::move(out_);
  }

 private:
  struct Open {
    std::string name;
    bool kept;
    std::size_t weight;  // depth it adds when kept
  };

  void StartTag(const Tag& tag) {
    const std::string& name = tag.name;
    if (IsDroppedRawText(name) || name == "xmp") {
      std::size_t end = RawTextEnd(name);
      // <xmp> shows its content as text: keep it as (escaped) text.
      if (name == "xmp" && skip_depth_ == 0) AppendHtmlEscaped(out_, html_.substr(pos_, end - pos_));
      pos_ = end;
      SkipEndTag();
      return;
    }
    if (skip_depth_ > 0) {
      if (name == skip_name_ && !tag.self_closing) ++skip_depth_;
      return;
    }
    if (name == "plaintext") {  // everything after it is text
      AppendHtmlEscaped(out_, html_.substr(pos_));
      pos_ = html_.size();
      return;
    }
    if (IsDroppedSubtree(name)) {
      // <svg/> and <math/> are empty elements; other self-closing tags are not.
      if (tag.self_closing && (name == "svg" || name == "math")) return;
      skip_name_ = name;
      skip_depth_ = 1;
      return;
    }
    if (IsIgnoredTag(name)) return;

    // Elements the parser closes implicitly are closed explicitly here.
    if (ClosesParagraph(name) && TopIs({"p"})) Pop();
    if (name == "li") {
      if (TopIs({"li"})) Pop();
    } else if (name == "dt" || name == "dd") {
      if (TopIs({"dt", "dd"})) Pop();
    } else if (name == "td" || name == "th") {
      if (TopIs({"td", "th"})) Pop();
    } else if (name == "tr" || name == "tbody" || name == "thead" || name == "tfoot") {
      if (TopIs({"td", "th"})) Pop();
      if (TopIs({"tr"})) Pop();
      if (name != "tr" && TopIs({"tbody", "thead", "tfoot"})) Pop();
    } else if (IsHeadingName(name)) {
      if (TopIs({"h1", "h2", "h3", "h4", "h5", "h6"})) Pop();
    } else if (name == "option") {
      if (TopIs({"option"})) Pop();
    }

    if (IsVoid(name)) {
      WriteStartTag(tag);
      return;
    }
    // A table adds the tbody and tr the parser may insert on its own.
    std::size_t weight = name == "table" ? 3 : 1;
    if (depth_ + weight > kMaxSanitizeDepth) {
      stack_.push_back(Open{name, false, 0});
      if (!IsInline(name)) Space();
      return;
    }
    depth_ += weight;
    stack_.push_back(Open{name, true, weight});
    WriteStartTag(tag);
  }

  void EndTag(const Tag& tag) {
    const std::string& name = tag.name;
    if (skip_depth_ > 0) {
      if (name == skip_name_ && --skip_depth_ == 0) skip_name_.clear();
      return;
    }
    if (IsIgnoredTag(name) || IsVoid(name)) return;
    // The nearest open element of that name, unless a table boundary lies in between
    // (the parser ignores such an end tag).
    bool table_part = IsOneOf(name, {"table", "caption", "colgroup", "tbody", "thead", "tfoot", "tr", "td", "th"});
    for (std::size_t k = 0; k < stack_.size() && k < kMaxStackSearch; ++k) {
      const std::string& open = stack_[stack_.size() - 1 - k].name;
      if (open == name) {
        std::size_t keep = stack_.size() - 1 - k;
        while (stack_.size() > keep) Pop();
        return;
      }
      if (open == "table") return;
      if (!table_part && IsOneOf(open, {"td", "th", "caption", "marquee"})) return;
      if (name == "li" && IsOneOf(open, {"ul", "ol"})) return;
    }
  }

  bool TopIs(std::initializer_list<std::string_view> names) const {
    return !stack_.empty() && IsOneOf(stack_.back().name, names);
  }

  void Pop() {
    const Open& top = stack_.back();
    if (top.kept) {
      out_.append("</").append(top.name).push_back('>');
      depth_ -= top.weight;
    } else if (!IsInline(top.name)) {
      Space();
    }
    stack_.pop_back();
  }

  // Keeps the words on either side of a left-out block tag apart.
  void Space() {
    if (!out_.empty() && !IsHtmlSpace(out_.back())) out_.push_back(' ');
  }

  void WriteStartTag(const Tag& tag) {
    out_.append("<").append(tag.name);
    for (const auto& [name, value] : tag.attributes) {
      out_.append(" ").append(name).append("=\"");
      // Character references stay as written: the parser decodes them as it would have.
      for (char c : value) {
        if (c == '"') {
          out_.append("&quot;");
        } else {
          out_.push_back(c);
        }
      }
      out_.push_back('"');
    }
    out_.push_back('>');
  }

  // Where the text of a raw-text element opened just before pos_ ends: at "</name"
  // followed by a space, '/' or '>', or at the end of the input.
  std::size_t RawTextEnd(std::string_view name) const {
    for (std::size_t at = html_.find("</", pos_); at != npos; at = html_.find("</", at + 2)) {
      std::size_t after = at + 2 + name.size();
      if (StartsWithNoCase(html_, at + 2, name) &&
          (after >= html_.size() || IsHtmlSpace(html_[after]) || html_[after] == '/' || html_[after] == '>')) {
        return at;
      }
    }
    return html_.size();
  }

  // Skips the end tag at pos_ (as found by RawTextEnd).
  void SkipEndTag() {
    Tag end;
    if (pos_ + 2 < html_.size() && ParseTag(html_, pos_ + 2, &end)) {
      pos_ = end.end;
    } else {
      pos_ = html_.size();
    }
  }

  std::string_view html_;
  std::size_t pos_ = 0;
  std::string out_;
  std::vector<Open> stack_;
  std::size_t depth_ = 0;  // sum of the weights of kept open elements
  std::string skip_name_;  // element being removed with its content
  std::size_t skip_depth_ = 0;
};

// =====================================================================================
// Writer: gumbo's tree back to HTML, allow-listed.

// A URL acceptable as a link target, cleaned the way a browser cleans it before
// reading its scheme; false for anything but http, https and mailto.
bool CleanHref(std::string_view raw, std::string* out) {
  std::size_t begin = 0;
  std::size_t end = raw.size();
  while (begin < end && static_cast<unsigned char>(raw[begin]) <= 0x20) ++begin;
  while (end > begin && static_cast<unsigned char>(raw[end - 1]) <= 0x20) --end;
  out->clear();
  for (std::size_t i = begin; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c < 0x20 || c == 0x7f) return false;
    out->push_back(static_cast<char>(c));
  }
  if (out->empty() || out->size() > kMaxHrefBytes) return false;
  std::size_t colon = out->find(':');
  if (colon == std::string::npos) return false;  // relative, or "//host"
  std::string scheme = Lower(std::string_view(*out).substr(0, colon));
  return scheme == "http" || scheme == "https" || scheme == "mailto";
}

bool ValidStart(std::string_view value) {
  if (!value.empty() && value.front() == '-') value.remove_prefix(1);
  if (value.empty() || value.size() > 9) return false;
  for (char c : value) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

// "language-x" with x in [a-z0-9+-], lower-cased; empty when not acceptable.
std::string CodeClass(std::string_view value) {
  std::string lower = Lower(value);
  constexpr std::string_view kPrefix = "language-";
  if (lower.size() <= kPrefix.size() || lower.size() > 64 || lower.compare(0, kPrefix.size(), kPrefix) != 0) return "";
  for (std::size_t i = kPrefix.size(); i < lower.size(); ++i) {
    char c = lower[i];
    if (!((c >= 'a' && c <= 'z') || IsAsciiDigit(c) || c == '+' || c == '-')) return "";
  }
  return lower;
}

const char* AttributeValue(const GumboElement& element, const char* name) {
  const GumboAttribute* attribute = gumbo_get_attribute(&element.attributes, name);
  return attribute ? attribute->value : nullptr;
}

enum class Action { kKeep, kUnwrap, kUnwrapBlock, kDrop };

Action ActionFor(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_BR: case GUMBO_TAG_HR: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_STRONG:
    case GUMBO_TAG_EM: case GUMBO_TAG_B: case GUMBO_TAG_I: case GUMBO_TAG_U: case GUMBO_TAG_S:
    case GUMBO_TAG_DEL: case GUMBO_TAG_INS: case GUMBO_TAG_SUB: case GUMBO_TAG_SUP: case GUMBO_TAG_CODE:
    case GUMBO_TAG_PRE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_LI:
    case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_A: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TR: case GUMBO_TAG_TH: case GUMBO_TAG_TD:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_IMG:
      return Action::kKeep;
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_APPLET:
    case GUMBO_TAG_COLGROUP: case GUMBO_TAG_COL:
      return Action::kDrop;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR: case GUMBO_TAG_DIV:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_LISTING: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TFOOT: case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
      return Action::kUnwrapBlock;
    default:
      return Action::kUnwrap;
  }
}

class Writer {
 public:
  std::string Run(const GumboNode* root) {
    // Iterative, so no tree can exhaust the call stack.
    std::vector<Frame> stack;
    stack.push_back(Frame{root, 0, nullptr, false});
    while (!stack.empty()) {
      Frame& frame = stack.back();
      const GumboVector& children = frame.node->v.element.children;
      if (frame.next_child >= children.length) {
        if (frame.end_tag != nullptr) out_.append("</").append(frame.end_tag).push_back('>');
        if (frame.block_break) out_.push_back('\n');
        stack.pop_back();
        continue;
      }
      const GumboNode* child = static_cast<const GumboNode*>(children.data[frame.next_child++]);
      switch (child->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
          KeepLeadingNewline(child->v.text.text);
          AppendHtmlEscaped(out_, child->v.text.text);
          break;
        case GUMBO_NODE_ELEMENT: {
          Frame next{child, 0, nullptr, false};
          if (Enter(child, &next)) stack.push_back(next);
          break;
        }
        case GUMBO_NODE_DOCUMENT:
        case GUMBO_NODE_COMMENT:
        case GUMBO_NODE_TEMPLATE:
          break;
      }
    }
    return std::move(out_);
  }

 private:
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
    const char* end_tag;  // written after the children, or null
    bool block_break;     // a line break after the children
  };

  // Writes the start of an element; true when its children are to be walked.
  bool Enter(const GumboNode* node, Frame* frame) {
    const GumboElement& element = node->v.element;
    if (element.tag_namespace != GUMBO_NAMESPACE_HTML) return false;
    switch (ActionFor(element.tag)) {
      case Action::kDrop:
        return false;
      case Action::kUnwrap:
        return true;
      case Action::kUnwrapBlock:
        KeepLeadingNewline("\n");
        out_.push_back('\n');
        frame->block_break = true;
        return true;
      case Action::kKeep:
        break;
    }
    const char* name = gumbo_normalized_tagname(element.tag);
    switch (element.tag) {
      case GUMBO_TAG_IMG:
        if (const char* alt = AttributeValue(element, "alt")) AppendHtmlEscaped(out_, alt);
        return false;
      case GUMBO_TAG_BR:
      case GUMBO_TAG_HR:
        out_.append("<").append(name).append(" />");
        return false;
      case GUMBO_TAG_H1: name = "h3"; break;
      case GUMBO_TAG_H2: name = "h4"; break;
      case GUMBO_TAG_H3: name = "h5"; break;
      case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: name = "h6"; break;
      default: break;
    }
    std::string clean_href;
    if (element.tag == GUMBO_TAG_A) {
      const char* href = AttributeValue(element, "href");
      if (href == nullptr || !CleanHref(href, &clean_href)) return true;  // a link to nowhere is its text
    }
    out_.append("<").append(name);
    switch (element.tag) {
      case GUMBO_TAG_A: {
        out_.append(" href=\"");
        AppendHtmlEscaped(out_, clean_href);
        out_.append("\" rel=\"nofollow ugc noopener\"");
        break;
      }
      case GUMBO_TAG_OL: {
        const char* start = AttributeValue(element, "start");
        if (start != nullptr && ValidStart(start)) out_.append(" start=\"").append(start).push_back('"');
        break;
      }
      case GUMBO_TAG_TH:
      case GUMBO_TAG_TD: {
        const char* align = AttributeValue(element, "align");
        std::string lower = align ? Lower(align) : "";
        if (lower == "left" || lower == "center" || lower == "right") out_.append(" align=\"").append(lower).push_back('"');
        break;
      }
      case GUMBO_TAG_CODE: {
        const char* cls = AttributeValue(element, "class");
        std::string code_class = cls ? CodeClass(cls) : "";
        if (!code_class.empty()) out_.append(" class=\"").append(code_class).push_back('"');
        break;
      }
      default:
        break;
    }
    out_.push_back('>');
    if (element.tag == GUMBO_TAG_PRE) pre_content_at_ = out_.size();
    frame->end_tag = name;
    return true;
  }

  // The parser drops a newline right after <pre>: content that starts with one needs
  // another, or reading the output again would lose it.
  void KeepLeadingNewline(std::string_view text) {
    if (out_.size() == pre_content_at_ && !text.empty() && text[0] == '\n') out_.push_back('\n');
  }

  std::string out_;
  std::size_t pre_content_at_ = std::string::npos;  // where the content of the last <pre> starts
};

}  // namespace

std::string SanitizeHtml(std::string_view html) {
  html = Utf8Prefix(html, kMaxSanitizeBytes);
  std::string balanced = Balancer(html).Run();
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  options.fragment_context = GUMBO_TAG_BODY;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  GumboOutput* output = gumbo_parse_with_options(&options, balanced.data(), balanced.size());
  std::string out = Writer().Run(output->root);
  gumbo_destroy_output(&options, output);
  return out;
}

}  // namespace rt
