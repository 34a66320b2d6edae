#include "mail/digest.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "archive/message.h"
#include "mime/mime_parser.h"

namespace rt {

namespace {

constexpr std::size_t kMaxLine = 998;  // RFC 5322 2.1.1
const std::string kSeparator70(70, '-');
const std::string kSeparator30(30, '-');

std::size_t Width(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// One line of text: control characters as spaces, runs of spaces as one.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    char x = (c < 0x20 || c == 0x7f) ? ' ' : ch;
    if (x == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(x);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string ToLf(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

// Words of `text` in lines of at most `width` columns (a longer word gets a line of
// its own).
std::vector<std::string> Wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> lines(1);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t sp = text.find(' ', start);
    if (sp == std::string_view::npos) sp = text.size();
    std::string_view word = text.substr(start, sp - start);
    start = sp + 1;
    if (word.empty()) continue;
    std::string& line = lines.back();
    if (!line.empty() && Width(line) + 1 + Width(word) > width) lines.emplace_back();
    if (!lines.back().empty()) lines.back().push_back(' ');
    lines.back().append(word);
  }
  return lines;
}

enum class Cte { k7bit, k8bit, kBinary };

const char* CteName(Cte c) {
  switch (c) {
    case Cte::k7bit: return "7bit";
    case Cte::k8bit: return "8bit";
    case Cte::kBinary: return "binary";
  }
  return "7bit";
}

// The encoding an embedded message needs (RFC 2046 5.2.1 allows only these three).
Cte Classify(std::string_view message) {
  Cte cte = Cte::k7bit;
  std::size_t column = 0;
  for (char ch : message) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      column = 0;
      continue;
    }
    if (c == 0 || c == '\r' || ++column > kMaxLine) return Cte::kBinary;
    if (c >= 0x80) cte = Cte::k8bit;
  }
  return cte;
}

struct TextPart {
  const char* cte;
  std::string body;
};

TextPart EncodeText(std::string_view text) {
  if (Classify(text) == Cte::k7bit) return {"7bit", std::string(text)};
  return {"quoted-printable", QuotedPrintable(text)};
}

std::string TextPartBytes(std::string_view text, std::string_view description) {
  TextPart part = EncodeText(text);
  std::string out = "Content-Type: text/plain; charset=UTF-8\n";
  out += "Content-Transfer-Encoding: " + std::string(part.cte) + "\n";
  if (!description.empty()) out += FoldField("Content-Description", EncodeUnstructured(description), "\n");
  out += "\n";
  out += part.body;
  if (!out.ends_with("\n")) out += "\n";
  return out;
}

std::string Masthead(const ListIdentity& list) {
  std::string name = OneLine(list.list_name);
  std::string text = "Send " + name + " mailing list submissions to\n\t" + list.address + "\n\n";
  std::string web = !list.subscribe_url.empty() ? list.subscribe_url
                    : !list.archive_url.empty() ? list.archive_url
                                                : list.base_url;
  if (!web.empty())
    text += "To subscribe or unsubscribe via the web, visit\n\t" + web + "\nor, via email, send";
  else
    text += "To subscribe or unsubscribe via email, send";
  text += " a message with subject or body 'help' to\n\t" + RoleAddress(list.address, "request") + "\n\n";
  text += "You can reach the person managing the list at\n\t" + RoleAddress(list.address, "owner") + "\n\n";
  text += "When replying, please edit your Subject line so it is more specific\nthan \"Re: Contents of " + name +
          " digest...\"\n";
  return text;
}

std::string TableOfContents(const std::vector<DigestEntry>& entries) {
  std::string text = "Today's Topics:\n\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::string subject = OneLine(entries[i].subject);
    if (subject.empty()) subject = "(no subject)";
    // Mailman's layout: "{:2}. subject" wrapped at 65, after two spaces.
    std::string number = std::to_string(i + 1);
    std::vector<std::string> lines = Wrap(number + ". " + subject, number.size() < 2 ? 64 : 65);
    std::string author = OneLine(entries[i].from);
    if (!author.empty()) {
      author = "(" + author + ")";
      if (Width(lines.back()) + 1 + Width(author) > 70)
        lines.push_back(author);
      else
        lines.back() += " " + author;
    }
    for (std::size_t k = 0; k < lines.size(); ++k)
      text += (k > 0 ? "      " : number.size() < 2 ? "   " : "  ") + lines[k] + "\n";
  }
  return text;
}

bool IsMessageIdText(std::string_view id) {
  if (id.empty() || id.size() > 900 || id.find('@') == std::string_view::npos) return false;
  for (char ch : id) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 32 || c >= 127 || c == '<' || c == '>') return false;
  }
  return true;
}

Status CheckInput(const ListIdentity& list, const DigestIssue& issue, const std::vector<DigestEntry>& entries) {
  if (entries.empty()) return Status::InvalidArgument("a digest needs at least one message");
  if (!issue.message_id.empty() && !IsMessageIdText(issue.message_id))
    return Status::InvalidArgument("digest Message-ID is not id@domain without spaces or angle brackets");
  if (list.address.find('@') == std::string::npos || list.address.find_first_of("\r\n") != std::string::npos)
    return Status::InvalidArgument("list address is not local@domain");
  return Status::Ok();
}

// The digest's own fields, before ListCopier adds the list's.
std::string DigestHeaders(const ListIdentity& list, const DigestIssue& issue, std::string_view kind,
                          std::string_view content_type, Cte cte) {
  std::string id = issue.message_id;
  if (id.empty()) {
    id = "digest.v" + std::to_string(issue.volume) + ".i" + std::to_string(issue.number) + "." + std::string(kind) +
         "." + list.address;
  }
  std::string h;
  h += FoldField("From", RoleAddress(list.address, "request"), "\n");
  h += FoldField("To", list.address, "\n");
  h += FoldField("Reply-To", list.address, "\n");
  h += FoldField("Subject", EncodeUnstructured(DigestSubject(list, issue)), "\n");
  h += FoldField("Date", FormatRfc5322Date(issue.date), "\n");
  h += FoldField("Message-ID", "<" + id + ">", "\n");
  h += "MIME-Version: 1.0\n";
  h += FoldField("Content-Type", content_type, "\n");
  if (cte != Cte::k7bit) h += "Content-Transfer-Encoding: " + std::string(CteName(cte)) + "\n";
  return h;
}

// A boundary that occurs in none of `parts`. "=_" cannot occur in quoted-printable
// text, so only the embedded posts can hold it.
std::string PickBoundary(std::string_view base, const std::vector<std::string>& parts) {
  for (int n = 0;; ++n) {
    std::string b = std::string(base) + (n ? "_" + std::to_string(n) : "");
    std::string marker = "--" + b;
    bool used = false;
    for (const std::string& p : parts) used = used || p.find(marker) != std::string::npos;
    if (!used) return b;
  }
}

Result<std::string> WithListHeaders(const std::string& message, const ListIdentity& list) {
  return ListCopy(message, list, Recipient{}, "", false);
}

// The body of one post for the plain digest.
std::string PlainBody(std::string_view raw, std::string* from_address, std::string* message_id) {
  ParsedMessage m;
  std::string bytes = WithoutListStrippedFields(raw);
  if (!ParseMimeMessage(bytes, &m).ok()) return "[This message could not be read.]\n";
  *from_address = m.from_address;
  *message_id = m.message_id;
  std::string text = ToLf(m.body_text);
  std::string out;
  out.reserve(text.size() + 64);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line = std::string_view(text).substr(start, nl - start);
    if (line.size() >= 30 && line.find_first_not_of('-') == std::string_view::npos) out.push_back(' ');
    out.append(line);
    out.push_back('\n');
    start = nl + 1;
  }
  for (const ParsedAttachment& a : m.attachments) {
    std::string name = OneLine(a.filename);
    out += "[Attachment: " + (name.empty() ? std::string("unnamed") : name) + " (" + OneLine(a.content_type) + ", " +
           std::to_string(a.data.size()) + " bytes) not included]\n";
  }
  if (out.empty()) out = "\n";
  return out;
}

}  // namespace

std::string DigestSubject(const ListIdentity& list, const DigestIssue& issue) {
  return OneLine(list.list_name) + " Digest, Vol " + std::to_string(issue.volume) + ", Issue " +
         std::to_string(issue.number);
}

std::string FormatRfc5322Date(std::int64_t unix_seconds) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday % 7], tm.tm_mday,
                kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string QuotedPrintable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t column = 0;
  auto emit = [&](std::string_view token) {
    if (column + token.size() > 75) {  // room for the '=' of a soft line break
      out += "=\n";
      column = 0;
    }
    out += token;
    column += token.size();
  };
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    bool hard_break = nl != std::string_view::npos;
    std::string_view line = text.substr(start, (hard_break ? nl : text.size()) - start);
    for (std::size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      bool encode = c == '=' || c >= 127 || (c < 32 && c != '\t') || ((c == ' ' || c == '\t') && last) ||
                    (i == 0 && line.substr(0, 5) == "From ");  // mbox writers would mangle it
      if (encode) {
        char token[3] = {'=', kHex[c >> 4], kHex[c & 15]};
        emit(std::string_view(token, 3));
      } else {
        char token = static_cast<char>(c);
        emit(std::string_view(&token, 1));
      }
    }
    if (hard_break) {
      out += "\n";
      column = 0;
    }
    start = hard_break ? nl + 1 : text.size();
  }
  return out;
}

Result<std::string> MimeDigest(const ListIdentity& list, const DigestIssue& issue,
                               const std::vector<DigestEntry>& entries) {
  Status s = CheckInput(list, issue, entries);
  if (!s.ok()) return s;
  std::string subject = DigestSubject(list, issue);

  std::vector<std::string> posts;
  posts.reserve(entries.size());
  Cte cte = Cte::k7bit;
  for (const DigestEntry& e : entries) {
    std::string post = ToLf(WithoutListStrippedFields(e.raw));
    if (!post.ends_with("\n")) post += "\n";
    cte = std::max(cte, Classify(post));
    posts.push_back(std::move(post));
  }
  std::string base = "=_rt_digest_v" + std::to_string(issue.volume) + "_i" + std::to_string(issue.number);
  std::string outer = PickBoundary(base, posts);
  std::string inner = PickBoundary(outer + "_posts", posts);

  std::size_t total = 4096;
  for (const std::string& p : posts) total += p.size() + inner.size() + 64;
  std::string body;
  body.reserve(total);
  body += "--" + outer + "\n";
  body += TextPartBytes(Masthead(list), subject);
  body += "\n--" + outer + "\n";
  body += TextPartBytes(TableOfContents(entries),
                        "Today's Topics (" + std::to_string(entries.size()) + " messages)");
  body += "\n--" + outer + "\n";
  body += "Content-Type: multipart/digest; boundary=\"" + inner + "\"\n";
  if (cte != Cte::k7bit) body += "Content-Transfer-Encoding: " + std::string(CteName(cte)) + "\n";
  body += "\n";
  for (const std::string& post : posts) {
    body += "--" + inner + "\n";
    body += "Content-Type: message/rfc822\n";
    Cte part = Classify(post);
    if (part != Cte::k7bit) body += "Content-Transfer-Encoding: " + std::string(CteName(part)) + "\n";
    body += "\n";
    body += post;
    body += "\n";  // the line end before a delimiter belongs to the delimiter (RFC 2046 5.1.1)
  }
  body += "--" + inner + "--\n";
  body += "\n--" + outer + "--\n";

  std::string message = DigestHeaders(list, issue, "mime", "multipart/mixed; boundary=\"" + outer + "\"", cte);
  message += "\n";
  message += body;
  return WithListHeaders(message, list);
}

Result<std::string> PlainDigest(const ListIdentity& list, const DigestIssue& issue,
                                const std::vector<DigestEntry>& entries) {
  Status s = CheckInput(list, issue, entries);
  if (!s.ok()) return s;
  std::string subject = DigestSubject(list, issue);
  std::string text = Masthead(list) + "\n" + TableOfContents(entries) + "\n" + kSeparator70 + "\n\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const DigestEntry& e = entries[i];
    std::string address, message_id;
    std::string body = PlainBody(e.raw, &address, &message_id);
    std::string from = OneLine(e.from);
    if (from.empty()) from = address;
    else if (!address.empty() && from != address) from += " <" + address + ">";
    text += "Message: " + std::to_string(i + 1) + "\n";
    text += "Date: " + FormatRfc5322Date(e.date) + "\n";
    text += "From: " + from + "\n";
    text += "Subject: " + OneLine(e.subject) + "\n";
    if (!message_id.empty()) text += "Message-ID: <" + OneLine(message_id) + ">\n";
    text += "\n" + body + "\n" + kSeparator30 + "\n\n";
  }
  std::string end = "End of " + subject;
  text += end + "\n" + std::string(Width(end), '*') + "\n";

  TextPart part = EncodeText(text);
  std::string message = DigestHeaders(list, issue, "plain", "text/plain; charset=UTF-8", Cte::k7bit);
  message += "Content-Transfer-Encoding: " + std::string(part.cte) + "\n\n";
  message += part.body;
  return WithListHeaders(message, list);
}

}  // namespace rt
