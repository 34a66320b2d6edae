#include "archive/pipermail_page.h"

#include <glib.h>
#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mime/charset.h"
#include "util/ascii.h"

namespace rt {
namespace {

// Pipermail pages are one message each; anything far larger is not one.
constexpr std::size_t kMaxPageBytes = 32 * 1024 * 1024;

// LooksLikePipermailPage reads no further than this.
constexpr std::size_t kMaxSniffBytes = 64 * 1024;

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Runs of whitespace become one space; ends trimmed.
std::string CollapseSpace(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : Trim(s)) {
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool IsValidUtf8(std::string_view s) { return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr); }

// ---------------------------------------------------------------------------------
// Character sets.

// The charset named in a Content-Type value ("text/html; charset=iso-8859-1"), lower case.
std::string CharsetFromContentType(std::string_view content) {
  std::string lower = AsciiLower(content);
  std::size_t pos = lower.find("charset");
  if (pos == std::string::npos) return std::string();
  pos += 7;
  while (pos < lower.size() && IsSpace(lower[pos])) ++pos;
  if (pos >= lower.size() || lower[pos] != '=') return std::string();
  ++pos;
  while (pos < lower.size() && (IsSpace(lower[pos]) || lower[pos] == '"' || lower[pos] == '\'')) ++pos;
  std::size_t end = pos;
  while (end < lower.size() && !IsSpace(lower[end]) && lower[end] != ';' && lower[end] != '"' &&
         lower[end] != '\'') {
    ++end;
  }
  return lower.substr(pos, end - pos);
}

std::optional<std::string> Convert(std::string_view bytes, const char* from) {
  std::string out;
  if (!ConvertToUtf8(bytes, from, &out)) return std::nullopt;
  return out;
}

// The page in UTF-8, or nullopt when its bytes can be parsed as they are. Bytes that
// are valid UTF-8 are kept whatever the page declares (pages are often mislabelled),
// except under the 7-bit encodings (ISO-2022-JP, UTF-7, HZ), whose text is ASCII bytes.
// Otherwise the declared charset is tried, then windows-1252 (what "us-ascii" and
// "iso-8859-1" pages really hold), then ISO-8859-1, which accepts any bytes.
std::optional<std::string> PageToUtf8(std::string_view bytes, const std::string& charset) {
  bool seven_bit = charset.rfind("iso-2022", 0) == 0 || charset.rfind("csiso2022", 0) == 0 ||
                   charset == "utf-7" || charset == "hz-gb-2312";
  if (!seven_bit && IsValidUtf8(bytes)) return std::nullopt;
  if (charset == "utf-8" || charset == "utf8") return MakeValidUtf8(bytes);
  if (!charset.empty()) {
    if (std::optional<std::string> out = Convert(bytes, charset.c_str())) return out;
  }
  if (std::optional<std::string> out = Convert(bytes, "WINDOWS-1252")) return out;
  return Convert(bytes, "ISO-8859-1");
}

// ---------------------------------------------------------------------------------
// The parse tree.

// Owns a gumbo parse of a buffer that must outlive it.
class HtmlTree {
 public:
  explicit HtmlTree(std::string_view html) : options_(kGumboDefaultOptions) {
    // Errors are never read, and recording them costs memory quadratic in nesting.
    options_.max_errors = 0;
    output_ = gumbo_parse_with_options(&options_, html.data(), html.size());
  }
  ~HtmlTree() {
    if (output_ != nullptr) gumbo_destroy_output(&options_, output_);
  }
  HtmlTree(const HtmlTree&) = delete;
  HtmlTree& operator=(const HtmlTree&) = delete;

  const GumboNode* document() const { return output_ == nullptr ? nullptr : output_->document; }

 private:
  GumboOptions options_;
  GumboOutput* output_ = nullptr;
};

bool IsElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

const GumboVector* Children(const GumboNode* node) {
  if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
  if (IsElement(node)) return &node->v.element.children;
  return nullptr;
}

const char* Attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* attribute = gumbo_get_attribute(&node->v.element.attributes, name);
  return attribute == nullptr ? nullptr : attribute->value;
}

// Visits the tree in document order: enter(node) before a node's children, leave(node)
// after them. Iterative, so deep markup cannot exhaust the call stack.
template <typename Enter, typename Leave>
void Walk(const GumboNode* root, Enter enter, Leave leave) {
  struct Frame {
    const GumboNode* node;
    unsigned next;
  };
  std::vector<Frame> stack;
  enter(root);
  stack.push_back(Frame{root, 0});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    const GumboVector* children = Children(frame.node);
    if (children == nullptr || frame.next >= children->length) {
      leave(frame.node);
      stack.pop_back();
      continue;
    }
    const GumboNode* child = static_cast<const GumboNode*>(children->data[frame.next++]);
    enter(child);
    stack.push_back(Frame{child, 0});
  }
}

// The concatenated text below a node, whitespace as in the source.
std::string TextOf(const GumboNode* node) {
  std::string text;
  Walk(
      node,
      [&](const GumboNode* n) {
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
          text.append(n->v.text.text);
        }
      },
      [](const GumboNode*) {});
  return text;
}

bool IsMarker(const GumboNode* node, std::string_view name) {
  return node->type == GUMBO_NODE_COMMENT && AsciiLower(Trim(node->v.text.text)) == name;
}

// What one pass over the page finds.
struct PageScan {
  std::string charset;   // from <meta>, lower case
  std::string title;     // <title>
  std::string h1;        // first <h1> before the article
  std::string bold;      // first <b> before the article
  std::string italic;    // first <i> before the article
  std::string link_text;  // first mailto <a> before the article
  std::string link_href;
  std::string made_href;  // <link rel="made">
  bool has_begin = false;
  bool has_pre = false;
  std::string pre_text;  // text inside <pre> between the markers
  std::string all_text;  // all text between the markers
};

PageScan ScanPage(std::string_view html) {
  PageScan scan;
  HtmlTree tree(html);
  if (tree.document() == nullptr) return scan;
  enum class Where { kHeader, kArticle, kAfter } where = Where::kHeader;
  int pre_depth = 0;
  bool have_title = false, have_h1 = false, have_bold = false, have_italic = false, have_link = false;
  Walk(
      tree.document(),
      [&](const GumboNode* node) {
        if (IsMarker(node, "beginarticle") && where == Where::kHeader) {
          where = Where::kArticle;
          scan.has_begin = true;
          return;
        }
        if (IsMarker(node, "endarticle") && where == Where::kArticle) {
          where = Where::kAfter;
          return;
        }
        if (where == Where::kArticle) {
          if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
              node->type == GUMBO_NODE_CDATA) {
            scan.all_text.append(node->v.text.text);
            if (pre_depth > 0) scan.pre_text.append(node->v.text.text);
          } else if (IsElement(node) && node->v.element.tag == GUMBO_TAG_PRE) {
            ++pre_depth;
            scan.has_pre = true;
          }
          return;
        }
        if (where != Where::kHeader || !IsElement(node)) return;
        switch (node->v.element.tag) {
          case GUMBO_TAG_META: {
            const char* charset = Attribute(node, "charset");
            const char* content = Attribute(node, "content");
            if (charset != nullptr && scan.charset.empty()) scan.charset = AsciiLower(Trim(charset));
            if (content != nullptr && scan.charset.empty()) scan.charset = CharsetFromContentType(content);
            break;
          }
          case GUMBO_TAG_LINK: {
            const char* rel = Attribute(node, "rel");
            const char* href = Attribute(node, "href");
            if (rel != nullptr && href != nullptr && AsciiLower(Trim(rel)) == "made") scan.made_href = href;
            break;
          }
          case GUMBO_TAG_TITLE:
            if (!have_title) scan.title = TextOf(node);
            have_title = true;
            break;
          case GUMBO_TAG_H1:
            if (!have_h1) scan.h1 = TextOf(node);
            have_h1 = true;
            break;
          case GUMBO_TAG_B:
            if (!have_bold) scan.bold = TextOf(node);
            have_bold = true;
            break;
          case GUMBO_TAG_I:
            if (!have_italic) scan.italic = TextOf(node);
            have_italic = true;
            break;
          case GUMBO_TAG_A: {
            const char* href = Attribute(node, "href");
            if (!have_link && href != nullptr && AsciiLower(Trim(href)).rfind("mailto:", 0) == 0) {
              scan.link_href = href;
              scan.link_text = TextOf(node);
              have_link = true;
            }
            break;
          }
          default:
            break;
        }
      },
      [&](const GumboNode* node) {
        if (where == Where::kArticle && IsElement(node) && node->v.element.tag == GUMBO_TAG_PRE && pre_depth > 0) {
          --pre_depth;
        }
      });
  return scan;
}

// ---------------------------------------------------------------------------------
// The mailto link: "mailto:addr?Subject=...&In-Reply-To=...".

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ToLower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// %XX escapes decoded; malformed ones kept as they are.
std::string PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

struct Mailto {
  std::string address;
  std::optional<std::string> subject;
  std::string in_reply_to;
};

// Empty when href is not a mailto link.
Mailto ParseMailto(std::string_view href) {
  Mailto mailto;
  href = Trim(href);
  if (AsciiLower(href.substr(0, 7)) != "mailto:") return mailto;
  href.remove_prefix(7);
  std::size_t query = href.find('?');
  mailto.address = PercentDecode(href.substr(0, query));
  if (query == std::string_view::npos) return mailto;
  std::string_view params = href.substr(query + 1);
  while (!params.empty()) {
    std::size_t amp = params.find('&');
    std::string_view param = params.substr(0, amp);
    params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
    std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key = AsciiLower(Trim(param.substr(0, eq)));
    std::string value = PercentDecode(param.substr(eq + 1));
    if (key == "subject") mailto.subject = value;
    if (key == "in-reply-to") mailto.in_reply_to = value;
  }
  return mailto;
}

// "<id@host>" -> "id@host".
std::string StripAngles(std::string_view id) {
  id = Trim(id);
  if (!id.empty() && id.front() == '<') id.remove_prefix(1);
  if (!id.empty() && id.back() == '>') id.remove_suffix(1);
  return MakeValidUtf8(Trim(id));
}

// How many "Re:" prefixes a subject starts with (before or after a "[list]" tag).
int ReplyPrefixes(std::string_view subject) {
  int count = 0;
  while (true) {
    subject = Trim(subject);
    if (!subject.empty() && subject.front() == '[') {
      std::size_t close = subject.find(']');
      if (close == std::string_view::npos) break;
      subject.remove_prefix(close + 1);
      continue;
    }
    if (subject.size() >= 3 && ToLower(subject[0]) == 'r' && ToLower(subject[1]) == 'e' && subject[2] == ':') {
      subject.remove_prefix(3);
      ++count;
      continue;
    }
    break;
  }
  return count;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// What pipermail's obfuscation rewrites on either side of the '@' (its pattern is
// [-+,.\w]+@[-+.\w]+), less the comma, which in a header separates addresses.
bool IsLocalChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '+' || c == '.' || c == '_' || c == '=' || c == '\'';
}
bool IsLabelChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '_'; }

// Whether `word` (lower case, e.g. " dot ") occurs at text[pos], in any case.
bool MatchesNoCase(std::string_view text, std::size_t pos, std::string_view word) {
  if (pos > text.size() || text.size() - pos < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (ToLower(text[pos + k]) != word[k]) return false;
  }
  return true;
}

// Position of `word` at or after `from`, in any case; npos if none.
std::size_t FindWordNoCase(std::string_view text, std::size_t from, std::string_view word) {
  for (std::size_t i = from; i + word.size() <= text.size(); ++i) {
    if (MatchesNoCase(text, i, word)) return i;
  }
  return std::string_view::npos;
}

}  // namespace

bool LooksLikePipermailPage(std::string_view head) {
  head = head.substr(0, std::min(head.size(), kMaxSniffBytes));
  std::string lower = AsciiLower(head);
  if (lower.find("<!--beginarticle-->") != std::string::npos) return true;
  // The head every pipermail message page has: an index link and a mailto "made" link.
  return lower.find("<link rel=\"index\" href=\"index.html\"") != std::string::npos &&
         lower.find("<link rel=\"made\" href=\"mailto:") != std::string::npos;
}

Status ParsePipermailPage(std::string_view html, PipermailPage* out) {
  if (html.size() > kMaxPageBytes) {
    return Status::InvalidArgument("pipermail page of " + std::to_string(html.size()) + " bytes exceeds the " +
                                   std::to_string(kMaxPageBytes) + "-byte limit");
  }
  PageScan scan = ScanPage(html);
  // Parsed once to read the declared charset (ASCII, so readable whatever the bytes);
  // parsed again only if the bytes had to be converted.
  std::optional<std::string> utf8 = PageToUtf8(html, scan.charset);
  if (utf8.has_value()) scan = ScanPage(*utf8);
  if (!scan.has_begin) return Status::BadFormat("not a pipermail message page: no <!--beginarticle--> marker");

  PipermailPage page;
  page.subject = CollapseSpace(scan.h1.empty() ? scan.title : scan.h1);
  page.author_name = CollapseSpace(scan.bold);
  page.date = std::string(Trim(scan.italic));

  std::string_view href = scan.link_href.empty() ? std::string_view(scan.made_href) : scan.link_href;
  Mailto mailto = ParseMailto(href);
  // Mailman 2.1 builds the link for replying to this very message: its In-Reply-To is
  // the page's own Message-ID and its Subject is "Re: " + subject (and its address the
  // list's when addresses are hidden). Older pipermail put the message's own
  // In-Reply-To, its subject unchanged and the author's address there.
  bool reply_link = mailto.subject.has_value() &&
                    ReplyPrefixes(*mailto.subject) == ReplyPrefixes(page.subject) + 1;
  std::string id = StripAngles(mailto.in_reply_to);
  if (reply_link) {
    page.message_id = std::move(id);
  } else {
    page.in_reply_to = std::move(id);
  }
  page.author_address = DeobfuscateAddress(CollapseSpace(scan.link_text));
  if (page.author_address.empty() && !reply_link) {
    page.author_address = DeobfuscateAddress(CollapseSpace(MakeValidUtf8(mailto.address)));
  }
  if (scan.has_pre) {
    page.body = std::move(scan.pre_text);
  } else {
    // Lists archived with SHOWHTML/SHOWBR have no <pre>; the text between the
    // markers is the body, less the newlines the template puts around it.
    std::string_view body = scan.all_text;
    while (!body.empty() && (body.front() == '\n' || body.front() == '\r')) body.remove_prefix(1);
    while (!body.empty() && IsSpace(body.back())) body.remove_suffix(1);
    page.body = std::string(body);
  }
  *out = std::move(page);
  return Status::Ok();
}

std::string DeobfuscateAddress(std::string_view text) {
  std::string out;
  std::size_t copied = 0;  // text[0, copied) is in out
  std::size_t search = 0;
  while (true) {
    std::size_t at = FindWordNoCase(text, search, " at ");
    if (at == std::string_view::npos) break;
    search = at + 1;
    // The local part: the run of address characters before " at ", plus any
    // "john dot doe" words joined to it.
    std::size_t local_begin = at;
    while (local_begin > copied && IsLocalChar(text[local_begin - 1])) --local_begin;
    if (local_begin == at) continue;
    while (local_begin >= copied + 6 && MatchesNoCase(text, local_begin - 5, " dot ") &&
           IsLocalChar(text[local_begin - 6])) {
      local_begin -= 5;
      while (local_begin > copied && IsLocalChar(text[local_begin - 1])) --local_begin;
    }
    // The domain: labels joined by "." or " dot ", ending in an alphabetic top-level
    // label, so that "meet me at home" or "at 5.30" stay as they are.
    std::vector<std::string_view> labels;
    std::size_t pos = at + 4;
    while (true) {
      std::size_t label_end = pos;
      while (label_end < text.size() && IsLabelChar(text[label_end])) ++label_end;
      if (label_end == pos) break;
      labels.push_back(text.substr(pos, label_end - pos));
      pos = label_end;
      if (pos + 1 < text.size() && text[pos] == '.' && IsLabelChar(text[pos + 1])) {
        pos += 1;
      } else if (MatchesNoCase(text, pos, " dot ") && pos + 5 < text.size() && IsLabelChar(text[pos + 5])) {
        pos += 5;
      } else {
        break;
      }
    }
    if (labels.size() < 2 || labels.back().size() < 2 ||
        !std::all_of(labels.back().begin(), labels.back().end(), [](char c) { return IsAlpha(c); })) {
      continue;
    }
    out.append(text.substr(copied, local_begin - copied));
    std::string_view local = text.substr(local_begin, at - local_begin);
    std::size_t local_pos = 0;
    while (true) {  // "john dot doe" -> "john.doe"
      std::size_t dot = FindWordNoCase(local, local_pos, " dot ");
      out.append(local.substr(local_pos, dot == std::string_view::npos ? local.npos : dot - local_pos));
      if (dot == std::string_view::npos) break;
      out.push_back('.');
      local_pos = dot + 5;
    }
    out.push_back('@');
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out.push_back('.');
      out.append(labels[i]);
    }
    copied = pos;
    search = pos;
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

}  // namespace rt
