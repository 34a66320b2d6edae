#pragma once
// The HTTP/1.1 server core: connections, limits, timeouts, rate limiting, graceful shutdown.
// Knows nothing of pages; every request goes to one HttpHandler.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "util/status.h"
#include "web/http.h"

namespace rt {

/// All limits of the server in one place.
struct HttpServerOptions {
  std::string host = "127.0.0.1";  ///< address or name to bind
  std::uint16_t port = 8080;       ///< 0: the system picks a free port (see HttpServer::port())
  unsigned threads = 0;            ///< network threads; 0: std::thread::hardware_concurrency()
  unsigned render_threads = 0;     ///< threads that run the HttpHandler; 0: hardware_concurrency()
  std::size_t max_header_bytes = 16 * 1024;  ///< request line + headers; bigger: 431
  std::size_t max_body_bytes = 1024 * 1024;  ///< bigger: 413
  /// The whole request (headers and body) must arrive within this, counted from its first
  /// byte; also how long a keep-alive connection may sit idle. Defeats slowloris. On expiry
  /// the connection is closed without an answer.
  std::chrono::milliseconds read_timeout{15000};
  std::chrono::milliseconds write_timeout{30000};  ///< per response; on expiry the connection is closed
  unsigned max_connections = 4096;  ///< beyond: answer 503 and close (at most as many rejects at once again)
  /// Per client token bucket, in requests per second; 0: unlimited. Over: 429 with Retry-After
  /// (the connection stays open). IPv4 clients are keyed by address, IPv6 clients by /64.
  double rate_per_second = 0;
  double rate_burst = 0;  ///< bucket size; 0: 2 * rate_per_second; at least 1
  /// Reverse proxies whose X-Forwarded-For names the client (addresses or CIDR ranges,
  /// see TrustedProxies in web/client_address.h); requests through them are logged and
  /// rate limited per client. Listen() rejects entries that are not addresses.
  std::vector<std::string> trusted_proxies;
  /// After Stop() or a signal, in-flight requests get this long to finish; then Run() returns
  /// anyway (a handler still running is waited for, but its response is not sent).
  std::chrono::milliseconds shutdown_grace{10000};
  bool handle_signals = true;  ///< SIGTERM/SIGINT call Stop() while Run() runs
  /// Optional; called on a server thread after each response, including the 4xx and 503 the
  /// server produces itself. Must be thread-safe and quick; exceptions are ignored.
  std::function<void(const AccessLogEntry&)> access_log;
  /// Added to the responses the server makes itself (400, 429, 500, 503...), e.g. the
  /// security headers the application puts on its own.
  std::vector<std::pair<std::string, std::string>> error_headers;
};

/// Serves HTTP/1.1 (keep-alive, pipelining) and HTTP/1.0 (one request per connection).
/// Requests are checked on arrival (size limits, syntax, Host for 1.1, origin-form target,
/// rate limit) before the handler runs; HEAD requests reach the handler as "HEAD" and are
/// answered with the headers of its response only.
/// Usage: Listen(), then Run() on one thread; Stop() from any thread (or a signal) ends it.
class HttpServer {
 public:
  /// `fast` (optional) answers what it can on the network threads; the rest goes to
  /// `handler` on options.render_threads threads.
  HttpServer(HttpServerOptions options, HttpHandler handler, HttpFastHandler fast = nullptr);
  /// REQUIRES: Run() is not running (it returned, or was never called).
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and listens. On failure returns IoError naming the address, e.g.
  /// "cannot listen on 127.0.0.1:8080: Address already in use". Call once.
  Status Listen();
  /// The bound port; 0 before a successful Listen().
  std::uint16_t port() const;
  /// Blocks: serves on `threads` threads until Stop() or a signal, then returns when every
  /// connection is done or shutdown_grace has passed. Returns at once if Listen() did not
  /// succeed or Run() already ran. Call at most once.
  void Run();
  /// Thread-safe, idempotent, graceful: stops accepting, closes idle keep-alive connections,
  /// lets requests in flight finish and be written (with Connection: close); Run() then
  /// returns. May be called before Run() (which then returns at once) and from a handler.
  void Stop();
  /// Whether there are at least as many requests in hand (read, not yet answered) as
  /// network threads, right now: background work that should leave the CPU to pages
  /// asks this. Thread-safe.
  bool Saturated() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rt
