#pragma once
// The LMTP protocol (RFC 2033) of one connection as a state machine without I/O: command
// and message lines in, reply text out. LmtpServer (lmtp_server.h) does the sockets.
//
// Also the contract with the application (LmtpHandler) and the limits (LmtpOptions).

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rt {

/// One mail transaction as the MTA gave it. Addresses are without the angle brackets, as
/// written by the client (a quoted local part keeps its quotes; a source route is dropped).
struct LmtpEnvelope {
  std::string client;     ///< the peer's IP address, e.g. "127.0.0.1"
  std::string helo;       ///< the LHLO argument
  std::string mail_from;  ///< empty for the null sender <>
  std::vector<std::string> recipients;  ///< only those CheckRecipient accepted, in RCPT order
};

/// One reply line. `text` may start with an enhanced status code ("2.0.0 Stored"); when it
/// does not, "<class>.0.0" is put before it (the LHLO reply promises ENHANCEDSTATUSCODES).
/// CR, LF and other control characters in `text` are sent as spaces.
struct LmtpReply {
  int code = 250;  ///< 2xx accepted, 4xx try again later, 5xx refused; anything else counts as 451
  std::string text;
};

/// What the application does with the mail. Both calls may run concurrently from several
/// threads (several connections), so implementations must be thread-safe.
class LmtpHandler {
 public:
  virtual ~LmtpHandler() = default;
  /// At RCPT TO: 2xx accepts the recipient, 550 for an unknown address, 4xx to make the
  /// MTA retry later. Called on a network thread: must be fast (no waiting on disk locks).
  /// If it throws, the recipient gets 451 4.3.0.
  virtual LmtpReply CheckRecipient(const std::string& address) = 0;
  /// After DATA: one reply per recipient of `envelope`, in the same order (LMTP answers
  /// per recipient). `message` is the message as received: lines end in CRLF (a bare LF
  /// becomes CRLF), dot-stuffing is removed, nothing is added. Runs on a delivery thread and
  /// may block (e.g. until a group commit made the message durable). If it throws, or
  /// returns a different number of replies, every recipient gets 451 4.3.0.
  virtual std::vector<LmtpReply> Deliver(const LmtpEnvelope& envelope, std::string message) = 0;
};

/// All limits of the LMTP service in one place.
struct LmtpOptions {
  std::string host = "127.0.0.1";  ///< address or name to bind
  int port = 0;                    ///< 0: the system picks a free port (see LmtpServer::port())
  int network_threads = 1;         ///< threads that run the sockets and CheckRecipient
  int delivery_threads = 4;        ///< threads that run Deliver
  /// Largest message accepted (after dot-unstuffing, with CRLF line ends); announced as SIZE.
  /// MAIL FROM with a bigger SIZE= gets 552; a bigger message is read to its end and
  /// discarded, and every recipient gets 552 5.3.4.
  std::size_t max_message_bytes = 25 << 20;
  int max_recipients = 100;  ///< accepted recipients per transaction; the next RCPT gets 452
  /// Longest line, command or message, without its CRLF. RFC 5321 needs 512 for commands
  /// and 1000 for message lines; larger for lenience with odd mailers. A longer command gets
  /// 500; a message with a longer line is read to its end and refused with 554 5.6.0.
  std::size_t max_line_bytes = 8192;
  /// Each read (a command, or the next piece of a message) and each write must finish
  /// within this, or the connection is closed. RFC 5321 4.5.3.2 suggests 5 minutes.
  std::chrono::milliseconds timeout{300000};
  int max_connections = 256;  ///< beyond: 421 4.3.2 and close
  /// Named in the greeting and the LHLO reply; empty: the machine's host name.
  std::string hostname;
  /// LmtpServer::Stop() lets transactions in progress finish for at most this long.
  std::chrono::milliseconds shutdown_grace{10000};
};

/// The protocol state of one connection. Not thread-safe: one connection's coroutine
/// drives it. The caller reads lines (each ending in LF, or reported too long), hands them
/// in as the last result asks, and writes `out` to the client.
class LmtpSession {
 public:
  /// What the connection does next.
  enum class Next {
    kCommand,  ///< read a command line, give it to OnCommand
    kData,     ///< read a message line, give it to OnDataLine
    kDeliver,  ///< the message is complete: run the handler's Deliver with envelope() and
               ///< TakeMessage(), then call Delivered()
    kClose,    ///< write what is in `out`, then close the connection
  };

  /// `options` and `handler` must outlive the session. `client` is the peer's address.
  LmtpSession(const LmtpOptions& options, LmtpHandler& handler, std::string client,
              std::string hostname);
  LmtpSession(const LmtpSession&) = delete;
  LmtpSession& operator=(const LmtpSession&) = delete;

  /// Appends the 220 greeting.
  void Greet(std::string& out);
  /// One command line, with or without its line end. Appends the reply.
  Next OnCommand(std::string_view line, std::string& out);
  /// A command line longer than max_line_bytes (its bytes were discarded). Appends 500.
  Next OnCommandTooLong(std::string& out);
  /// One message line including its LF (CRLF or bare LF). Returns kData until the final
  /// "."; then kDeliver, or kCommand when the message was refused (replies appended).
  Next OnDataLine(std::string_view line, std::string& out);
  /// A message line longer than max_line_bytes was discarded; the message will be refused.
  void OnDataLineTooLong();
  /// The envelope of the transaction. REQUIRES: the last call returned kDeliver.
  const LmtpEnvelope& envelope() const { return envelope_; }
  /// Moves the message out. REQUIRES: the last call returned kDeliver.
  std::string TakeMessage();
  /// The handler's answer to the message: `replies`, or nullptr when it threw. Appends one
  /// reply per recipient and ends the transaction. Returns kCommand.
  Next Delivered(const std::vector<LmtpReply>* replies, std::string& out);
  /// Appends 421 (the server is stopping). The caller then closes.
  void ShuttingDown(std::string& out);
  /// True between MAIL and the end of the transaction (its replies, RSET or LHLO).
  bool in_transaction() const { return in_transaction_; }

 private:
  Next Lhlo(std::string_view arg, std::string& out);
  Next Mail(std::string_view arg, std::string& out);
  Next Rcpt(std::string_view arg, std::string& out);
  Next Data(std::string_view arg, std::string& out);
  /// Appends an error reply and counts it; kClose after too many.
  Next Error(int code, std::string_view text, std::string& out);
  /// Appends `reply` to every recipient of the transaction, then resets it.
  void ReplyToAll(int code, std::string_view text, std::string& out);
  void Reset();

  const LmtpOptions& options_;
  LmtpHandler& handler_;
  const std::string hostname_;
  LmtpEnvelope envelope_;  // client and helo last the connection; the rest one transaction
  bool greeted_ = false;   // LHLO seen
  bool in_transaction_ = false;
  bool too_big_ = false;        // the message passed max_message_bytes
  bool line_too_long_ = false;  // the message had a line over max_line_bytes
  std::string message_;
  int errors_ = 0;
};

}  // namespace rt
