#pragma once
// A blocking SMTP client (RFC 5321) that hands messages to a relay, for the thread that
// sends a list's outbound queue.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace rt {

struct SmtpOptions {
  /// The relay: a host name or an IPv4/IPv6 address.
  std::string host = "127.0.0.1";
  int port = 25;
  /// What EHLO/HELO says this host is called.
  std::string helo_name = "localhost";
  /// The deadline for the connection (resolving included, though a host name's lookup
  /// already under way in getaddrinfo is waited for) and for each command's reply and
  /// each write.
  std::chrono::milliseconds timeout{30000};
  /// The deadline for the reply to the end of the message data, which relays that scan
  /// content take longest to give (RFC 5321 4.5.3.2.6 suggests 10 minutes).
  std::chrono::milliseconds data_end_timeout{600000};
};

/// The server's reply to RCPT TO for one recipient.
struct SmtpRecipientReply {
  std::string address;
  int code = 0;      ///< 2xx accepted, 4xx try again later, 5xx refused for good
  std::string text;  ///< the reply text, enhanced status code included; lines joined by '\n'
};

/// What the server said to one message. The message reached a recipient when both the
/// recipient's code and `code` are 2xx.
struct SmtpSendResult {
  /// The reply to the end of the data. When the transaction ended before (no recipient
  /// got the message): the refusal of MAIL FROM or DATA, or the 421 with which the server
  /// closed the session (recipients not yet asked get the same 421); or 0 when DATA was
  /// not sent because every recipient was refused (each recipient's reply says why).
  int code = 0;
  std::string text;
  /// One per recipient, in the order given; empty when MAIL FROM was refused.
  /// A 2xx here means only that RCPT TO was accepted.
  std::vector<SmtpRecipientReply> recipients;
};

/// One connection to a relay, opened on the first Send() and kept for the next ones.
/// Not thread-safe: one client per sending thread. Not copyable.
class SmtpClient {
 public:
  explicit SmtpClient(SmtpOptions options);
  /// Says QUIT when connected (waiting at most 2 s for the reply).
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  /// Sends `message` (header and body, as it should arrive) from `mail_from` ("" for the
  /// null sender of bounces) to `recipients`, which must not be empty. Bare LF line ends
  /// are sent as CRLF, lines starting with '.' are dot-stuffed, and a final line end is
  /// added when missing. BODY=8BITMIME, SMTPUTF8 and SIZE= go with MAIL FROM when the
  /// server offers them and the message needs them (8-bit bytes; a non-ASCII address or
  /// header). When a non-ASCII address needs SMTPUTF8 and the server does not offer it,
  /// no transaction starts and the result says 553 (5.6.7) as a refused MAIL FROM would.
  ///
  /// Reuses the open connection (RSET first) and reconnects once when the server closed
  /// it meanwhile. Returns InvalidArgument, before sending anything, for an address with
  /// a control character (CR, LF, ...), '<' or '>', longer than 256 bytes, or an empty
  /// recipient (also for no recipients, or an empty or such a helo_name); IoError when the relay cannot be reached, refuses the session (greeting
  /// or EHLO/HELO), does not answer in time, closes the connection or breaks the protocol
  /// — the connection is then closed and the next Send() opens a new one. (An IoError
  /// after the data was written leaves it unknown whether the relay took the message.)
  /// Every reply to the message itself, 4xx and 5xx included, comes back in the
  /// SmtpSendResult.
  /// `mail_from`, `recipients` and `message` are only read during the call.
  Result<SmtpSendResult> Send(std::string_view mail_from, const std::vector<std::string>& recipients,
                              std::string_view message);

  /// Says QUIT and closes the connection when one is open (e.g. when the queue is empty).
  void Disconnect();
  bool connected() const;

 private:
  struct Connection;
  const SmtpOptions options_;
  std::unique_ptr<Connection> conn_;  // the Asio objects; always present
};

/// The message as sent after DATA: line ends made CRLF, dot-stuffed, ending "\r\n.\r\n".
/// Exposed for tests.
std::string SmtpDataBlock(std::string_view message);

}  // namespace rt
