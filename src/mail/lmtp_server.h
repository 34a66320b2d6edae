#pragma once
// The inbound LMTP listener (RFC 2033) the MTA delivers list mail to. Connections, limits,
// timeouts and graceful stop; the protocol is LmtpSession, the application an LmtpHandler
// (both in lmtp_session.h, with LmtpOptions).

#include <memory>

#include "mail/lmtp_session.h"
#include "util/status.h"

namespace rt {

/// Serves LMTP on options.network_threads threads, one coroutine per connection; PIPELINING
/// works (replies to pipelined commands go out together). Deliver runs on a separate pool
/// of options.delivery_threads, so a slow store does not stall other connections.
/// Usage: Listen(), Start(), ... Stop() (or the destructor) from one controlling thread.
class LmtpServer {
 public:
  /// `handler` must outlive the server.
  LmtpServer(LmtpOptions options, LmtpHandler& handler);
  /// Calls Stop().
  ~LmtpServer();
  LmtpServer(const LmtpServer&) = delete;
  LmtpServer& operator=(const LmtpServer&) = delete;

  /// Binds and listens. On failure returns IoError naming the address, e.g.
  /// "cannot listen on 127.0.0.1:24: Address already in use", or InvalidArgument for
  /// options out of range. Call once.
  Status Listen();
  /// The bound port; 0 before a successful Listen().
  int port() const;
  /// Starts serving on the server's own threads and returns at once. Does nothing unless
  /// Listen() succeeded; call at most once.
  void Start();
  /// Stops accepting, says 421 to idle connections (no transaction open) and closes them,
  /// lets transactions in progress finish (a connection is closed with 421 once its
  /// transaction is done) for at most options.shutdown_grace, then closes whatever is left
  /// and joins the threads. A Deliver still running is waited for (it cannot be cancelled),
  /// but its replies are not sent after the grace. Idempotent.
  /// REQUIRES: not called from a handler (it joins the threads handlers run on).
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rt
