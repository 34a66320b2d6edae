#include "mail/list_message.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "util/ascii.h"

namespace rt {

namespace {

constexpr std::size_t kFoldColumn = 78;
// RFC 5322 2.1.1: 998 characters a line. Room is left for the field name.
constexpr std::size_t kMaxValueToken = 900;
// "=?UTF-8?Q?" + payload + "?=" stays within 60 columns, so "List-Unsubscribe: "
// (18 columns) and one encoded-word fit in 78.
constexpr std::size_t kMaxEncodedWord = 60;
constexpr std::string_view kWordStart = "=?UTF-8?Q?";
constexpr std::string_view kWordEnd = "?=";

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool IsAtext(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Length of the UTF-8 sequence starting at s[i], or 1 for a byte that starts none
// (it is then encoded on its own).
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + n > s.size()) return 1;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return 1;
  return n;
}

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = Utf8Length(s, i);
    if (n == 1 && static_cast<unsigned char>(s[i]) >= 0x80) return false;
    i += n;
  }
  return true;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Control characters (a decoded name may hold an encoded CR LF) as spaces, runs of
// spaces as one, no spaces at the ends.
std::string CleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    char c = IsControl(static_cast<unsigned char>(ch)) ? ' ' : ch;
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string_view> SplitSpaces(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t sp = s.find(' ', start);
    if (sp == std::string_view::npos) sp = s.size();
    words.push_back(s.substr(start, sp - start));
    start = sp + 1;
  }
  return words;
}

// `run` as encoded-words separated by spaces (ignored between encoded-words on
// decoding, so the run's own spaces are encoded as '_').
std::string EncodeWords(std::string_view run) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const std::size_t max_payload = kMaxEncodedWord - kWordStart.size() - kWordEnd.size();
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out.push_back(' ');
    out.append(kWordStart).append(word).append(kWordEnd);
    word.clear();
  };
  for (std::size_t i = 0; i < run.size();) {
    std::size_t n = Utf8Length(run, i);
    std::string piece;
    for (std::size_t k = 0; k < n; ++k) {
      unsigned char c = static_cast<unsigned char>(run[i + k]);
      // RFC 2047 5(3): the characters allowed as they are in a phrase's encoded-word.
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' || c == '*' ||
          c == '+' || c == '-' || c == '/') {
        piece.push_back(static_cast<char>(c));
      } else if (c == ' ') {
        piece.push_back('_');
      } else {
        piece.push_back('=');
        piece.push_back(kHex[c >> 4]);
        piece.push_back(kHex[c & 15]);
      }
    }
    if (word.size() + piece.size() > max_payload) flush();
    word += piece;
    i += n;
  }
  flush();
  return out;
}

// Words that need encoding are encoded in runs; the others stay as they are.
std::string EncodeMixed(std::string_view text, bool (*needs_encoding)(std::string_view)) {
  std::vector<std::string_view> words = SplitSpaces(text);
  std::string out;
  std::size_t i = 0;
  while (i < words.size()) {
    if (!out.empty()) out.push_back(' ');
    if (!needs_encoding(words[i])) {
      out.append(words[i]);
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < words.size() && needs_encoding(words[j])) ++j;
    std::string_view run(words[i].data(), words[j - 1].data() + words[j - 1].size() - words[i].data());
    out += EncodeWords(run);
    i = j;
  }
  return out;
}

bool PhraseWordNeedsEncoding(std::string_view w) {
  // Lenient readers (GMime among them) decode "=?...?=" even inside words and quoted
  // strings, so text that holds one is itself encoded.
  if (w.empty() || w.find("=?") != std::string_view::npos) return true;
  return !std::all_of(w.begin(), w.end(), [](char c) { return IsAtext(static_cast<unsigned char>(c)); });
}

bool TextWordNeedsEncoding(std::string_view w) { return !IsAscii(w) || w.find("=?") != std::string_view::npos; }

// A header field's value with its folding undone.
std::string Unfold(std::string_view field) {
  std::size_t colon = field.find(':');
  std::string_view value = colon == std::string_view::npos ? std::string_view() : field.substr(colon + 1);
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    if (c != '\r' && c != '\n') out.push_back(c);
  std::size_t b = out.find_first_not_of(" \t");
  std::size_t e = out.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
}

// ---- The header block ----

struct Field {
  std::string_view name;  // as written, without trailing spaces
  std::string_view raw;   // the whole field: folded lines and line ends
};

struct SplitResult {
  std::vector<Field> fields;
  std::string_view body;
  std::string eol;
};

SplitResult SplitMessage(std::string_view raw) {
  SplitResult out;
  // An mbox separator is not a field (no colon after the name); it is not passed on.
  if (raw.substr(0, 5) == "From ") {
    std::size_t nl = raw.find('\n');
    raw.remove_prefix(nl == std::string_view::npos ? raw.size() : nl + 1);
  }
  std::size_t first_nl = raw.find('\n');
  out.eol = first_nl != std::string_view::npos && first_nl > 0 && raw[first_nl - 1] == '\r' ? "\r\n" : "\n";
  std::size_t pos = 0;
  std::size_t field_start = std::string_view::npos;
  auto close_field = [&](std::size_t end) {
    if (field_start != std::string_view::npos) out.fields.back().raw = raw.substr(field_start, end - field_start);
  };
  while (pos < raw.size()) {
    std::size_t nl = raw.find('\n', pos);
    std::size_t next = nl == std::string_view::npos ? raw.size() : nl + 1;
    std::string_view content = raw.substr(pos, (nl == std::string_view::npos ? raw.size() : nl) - pos);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    if (content.empty()) {  // the blank line
      close_field(pos);
      out.body = raw.substr(next);
      return out;
    }
    if (content[0] == ' ' || content[0] == '\t') {
      if (field_start == std::string_view::npos) {  // a continuation with nothing to continue
        out.fields.push_back({std::string_view(), std::string_view()});
        field_start = pos;
      }
      pos = next;
      continue;
    }
    std::size_t colon = content.find(':');
    std::string_view name = content.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    bool is_field = colon != std::string_view::npos && !name.empty() &&
                    std::all_of(name.begin(), name.end(), [](char c) { return c > 32 && c < 127; });
    if (!is_field) {  // not a header: the body starts here, without a blank line
      close_field(pos);
      out.body = raw.substr(pos);
      return out;
    }
    close_field(pos);
    out.fields.push_back({name, std::string_view()});
    field_start = pos;
    pos = next;
  }
  close_field(raw.size());
  return out;
}

bool RemovedByList(std::string_view name) {
  static constexpr std::string_view kRemoved[] = {
      "return-path", "delivered-to", "x-original-to", "archived-at", "approved", "approve", "x-approved",
      "x-approve", "urgent", "return-receipt-to", "disposition-notification-to", "x-confirm-reading-to",
      "x-pmrqc", "bcc", "resent-bcc",
  };
  std::string lower = AsciiLower(name);
  if (lower.substr(0, 5) == "list-") return true;
  return std::find(std::begin(kRemoved), std::end(kRemoved), lower) != std::end(kRemoved);
}

// A field's raw bytes with its last line ending, even when the message ends without one.
void AppendField(const Field& f, std::string_view eol, std::string* out) {
  out->append(f.raw);
  if (f.raw.empty() || f.raw.back() != '\n') out->append(eol);
}

// ---- Validation of what goes into headers ----

bool IsUrl(std::string_view url) {
  if (url.empty() || url.size() > kMaxValueToken) return false;
  if (!(url.substr(0, 8) == "https://" || url.substr(0, 7) == "http://")) return false;
  return std::all_of(url.begin(), url.end(), [](char ch) {
    unsigned char c = static_cast<unsigned char>(ch);
    return c > 32 && c < 127 && c != '<' && c != '>' && c != '"' && c != '\\';
  });
}

bool IsListAddress(std::string_view address) {
  std::size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size() || address.size() > 254) return false;
  std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  };
  for (std::string_view part : {local, domain}) {
    if (part.front() == '.' || part.back() == '.' || part.find("..") != std::string_view::npos) return false;
    if (!std::all_of(part.begin(), part.end(), [&](char c) { return word_char(c) || c == '.'; })) return false;
  }
  return true;
}

Status CheckText(std::string_view what, std::string_view text) {
  if (!IsValidUtf8(text) || std::any_of(text.begin(), text.end(), [](char c) { return IsControl(static_cast<unsigned char>(c)); }))
    return Status::InvalidArgument(std::string(what) + " holds control characters or is not UTF-8");
  if (text.size() > kMaxValueToken) return Status::InvalidArgument(std::string(what) + " is too long for a header");
  return Status::Ok();
}

Status CheckUrl(std::string_view what, std::string_view url) {
  if (url.empty() || IsUrl(url)) return Status::Ok();
  return Status::InvalidArgument(std::string(what) +
                                 " is not an http(s) URL without spaces, quotes or angle brackets: \"" +
                                 CleanText(url.substr(0, 200)) + "\"");
}

Status CheckList(const ListIdentity& list) {
  if (!IsListAddress(list.address))
    return Status::InvalidArgument("list address is not a plain local@domain: \"" + CleanText(list.address) + "\"");
  Status s = CheckText("list name", list.list_name);
  if (s.ok()) s = CheckText("list description", list.description);
  if (s.ok()) s = CheckUrl("archive URL", list.archive_url);
  if (s.ok()) s = CheckUrl("subscribe URL", list.subscribe_url);
  if (s.ok()) s = CheckText("base URL", list.base_url);
  return s;
}

// ---- From rewriting (GMime reads the addresses) ----

GMimeParserOptions* AddressOptions() {
  static GMimeParserOptions* options = [] {
    GMimeParserOptions* o = g_mime_parser_options_new();
    static const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(o, fallback);
    g_mime_parser_options_set_rfc2047_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    return o;
  }();
  return options;
}

struct Mailbox {
  std::string name;     // decoded UTF-8
  std::string address;  // local@domain
};

void CollectMailboxes(InternetAddressList* list, std::vector<Mailbox>* out) {
  for (int i = 0; list && i < internet_address_list_length(list); ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      CollectMailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(a)) continue;
    const char* name = internet_address_get_name(a);
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
    out->push_back({name ? name : "", addr ? addr : ""});
  }
}

std::vector<Mailbox> ParseMailboxes(const std::string& value) {
  std::vector<Mailbox> out;
  InternetAddressList* list = internet_address_list_parse(AddressOptions(), value.c_str());
  if (!list) return out;
  CollectMailboxes(list, &out);
  g_object_unref(list);
  return out;
}

// An address that can go between '<' '>' in a header we write: no control
// characters or angle brackets; spaces and commas only in a quoted local part.
bool IsUsableAddress(std::string_view a) {
  std::size_t at = a.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == a.size() || a.size() > kMaxValueToken) return false;
  bool quoted = a.front() == '"' && a[at - 1] == '"' && at >= 2;
  for (std::size_t i = 0; i < a.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(a[i]);
    if (IsControl(c) || c == '<' || c == '>') return false;
    if ((c == ' ' || c == ',') && !(quoted && i < at)) return false;
  }
  return true;
}

std::string FormatMailbox(const Mailbox& m) {
  std::string name = CleanText(m.name);
  if (name.empty()) return m.address;
  return EncodePhrase(name) + " <" + m.address + ">";
}

// Mailman: "remove the domain from realname if it looks like an email address".
std::string WithoutDomain(std::string name) {
  std::size_t at = name.rfind('@');
  if (at == std::string::npos) return name;
  std::string_view tail = std::string_view(name).substr(at + 1);
  if (tail.find(' ') == std::string_view::npos && tail.find('.') != std::string_view::npos) name.resize(at);
  return CleanText(name);
}

struct Rewrite {
  std::string from_field;      // the new From field
  std::string reply_to_field;  // the new or merged Reply-To field; "" to leave Reply-To alone
};

Rewrite RewriteFrom(const std::vector<Field>& fields, const ListIdentity& list, std::string_view eol) {
  std::optional<Mailbox> author;
  std::string from_text;
  for (const Field& f : fields) {
    if (!EqualsIgnoreCase(f.name, "from")) continue;
    from_text = Unfold(f.raw);
    std::vector<Mailbox> boxes = ParseMailboxes(from_text);
    // As Mailman: only a single usable From mailbox is credited.
    if (boxes.size() == 1 && IsUsableAddress(boxes[0].address)) author = boxes[0];
    break;
  }
  std::string realname;
  if (author) {
    realname = WithoutDomain(CleanText(author->name));
    if (realname.empty()) realname = CleanText(author->address.substr(0, author->address.rfind('@')));
  } else {
    char* decoded = g_mime_utils_header_decode_text(AddressOptions(), from_text.c_str());
    realname = WithoutDomain(CleanText(decoded ? decoded : ""));
    g_free(decoded);
    if (realname.empty()) realname = "Unknown sender";
  }
  Rewrite out;
  out.from_field = FoldField("From", EncodePhrase(realname + " via " + CleanText(list.list_name)) + " <" +
                                         list.address + ">",
                             eol);
  if (!author) return out;

  std::string existing;
  for (const Field& f : fields) {
    if (!EqualsIgnoreCase(f.name, "reply-to")) continue;
    std::string value = Unfold(f.raw);
    if (value.empty()) continue;
    if (!existing.empty()) existing += ", ";
    existing += value;
  }
  for (const Mailbox& m : ParseMailboxes(existing))
    if (EqualsIgnoreCase(m.address, author->address)) return out;  // Reply-To stays as it came
  std::string value = existing.empty() ? FormatMailbox(*author) : existing + ", " + FormatMailbox(*author);
  out.reply_to_field = FoldField("Reply-To", value, eol);
  return out;
}

}  // namespace

// ---- Public helpers ----

std::string ListIdOf(std::string_view list_address) {
  std::string id = AsciiLower(list_address);
  std::size_t at = id.find('@');
  if (at != std::string::npos) id[at] = '.';
  return id;
}

std::string RoleAddress(std::string_view list_address, std::string_view role) {
  std::size_t at = list_address.find('@');
  if (role.empty() || at == std::string_view::npos) return std::string(list_address);
  std::string out(list_address.substr(0, at));
  out.push_back('-');
  out.append(role);
  out.append(list_address.substr(at));
  return out;
}

std::string EncodePhrase(std::string_view text) {
  std::string clean = CleanText(text);
  if (clean.empty()) return "\"\"";
  if (IsAscii(clean) && clean.find("=?") == std::string::npos) {
    std::vector<std::string_view> words = SplitSpaces(clean);
    if (std::none_of(words.begin(), words.end(), PhraseWordNeedsEncoding)) return clean;
    std::string quoted = "\"";
    for (char c : clean) {
      if (c == '"' || c == '\\') quoted.push_back('\\');
      quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
  }
  return EncodeMixed(clean, PhraseWordNeedsEncoding);
}

std::string EncodeUnstructured(std::string_view text) {
  std::string clean = CleanText(text);
  if (IsAscii(clean) && clean.find("=?") == std::string::npos) return clean;
  return EncodeMixed(clean, TextWordNeedsEncoding);
}

std::string FoldField(std::string_view name, std::string_view value, std::string_view eol) {
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string out;
  out.reserve(name.size() + value.size() + 2 + eol.size() * (1 + value.size() / 40));
  out.append(name).append(": ");
  std::size_t column = out.size();
  std::size_t i = 0;
  while (i < value.size()) {
    // The next chunk runs to the next space that follows a non-space: the places
    // where a fold (a line end inserted before the space) is allowed.
    std::size_t j = i + 1;
    while (j < value.size() && !(value[j] == ' ' && value[j - 1] != ' ' && value[j - 1] != '\t')) ++j;
    std::string_view chunk = value.substr(i, j - i);
    if (i > 0 && column + chunk.size() > kFoldColumn) {
      out.append(eol);
      column = 0;
    }
    out.append(chunk);
    column += chunk.size();
    i = j;
  }
  out.append(eol);
  return out;
}

std::string WithoutListStrippedFields(std::string_view raw) {
  SplitResult split = SplitMessage(raw);
  std::string out;
  out.reserve(raw.size());
  for (const Field& f : split.fields)
    if (!RemovedByList(f.name)) AppendField(f, split.eol, &out);
  out.append(split.eol);
  out.append(split.body);
  return out;
}

// ---- ListCopier ----

Result<ListCopier> ListCopier::Make(std::string_view raw, const ListIdentity& list, std::string_view archived_at,
                                    bool rewrite_from) {
  Status s = CheckList(list);
  if (s.ok()) s = CheckUrl("Archived-At URL", archived_at);
  if (!s.ok()) return s;
  SplitResult split = SplitMessage(raw);
  bool any_field = std::any_of(split.fields.begin(), split.fields.end(), [](const Field& f) { return !f.name.empty(); });
  if (!any_field) return Status::BadFormat("the post has no header fields");

  ListCopier c;
  c.eol_ = split.eol;
  const std::string& eol = c.eol_;
  std::string& h = c.prefix_;
  h.reserve(raw.size() - split.body.size() + 1024);
  Rewrite rewrite;
  if (rewrite_from) rewrite = RewriteFrom(split.fields, list, eol);
  bool wrote_from = false, wrote_reply_to = false, has_precedence = false;
  for (const Field& f : split.fields) {
    if (RemovedByList(f.name)) continue;
    has_precedence = has_precedence || EqualsIgnoreCase(f.name, "precedence");
    if (rewrite_from && EqualsIgnoreCase(f.name, "from")) {
      if (wrote_from) continue;
      h += rewrite.from_field;
      wrote_from = true;
      // A new Reply-To goes beside the From it stands for.
      if (!rewrite.reply_to_field.empty() && !wrote_reply_to) {
        h += rewrite.reply_to_field;
        wrote_reply_to = true;
      }
      continue;
    }
    if (rewrite_from && !rewrite.reply_to_field.empty() && EqualsIgnoreCase(f.name, "reply-to")) continue;
    AppendField(f, eol, &h);
  }
  if (rewrite_from && !wrote_from) h += rewrite.from_field;
  if (!rewrite.reply_to_field.empty() && !wrote_reply_to) h += rewrite.reply_to_field;

  std::string list_id = "<" + ListIdOf(list.address) + ">";
  std::string description = CleanText(list.description);
  h += FoldField("List-Id", description.empty() ? list_id : EncodePhrase(description) + " " + list_id, eol);
  if (!list.archive_url.empty()) h += FoldField("List-Archive", "<" + list.archive_url + ">", eol);
  if (!archived_at.empty()) h += FoldField("Archived-At", "<" + std::string(archived_at) + ">", eol);
  h += FoldField("List-Help", "<mailto:" + RoleAddress(list.address, "request") + "?subject=help>", eol);
  h += FoldField("List-Post", "<mailto:" + list.address + ">", eol);
  std::string join = "<mailto:" + RoleAddress(list.address, "join") + ">";
  h += FoldField("List-Subscribe", list.subscribe_url.empty() ? join : "<" + list.subscribe_url + ">, " + join, eol);
  if (!has_precedence) h += "Precedence: list" + eol;
  c.leave_mailto_ = "<mailto:" + RoleAddress(list.address, "leave") + ">";
  c.body_ = std::string(split.body);
  return c;
}

Status ListCopier::AppendHeaders(const Recipient& r, std::string* out) const {
  Status s = CheckUrl("unsubscribe URL", r.unsubscribe_url);
  if (!s.ok()) return s;
  out->append(prefix_);
  if (r.unsubscribe_url.empty()) {
    out->append(FoldField("List-Unsubscribe", leave_mailto_, eol_));
  } else {
    out->append(FoldField("List-Unsubscribe", "<" + r.unsubscribe_url + ">, " + leave_mailto_, eol_));
    // RFC 8058 3.1: one-click only for an HTTPS URI.
    if (r.unsubscribe_url.substr(0, 8) == "https://")
      out->append("List-Unsubscribe-Post: List-Unsubscribe=One-Click").append(eol_);
  }
  out->append(eol_);
  return Status::Ok();
}

Result<std::string> ListCopier::For(const Recipient& r) const {
  std::string out;
  out.reserve(prefix_.size() + body_.size() + r.unsubscribe_url.size() + 256);
  Status s = AppendHeaders(r, &out);
  if (!s.ok()) return s;
  out.append(body_);
  return out;
}

Result<std::string> ListCopy(std::string_view raw, const ListIdentity& list, const Recipient& r,
                             std::string_view archived_at, bool rewrite_from) {
  Result<ListCopier> copier = ListCopier::Make(raw, list, archived_at, rewrite_from);
  if (!copier.ok()) return copier.status();
  return copier.value().For(r);
}

}  // namespace rt
