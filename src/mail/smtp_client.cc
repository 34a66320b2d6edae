#include "mail/smtp_client.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace rt {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// RFC 5321 allows 512 bytes a reply line; real servers send longer texts, but never this.
constexpr size_t kMaxReplyLine = 4096;
constexpr int kMaxReplyLines = 200;
constexpr size_t kMaxAddress = 256;
// Each write of the data has its own deadline, so a large message on a slow link does not
// have to fit into one.
constexpr size_t kWriteChunk = 64 * 1024;
constexpr milliseconds kQuitTimeout{2000};
// A connection idle this long may have been closed by the server: probe it with RSET
// before the next message. A busy one goes straight on (one round trip fewer a message).
constexpr milliseconds kIdleProbe{2000};

struct Reply {
  int code = 0;
  std::string text;                // the lines' texts joined by '\n'
  std::vector<std::string> lines;  // each line's text, for the EHLO keywords
};

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// For error messages: what the server sent, without its control characters.
std::string Printable(std::string_view s) {
  std::string out(s.substr(0, 200));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

Status CheckAddress(std::string_view address, std::string_view role) {
  if (address.size() > kMaxAddress) {
    return Status::InvalidArgument("SMTP " + std::string(role) + " address longer than 256 bytes");
  }
  for (char c : address) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '<' || c == '>') {
      return Status::InvalidArgument("SMTP " + std::string(role) + " address with a control character or <>: " +
                                     Printable(address));
    }
  }
  return Status::Ok();
}

// The header section: everything before the first empty line.
std::string_view HeaderOf(std::string_view message) {
  size_t pos = 0;
  while (pos < message.size()) {
    size_t eol = message.find('\n', pos);
    if (eol == std::string_view::npos) break;
    std::string_view line = message.substr(pos, eol - pos);
    if (line.empty() || line == "\r") return message.substr(0, pos);
    pos = eol + 1;
  }
  return message;
}

std::string UpperKeyword(std::string_view line) {
  std::string word(line.substr(0, line.find(' ')));
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word;
}

// RFC 1870's message size: without the final ".\r\n" and the dots added by stuffing
// (every stuffed line, and only those, starts with '.').
size_t UnstuffedSize(std::string_view data) {
  size_t size = data.size() - 3;
  for (size_t pos = 0; pos < data.size() - 3; pos = data.find('\n', pos) + 1) {
    size -= data[pos] == '.';
  }
  return size;
}

}  // namespace

std::string SmtpDataBlock(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 32 + 8);
  bool line_start = true;
  for (size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if (line_start && c == '.') out += '.';
    line_start = false;
    if (c == '\n') {
      if (i == 0 || message[i - 1] != '\r') out += '\r';
      line_start = true;
    }
    out += c;
  }
  if (!line_start) out += out.back() == '\r' ? "\n" : "\r\n";
  out += ".\r\n";
  return out;
}

// The Asio objects, and what the server offered in its EHLO reply. Each operation is
// started asynchronously and io.run_until() waits for it; when the deadline passes first,
// closing the socket (or cancelling the resolver) ends it (the Asio "blocking TCP client
// with timeouts" pattern).
struct SmtpClient::Connection {
  asio::io_context io{1};
  tcp::resolver resolver{io};
  tcp::socket socket{io};
  std::string inbuf;  // bytes received and not yet consumed
  std::string peer;   // "host:port", for messages
  bool open = false;
  Clock::time_point last_transaction{};  // when the last message ended cleanly
  bool offers_size = false;
  bool offers_8bitmime = false;
  bool offers_smtputf8 = false;

  // Runs the started operation to completion; false when `deadline` passed first.
  bool Run(Clock::time_point deadline) {
    io.restart();
    io.run_until(deadline);
    if (io.stopped()) return true;
    error_code ignored;
    socket.close(ignored);
    resolver.cancel();
    io.run();
    return false;
  }

  void Close() {
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    open = false;
    inbuf.clear();
    offers_size = offers_8bitmime = offers_smtputf8 = false;
  }

  // Closes the connection and explains why.
  Status Fail(std::string_view during, std::string_view why) {
    Close();
    return Status::IoError("SMTP " + peer + ": " + std::string(during) + ": " + std::string(why));
  }

  Status Connect(const SmtpOptions& options) {
    Close();
    peer = options.host + ":" + std::to_string(options.port);
    Clock::time_point deadline = Clock::now() + options.timeout;
    error_code ec;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(options.host, std::to_string(options.port), tcp::resolver::numeric_service,
                           [&](const error_code& e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                           });
    if (!Run(deadline)) return Fail("resolving the host", "timed out");
    if (ec) return Fail("resolving the host", ec.message());
    asio::async_connect(socket, endpoints, [&](const error_code& e, const tcp::endpoint&) { ec = e; });
    if (!Run(deadline)) return Fail("connecting", "timed out");
    if (ec) return Fail("connecting", ec.message());
    open = true;

    Reply reply;
    Status s = ReadReply(&reply, options.timeout, "greeting");
    if (!s.ok()) return s;
    if (reply.code != 220) return Fail("greeting", "session refused: " + Printable(reply.text));
    s = Command("EHLO " + options.helo_name, &reply, options.timeout);
    if (!s.ok()) return s;
    if (reply.code == 250) {
      for (size_t i = 1; i < reply.lines.size(); ++i) {
        std::string keyword = UpperKeyword(reply.lines[i]);
        offers_size |= keyword == "SIZE";
        offers_8bitmime |= keyword == "8BITMIME";
        offers_smtputf8 |= keyword == "SMTPUTF8";
      }
      return Status::Ok();
    }
    if (reply.code < 500) {
      return Fail("EHLO", std::to_string(reply.code) + " " + Printable(reply.text));
    }
    // An old server that does not know EHLO.
    s = Command("HELO " + options.helo_name, &reply, options.timeout);
    if (!s.ok()) return s;
    if (reply.code != 250) return Fail("HELO", std::to_string(reply.code) + " " + Printable(reply.text));
    return Status::Ok();
  }

  Status ReadLine(std::string* line, Clock::time_point deadline, std::string_view during) {
    error_code ec;
    size_t n = 0;
    asio::async_read_until(socket, asio::dynamic_buffer(inbuf, kMaxReplyLine), '\n',
                           [&](const error_code& e, size_t k) {
                             ec = e;
                             n = k;
                           });
    if (!Run(deadline)) return Fail(during, "no reply in time");
    if (ec == asio::error::not_found) return Fail(during, "reply line longer than 4096 bytes");
    if (ec == asio::error::eof) return Fail(during, "connection closed by the server");
    if (ec) return Fail(during, ec.message());
    line->assign(inbuf, 0, n - 1);
    inbuf.erase(0, n);
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return Status::Ok();
  }

  // Reads a reply of one or more lines ("250-first", ..., "250 last").
  Status ReadReply(Reply* reply, milliseconds timeout, std::string_view during) {
    Clock::time_point deadline = Clock::now() + timeout;
    *reply = Reply();
    for (int i = 0;; ++i) {
      if (i == kMaxReplyLines) return Fail(during, "reply of more than 200 lines");
      std::string line;
      Status s = ReadLine(&line, deadline, during);
      if (!s.ok()) return s;
      bool well_formed = line.size() >= 3 && line[0] >= '1' && line[0] <= '5' && line[1] >= '0' &&
                         line[1] <= '9' && line[2] >= '0' && line[2] <= '9' &&
                         (line.size() == 3 || line[3] == ' ' || line[3] == '-');
      if (!well_formed) return Fail(during, "malformed reply: " + Printable(line));
      int code = std::stoi(line.substr(0, 3));
      if (i > 0 && code != reply->code) return Fail(during, "reply codes differ: " + Printable(line));
      reply->code = code;
      reply->lines.push_back(line.size() > 4 ? line.substr(4) : "");
      if (line.size() == 3 || line[3] == ' ') break;
    }
    for (const std::string& text : reply->lines) {
      if (!reply->text.empty()) reply->text += '\n';
      reply->text += text;
    }
    return Status::Ok();
  }

  Status Write(std::string_view data, milliseconds timeout, std::string_view during) {
    for (size_t offset = 0; offset < data.size(); offset += kWriteChunk) {
      error_code ec;
      asio::async_write(socket, asio::buffer(data.substr(offset, kWriteChunk)),
                        [&](const error_code& e, size_t) { ec = e; });
      if (!Run(Clock::now() + timeout)) return Fail(during, "write timed out");
      if (ec) return Fail(during, ec.message());
    }
    return Status::Ok();
  }

  // Sends one command line and reads its reply. `command` has no line end.
  Status Command(std::string_view command, Reply* reply, milliseconds timeout) {
    std::string_view verb = command.substr(0, command.find(' '));
    Status s = Write(std::string(command) + "\r\n", timeout, verb);
    if (!s.ok()) return s;
    return ReadReply(reply, timeout, verb);
  }
};

SmtpClient::SmtpClient(SmtpOptions options) : options_(std::move(options)), conn_(std::make_unique<Connection>()) {}

SmtpClient::~SmtpClient() { Disconnect(); }

bool SmtpClient::connected() const { return conn_->open; }

void SmtpClient::Disconnect() {
  if (!conn_->open) return;
  milliseconds timeout = std::min(options_.timeout, kQuitTimeout);
  Reply reply;
  // The reply does not matter; reading it lets the server close first.
  (void)conn_->Command("QUIT", &reply, timeout);
  conn_->Close();
}

Result<SmtpSendResult> SmtpClient::Send(std::string_view mail_from, const std::vector<std::string>& recipients,
                                        std::string_view message) {
  Status s = CheckAddress(mail_from, "sender");
  if (!s.ok()) return s;
  if (recipients.empty()) return Status::InvalidArgument("SMTP message without recipients");
  bool ascii_addresses = IsAscii(mail_from);
  for (const std::string& to : recipients) {
    if (to.empty()) return Status::InvalidArgument("SMTP recipient address is empty");
    s = CheckAddress(to, "recipient");
    if (!s.ok()) return s;
    ascii_addresses = ascii_addresses && IsAscii(to);
  }
  if (options_.helo_name.empty() || !CheckAddress(options_.helo_name, "HELO").ok()) {
    return Status::InvalidArgument("SMTP HELO name is empty or has control characters");
  }
  const milliseconds timeout = options_.timeout;
  Connection& c = *conn_;
  Reply reply;

  bool unprobed = c.open && Clock::now() - c.last_transaction <= kIdleProbe;
  if (c.open && !unprobed) {
    // Also tells whether the server closed the idle connection meanwhile: then reconnect.
    s = c.Command("RSET", &reply, timeout);
    if (!s.ok() || reply.code != 250) c.Close();
  }
  if (!c.open) {
    s = c.Connect(options_);
    if (!s.ok()) return s;
  }

  SmtpSendResult result;
  // Ends the transaction after a refusal: a 421 says the server is closing the session.
  auto end_early = [&](const Reply& r) {
    result.code = r.code;
    result.text = r.text;
    Reply ignored;
    if (r.code == 421 || !c.Command("RSET", &ignored, timeout).ok() || ignored.code != 250) c.Close();
    return result;
  };

  if (!ascii_addresses && !c.offers_smtputf8) {
    result.code = 553;
    result.text = "5.6.7 the relay does not offer SMTPUTF8, which a non-ASCII address needs";
    return result;
  }
  std::string data = SmtpDataBlock(message);
  std::string mail = "MAIL FROM:<" + std::string(mail_from) + ">";
  if (c.offers_size) mail += " SIZE=" + std::to_string(UnstuffedSize(data));
  if (c.offers_8bitmime && !IsAscii(message)) mail += " BODY=8BITMIME";
  if (c.offers_smtputf8 && (!ascii_addresses || !IsAscii(HeaderOf(message)))) mail += " SMTPUTF8";
  s = c.Command(mail, &reply, timeout);
  if (!s.ok() && unprobed) {
    // The server went away since the last message (it may close at will): once more on
    // a new connection.
    c.Close();
    s = c.Connect(options_);
    if (s.ok()) s = c.Command(mail, &reply, timeout);
  }
  if (!s.ok()) return s;
  if (reply.code / 100 != 2) return end_early(reply);

  bool any_accepted = false;
  for (const std::string& to : recipients) {
    s = c.Command("RCPT TO:<" + to + ">", &reply, timeout);
    if (!s.ok()) return s;
    result.recipients.push_back({to, reply.code, reply.text});
    any_accepted = any_accepted || reply.code / 100 == 2;
    if (reply.code == 421) {
      while (result.recipients.size() < recipients.size()) {
        result.recipients.push_back({recipients[result.recipients.size()], reply.code, reply.text});
      }
      return end_early(reply);
    }
  }
  if (!any_accepted) {
    Reply none;  // code 0: DATA not sent
    return end_early(none);
  }

  s = c.Command("DATA", &reply, timeout);
  if (!s.ok()) return s;
  if (reply.code != 354) return end_early(reply);
  s = c.Write(data, timeout, "message data");
  if (!s.ok()) return s;
  s = c.ReadReply(&reply, options_.data_end_timeout, "end of data");
  if (!s.ok()) return s;
  result.code = reply.code;
  result.text = reply.text;
  if (reply.code == 421) c.Close();
  // After the end of the data the server is ready for the next MAIL (RFC 5321 4.1.1.4).
  c.last_transaction = Clock::now();
  return result;
}

}  // namespace rt
