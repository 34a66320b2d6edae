#include "mail/lmtp_session.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <utility>

#include "util/ascii.h"

namespace rt {
namespace {

/// After this many refused commands the client is confused or probing: hang up.
constexpr int kMaxErrors = 20;
/// Reply texts from the handler are cut here (a reply line is at most 512 bytes).
constexpr std::size_t kMaxReplyText = 400;

bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// `s` without its LF or CRLF.
std::string_view StripLineEnd(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

/// RFC 3463: class "." subject "." detail, then the end or a space.
bool StartsWithEnhancedCode(std::string_view text) {
  std::size_t i = 0;
  auto digits = [&](std::size_t max) {
    std::size_t n = 0;
    while (i < text.size() && IsDigit(text[i]) && n < max) ++i, ++n;
    return n > 0;
  };
  if (!digits(1) || i >= text.size() || text[i++] != '.') return false;
  if (!digits(3) || i >= text.size() || text[i++] != '.') return false;
  if (!digits(3)) return false;
  return i == text.size() || text[i] == ' ';
}

bool ValidReplyCode(int code) { return code >= 200 && code <= 599 && code / 100 != 3; }

/// Appends "code text\r\n", prefixing "<class>.0.0" when `text` has no enhanced code and
/// sanitising text that came from the handler.
void AppendReply(std::string& out, int code, std::string_view text) {
  out.append(std::to_string(code)).push_back(' ');
  if (!StartsWithEnhancedCode(text)) {
    out.push_back(static_cast<char>('0' + code / 100));
    out.append(".0.0");
    if (!text.empty()) out.push_back(' ');
  }
  if (text.size() > kMaxReplyText) text = text.substr(0, kMaxReplyText);
  for (char c : text) out.push_back(IsControl(c) ? ' ' : c);
  out.append("\r\n");
}

/// Parses a reverse- or forward-path at the start of `s` ("<addr>", or a bare address for
/// lenience) into `address`, and leaves the parameters after it in `s`. False on bad syntax.
bool ParsePath(std::string_view& s, std::string& address) {
  s = TrimSpaces(s);
  std::string_view inner;
  if (!s.empty() && s.front() == '<') {
    bool quoted = false;
    std::size_t i = 1;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (quoted && c == '\\' && i + 1 < s.size()) {
        ++i;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '>' && !quoted) {
        break;
      }
    }
    if (i >= s.size()) return false;  // no closing '>'
    inner = s.substr(1, i - 1);
    s.remove_prefix(i + 1);
    if (!s.empty() && s.front() != ' ') return false;
  } else {
    const std::size_t end = s.find(' ');
    inner = s.substr(0, end);
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
    if (inner.empty() || inner.find_first_of("<>") != std::string_view::npos) return false;
  }
  // RFC 5321 4.1.2: a source route "@a,@b:" before the mailbox is accepted and ignored.
  if (!inner.empty() && inner.front() == '@') {
    const std::size_t colon = inner.find(':');
    if (colon == std::string_view::npos) return false;
    inner.remove_prefix(colon + 1);
  }
  for (char c : inner) {
    if (IsControl(c)) return false;
  }
  address.assign(inner);
  return true;
}

/// Splits the next space-separated "KEY[=VALUE]" off `s`. False when none is left.
bool NextParameter(std::string_view& s, std::string_view& key, std::string_view& value) {
  s = TrimSpaces(s);
  if (s.empty()) return false;
  const std::size_t end = s.find(' ');
  std::string_view param = s.substr(0, end);
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  const std::size_t eq = param.find('=');
  key = param.substr(0, eq);
  value = eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
  return true;
}

}  // namespace

LmtpSession::LmtpSession(const LmtpOptions& options, LmtpHandler& handler, std::string client,
                         std::string hostname)
    : options_(options), handler_(handler), hostname_(std::move(hostname)) {
  envelope_.client = std::move(client);
}

void LmtpSession::Greet(std::string& out) {
  out.append("220 ").append(hostname_).append(" LMTP Roundtable ready\r\n");
}

LmtpSession::Next LmtpSession::OnCommand(std::string_view line, std::string& out) {
  line = StripLineEnd(line);
  const std::size_t space = line.find(' ');
  const std::string_view verb = line.substr(0, space);
  const std::string_view arg =
      space == std::string_view::npos ? std::string_view() : TrimSpaces(line.substr(space + 1));

  if (EqualsIgnoreCase(verb, "LHLO")) return Lhlo(arg, out);
  if (EqualsIgnoreCase(verb, "MAIL")) return Mail(arg, out);
  if (EqualsIgnoreCase(verb, "RCPT")) return Rcpt(arg, out);
  if (EqualsIgnoreCase(verb, "DATA")) return Data(arg, out);
  if (EqualsIgnoreCase(verb, "RSET")) {
    if (!arg.empty()) return Error(501, "5.5.4 Syntax: RSET", out);
    Reset();
    AppendReply(out, 250, "2.0.0 OK");
    return Next::kCommand;
  }
  if (EqualsIgnoreCase(verb, "NOOP")) {
    AppendReply(out, 250, "2.0.0 OK");
    return Next::kCommand;
  }
  if (EqualsIgnoreCase(verb, "QUIT")) {
    AppendReply(out, 221, "2.0.0 " + hostname_ + " closing connection");
    return Next::kClose;
  }
  if (EqualsIgnoreCase(verb, "VRFY")) {
    if (arg.empty()) return Error(501, "5.5.4 Syntax: VRFY address", out);
    AppendReply(out, 252, "2.5.0 Cannot VRFY; send RCPT to attempt delivery");
    return Next::kCommand;
  }
  if (EqualsIgnoreCase(verb, "HELO") || EqualsIgnoreCase(verb, "EHLO")) {
    return Error(500, "5.5.1 This is LMTP: use LHLO", out);
  }
  return Error(500, "5.5.2 Command not recognized", out);
}

LmtpSession::Next LmtpSession::OnCommandTooLong(std::string& out) {
  return Error(500, "5.5.2 Line too long", out);
}

LmtpSession::Next LmtpSession::Lhlo(std::string_view arg, std::string& out) {
  if (arg.empty() || arg.find(' ') != std::string_view::npos) {
    return Error(501, "5.5.4 Syntax: LHLO hostname", out);
  }
  Reset();
  greeted_ = true;
  envelope_.helo.assign(arg);
  // Multiline reply: "250-" on every line but the last (RFC 5321 4.2.1).
  out.append("250-").append(hostname_).append("\r\n");
  out.append("250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n");
  out.append("250 SIZE ").append(std::to_string(options_.max_message_bytes)).append("\r\n");
  return Next::kCommand;
}

LmtpSession::Next LmtpSession::Mail(std::string_view arg, std::string& out) {
  if (!greeted_) return Error(503, "5.5.1 Send LHLO first", out);
  if (in_transaction_) return Error(503, "5.5.1 Nested MAIL command", out);
  if (!IStartsWith(arg, "FROM:")) return Error(501, "5.5.4 Syntax: MAIL FROM:<address>", out);
  arg.remove_prefix(5);
  std::string from;
  if (!ParsePath(arg, from)) return Error(501, "5.1.7 Bad sender address syntax", out);
  std::string_view key, value;
  while (NextParameter(arg, key, value)) {
    if (EqualsIgnoreCase(key, "SIZE")) {
      std::uint64_t size = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), size);
      if (value.empty() || ec == std::errc::invalid_argument || end != value.data() + value.size()) {
        return Error(501, "5.5.4 Bad SIZE parameter", out);
      }
      // Out of range (ec == result_out_of_range) is too big by any measure.
      if (ec == std::errc::result_out_of_range || size > options_.max_message_bytes) {
        AppendReply(out, 552, "5.3.4 Message size exceeds fixed limit");
        return Next::kCommand;
      }
    } else if (EqualsIgnoreCase(key, "BODY")) {
      if (!EqualsIgnoreCase(value, "7BIT") && !EqualsIgnoreCase(value, "8BITMIME")) {
        return Error(501, "5.5.4 Bad BODY parameter", out);
      }
    } else if (EqualsIgnoreCase(key, "SMTPUTF8")) {
      if (!value.empty()) return Error(501, "5.5.4 Bad SMTPUTF8 parameter", out);
    } else {
      return Error(555, "5.5.4 Unsupported MAIL parameter", out);
    }
  }
  in_transaction_ = true;
  envelope_.mail_from = std::move(from);
  AppendReply(out, 250, "2.1.0 Sender OK");
  return Next::kCommand;
}

LmtpSession::Next LmtpSession::Rcpt(std::string_view arg, std::string& out) {
  if (!in_transaction_) return Error(503, "5.5.1 Need MAIL command", out);
  if (!IStartsWith(arg, "TO:")) return Error(501, "5.5.4 Syntax: RCPT TO:<address>", out);
  arg.remove_prefix(3);
  std::string to;
  if (!ParsePath(arg, to) || to.empty()) return Error(501, "5.1.3 Bad recipient address syntax", out);
  std::string_view key, value;
  if (NextParameter(arg, key, value)) return Error(555, "5.5.4 Unsupported RCPT parameter", out);
  if (envelope_.recipients.size() >= static_cast<std::size_t>(std::max(options_.max_recipients, 0))) {
    AppendReply(out, 452, "4.5.3 Too many recipients");
    return Next::kCommand;
  }
  LmtpReply reply;
  try {
    reply = handler_.CheckRecipient(to);
  } catch (...) {
    reply = {451, "4.3.0 Temporary failure checking the recipient"};
  }
  if (!ValidReplyCode(reply.code)) reply = {451, "4.3.0 Temporary failure checking the recipient"};
  if (reply.code / 100 == 2) envelope_.recipients.push_back(std::move(to));
  AppendReply(out, reply.code, reply.text);
  return Next::kCommand;
}

LmtpSession::Next LmtpSession::Data(std::string_view arg, std::string& out) {
  if (!arg.empty()) return Error(501, "5.5.4 Syntax: DATA", out);
  if (!in_transaction_) return Error(503, "5.5.1 Need MAIL command", out);
  // RFC 2033 4.2: without a successful RCPT, DATA must fail with 503.
  if (envelope_.recipients.empty()) return Error(503, "5.5.1 No valid recipients", out);
  message_.clear();
  too_big_ = false;
  line_too_long_ = false;
  out.append("354 End data with <CR><LF>.<CR><LF>\r\n");
  return Next::kData;
}

LmtpSession::Next LmtpSession::OnDataLine(std::string_view line, std::string& out) {
  line = StripLineEnd(line);
  if (line == ".") {
    if (too_big_) {
      ReplyToAll(552, "5.3.4 Message size exceeds fixed limit", out);
      return Next::kCommand;
    }
    if (line_too_long_) {
      ReplyToAll(554, "5.6.0 Message has a line longer than " +
                          std::to_string(options_.max_line_bytes) + " bytes", out);
      return Next::kCommand;
    }
    return Next::kDeliver;
  }
  if (!line.empty() && line.front() == '.') line.remove_prefix(1);  // RFC 5321 4.5.2
  if (too_big_ || line_too_long_) return Next::kData;  // read to the end, keep nothing
  if (message_.size() + line.size() + 2 > options_.max_message_bytes) {
    too_big_ = true;
    std::string().swap(message_);
    return Next::kData;
  }
  message_.append(line).append("\r\n");
  return Next::kData;
}

void LmtpSession::OnDataLineTooLong() {
  line_too_long_ = true;
  std::string().swap(message_);
}

std::string LmtpSession::TakeMessage() { return std::exchange(message_, std::string()); }

LmtpSession::Next LmtpSession::Delivered(const std::vector<LmtpReply>* replies, std::string& out) {
  if (replies == nullptr || replies->size() != envelope_.recipients.size()) {
    ReplyToAll(451, "4.3.0 Temporary failure storing the message", out);
    return Next::kCommand;
  }
  for (const LmtpReply& reply : *replies) {
    if (ValidReplyCode(reply.code)) {
      AppendReply(out, reply.code, reply.text);
    } else {
      AppendReply(out, 451, "4.3.0 Temporary failure storing the message");
    }
  }
  Reset();
  return Next::kCommand;
}

void LmtpSession::ShuttingDown(std::string& out) {
  AppendReply(out, 421, "4.3.2 " + hostname_ + " service shutting down");
}

LmtpSession::Next LmtpSession::Error(int code, std::string_view text, std::string& out) {
  if (++errors_ >= kMaxErrors) {
    AppendReply(out, 421, "4.7.0 " + hostname_ + " too many errors, closing connection");
    return Next::kClose;
  }
  AppendReply(out, code, text);
  return Next::kCommand;
}

void LmtpSession::ReplyToAll(int code, std::string_view text, std::string& out) {
  for (std::size_t i = 0; i < envelope_.recipients.size(); ++i) AppendReply(out, code, text);
  Reset();
}

void LmtpSession::Reset() {
  in_transaction_ = false;
  envelope_.mail_from.clear();
  envelope_.recipients.clear();
  too_big_ = false;
  line_too_long_ = false;
  std::string().swap(message_);
}

}  // namespace rt
