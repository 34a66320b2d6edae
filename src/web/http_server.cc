// Boost.Beast parses and Asio runs the sockets; one coroutine per connection, each on its
// own strand. Responses are serialised here (status line and headers into a reused buffer,
// then one gather write with the handler's body), so the body is never copied.

#include "web/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>

#include "util/ascii.h"
#include "web/client_address.h"

// GCC 12 reports a false -Wmismatched-new-delete at the end of every Asio coroutine
// (Asio's awaitable frame has its own operator new/delete); see erigontech/silkworm#2046.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace rt {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
/// First read of a request while the connection is idle.
constexpr std::size_t kFirstReadBytes = 4096;
/// Read buffer slack beyond max_header_bytes, for body bytes read along with the header.
constexpr std::size_t kBufferSlack = 64 * 1024;
/// A buffer grown bigger than this by one large request is released when empty.
constexpr std::size_t kKeepBufferBytes = 64 * 1024;
/// After an error answer, unread input is drained this long (and at most this much) before
/// closing, so the client's unread data does not make the kernel reset the connection and
/// discard the answer.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerBytes = 1024 * 1024;
/// The rate limiter prunes full buckets when it reaches this many clients, and forgets all
/// of them beyond kMaxBuckets (which only lets those clients start over with a full bucket).
constexpr std::size_t kMinPruneBuckets = 1024;
constexpr std::size_t kMaxBuckets = 256 * 1024;

std::string_view View(beast::string_view s) { return {s.data(), s.size()}; }

/// RFC 7230 token characters.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool ValidHeader(std::string_view name, std::string_view value) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) return false;
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

/// Headers the server writes itself.
bool IsReservedHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding") ||
         EqualsIgnoreCase(name, "connection") || EqualsIgnoreCase(name, "date");
}

bool ValidResponse(const HttpResponse& res) {
  if (res.status < 200 || res.status > 599) return false;
  if (!ValidHeader("Content-Type", res.content_type)) return false;
  for (const auto& [name, value] : res.headers) {
    if (!ValidHeader(name, value)) return false;
  }
  return true;
}

HttpResponse PlainResponse(int status, std::string text) {
  HttpResponse res;
  res.status = status;
  res.content_type = "text/plain; charset=utf-8";
  res.body = std::move(text);
  return res;
}

/// The current time as an RFC 7231 IMF-fixdate, formatted at most once a second per thread.
std::string_view HttpDate() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t cached_second = -1;
  thread_local char text[32];
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    const int n = std::snprintf(text, sizeof(text), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12],
                                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    length = n > 0 ? std::min<std::size_t>(static_cast<std::size_t>(n), sizeof(text) - 1) : 0;
    cached_second = now;
  }
  return {text, length};
}

void AppendNumber(std::string& out, std::uint64_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), n);
  out.append(digits, end);
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

/// Writes the status line and headers of `res` into `out` (cleared first).
/// REQUIRES: ValidResponse(res)
void FormatHead(const HttpResponse& res, bool keep_alive, std::string& out) {
  out.clear();
  out.append("HTTP/1.1 ");
  AppendNumber(out, static_cast<std::uint64_t>(res.status));
  out.push_back(' ');
  const auto code = http::int_to_status(static_cast<unsigned>(res.status));
  if (code != http::status::unknown) out.append(View(http::obsolete_reason(code)));
  out.append("\r\n");
  AppendHeader(out, "Date", HttpDate());
  if (res.status != 204 && res.status != 304) {
    if (!res.content_type.empty()) AppendHeader(out, "Content-Type", res.content_type);
    out.append("Content-Length: ");
    AppendNumber(out, res.Body().size());
    out.append("\r\n");
  }
  if (res.body_is_gzip) AppendHeader(out, "Content-Encoding", "gzip");
  for (const auto& [name, value] : res.headers) {
    if (!IsReservedHeader(name)) AppendHeader(out, name, value);
  }
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
}

/// The answer to a request the parser rejected, or 0 when the connection should just close
/// (the client left, timed out, or shutdown cancelled the read).
int StatusForReadError(const beast::error_code& ec, bool header_done) {
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::buffer_overflow) return header_done ? 413 : 431;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
  if (ec.category() == http::make_error_code(http::error::header_limit).category()) return 400;
  if (ec == beast::error::timeout) return 0;
  return 0;  // socket errors: reset, aborted...
}

const char* PlainText(int status) {
  switch (status) {
    case 400: return "400 Bad Request\n";
    case 413: return "413 Content Too Large\n";
    case 429: return "429 Too Many Requests\n";
    case 431: return "431 Request Header Fields Too Large\n";
    case 500: return "500 Internal Server Error\n";
    case 503: return "503 Service Unavailable\n";
  }
  return "error\n";
}

/// Copies the parsed message into `req`, reusing its strings' capacity across requests
/// of one connection; moves the body.
void FillRequest(http::request<http::string_body>& msg, HttpRequest& req) {
  req.method.assign(View(msg.method_string()));
  req.target.assign(View(msg.target()));
  std::size_t i = 0;
  for (const auto& field : msg) {
    if (i == req.headers.size()) req.headers.emplace_back();
    auto& [name, value] = req.headers[i++];
    name.assign(View(field.name_string()));
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    value.assign(View(field.value()));
  }
  req.headers.resize(i);
  req.body = std::move(msg.body());
}

/// Only what the request line and fields of a parsed header say, for error answers and logs.
void FillRequestLine(const http::request<http::string_body>& msg, HttpRequest& req) {
  req.method.assign(View(msg.method_string()));
  req.target.assign(View(msg.target()));
  req.headers.clear();
  req.body.clear();
  auto agent = msg.find(http::field::user_agent);
  if (agent != msg.end()) req.headers.emplace_back("user-agent", View(agent->value()));
}

/// Checks the parser does not make: a 1.1 request names exactly one Host, the target is in
/// origin-form ("*" only for OPTIONS), and the only transfer coding is chunked (anything
/// else would leave the body's end ambiguous: request smuggling behind a proxy).
// RFC 9112 3.2: host [":" port], the host a name, an IPv4 address or a bracketed IPv6
// literal (RFC 3986 3.2.2); empty is allowed. Anything else (spaces, "/", "@", quotes)
// is a 400: it would otherwise travel on into logs and whatever reads them.
bool ValidHost(std::string_view host) {
  auto reg_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("-._~!$&'()*+,;=%").find(c) != std::string_view::npos;
  };
  std::size_t port_at = host.size();
  if (!host.empty() && host[0] == '[') {
    std::size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    for (char c : host.substr(1, close - 1))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    if (close + 1 < host.size() && host[close + 1] != ':') return false;
    port_at = close + 1;
  } else {
    std::size_t colon = host.rfind(':');
    if (colon != std::string_view::npos) port_at = colon;
    for (char c : host.substr(0, port_at))
      if (!reg_name_char(c)) return false;
  }
  for (char c : host.substr(std::min(port_at + 1, host.size())))
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool AcceptableRequest(const http::request<http::string_body>& msg) {
  const auto target = View(msg.target());
  if (target.empty()) return false;
  if (target[0] != '/' && !(target == "*" && msg.method() == http::verb::options)) return false;
  if (msg.version() >= 11 && msg.count(http::field::host) != 1) return false;
  if (msg.count(http::field::host) > 1 || !ValidHost(View(msg[http::field::host]))) return false;
  const std::size_t codings = msg.count(http::field::transfer_encoding);
  if (codings > 1) return false;
  if (codings == 1 && !EqualsIgnoreCase(View(msg[http::field::transfer_encoding]), "chunked")) return false;
  return true;
}

/// Every X-Forwarded-For header of a request, as one list (RFC 9110 5.3).
std::string ForwardedFor(const HttpRequest& req) {
  std::string list;
  for (const auto& [name, value] : req.headers)
    if (name == "x-forwarded-for") list += (list.empty() ? "" : ",") + value;
  return list;
}

/// A token bucket per client, thread-safe. Memory stays bounded: buckets that have
/// refilled are pruned (they behave as absent ones), and past kMaxBuckets all are dropped.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst)
      : rate_(rate), burst_(std::max(1.0, burst > 0 ? burst : 2 * rate)) {}

  bool enabled() const { return rate_ > 0; }

  /// 0 when `key` may make a request now (and takes a token), else the seconds to wait.
  std::int64_t Acquire(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
      if (buckets_.size() >= prune_at_) Prune(now);
      it = buckets_.emplace(key, Bucket{burst_, now}).first;
    } else {
      Refill(it->second, now);
    }
    Bucket& bucket = it->second;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1 - bucket.tokens) / rate_)));
  }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };

  void Refill(Bucket& bucket, Clock::time_point now) const {
    const double seconds = std::chrono::duration<double>(now - bucket.last).count();
    if (seconds > 0) bucket.tokens = std::min(burst_, bucket.tokens + seconds * rate_);
    bucket.last = now;
  }

  // REQUIRES: mutex_ is held
  void Prune(Clock::time_point now) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      Refill(it->second, now);
      it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
    }
    if (buckets_.size() >= kMaxBuckets) buckets_.clear();
    prune_at_ = std::max(kMinPruneBuckets, 2 * buckets_.size());
  }

  const double rate_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mutex_)
  std::size_t prune_at_ = kMinPruneBuckets;           // GUARDED_BY(mutex_)
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler, HttpFastHandler fast)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        fast_(std::move(fast)),
        render_pool_(options_.render_threads ? options_.render_threads
                                             : std::max(1u, std::thread::hardware_concurrency())),
        threads_(options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency())),
        limiter_(options_.rate_per_second, options_.rate_burst),
        ioc_(static_cast<int>(threads_)),
        accept_strand_(asio::make_strand(ioc_)),
        acceptor_(accept_strand_) {
    if (options_.handle_signals) signals_.emplace(ioc_);
  }

  Status Listen();
  std::uint16_t port() const { return port_.load(); }
  bool Saturated() const { return answering_.load() >= threads_; }
  void Run();
  void Stop();

 private:
  /// One accepted connection. Shared by its coroutine and, briefly, by Stop().
  struct Connection {
    Connection(Impl& server, tcp::socket socket) : server(server), stream(std::move(socket)) {}
    ~Connection() {
      if (registered) server.Unregister(registration);
    }
    Impl& server;
    beast::tcp_stream stream;
    asio::ip::address peer;
    ClientAddress client;  // the peer's; a trusted proxy's requests each name their own
    bool idle = false;  // waiting for a request's first byte; only touched on the stream's strand
    std::list<std::weak_ptr<Connection>>::iterator registration;  // valid when registered
    bool registered = false;
  };

  asio::awaitable<void> Accept();
  void StartConnection(tcp::socket socket);
  asio::awaitable<void> Session(std::shared_ptr<Connection> conn);
  asio::awaitable<void> Reject(tcp::socket socket, std::string client);
  /// Writes `res` (head only when `head_only`); false when the write failed.
  asio::awaitable<bool> Write(beast::tcp_stream& stream, const HttpResponse& res, bool head_only,
                              bool keep_alive, std::string& head, std::size_t& bytes);
  asio::awaitable<void> LingeringClose(beast::tcp_stream& stream);
  // A response the server makes itself (400, 429, 500, 503), with options_.error_headers.
  HttpResponse ServerResponse(int status) const;
  HttpResponse CallHandler(const HttpRequest& req);
  /// The fast handler's answer, or the handler's, run on the render pool.
  asio::awaitable<HttpResponse> Respond(const HttpRequest& req);
  void Log(const HttpRequest& req, int status, std::size_t bytes, std::int64_t unix_ms,
           Clock::time_point started);
  void Unregister(std::list<std::weak_ptr<Connection>>::iterator it);

  const HttpServerOptions options_;
  const HttpHandler handler_;
  const HttpFastHandler fast_;
  asio::thread_pool render_pool_;  // runs handler_, so slow pages do not stall the network threads
  const unsigned threads_;
  RateLimiter limiter_;
  TrustedProxies proxies_;  // set by Listen()
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint16_t> port_{0};
  std::atomic<unsigned> rejecting_{0};  // 503 answers being written
  std::atomic<unsigned> answering_{0};  // requests read and not yet written back

  std::mutex mutex_;
  std::condition_variable changed_;
  std::list<std::weak_ptr<Connection>> connections_;  // GUARDED_BY(mutex_)
  bool listening_ = false;                             // GUARDED_BY(mutex_)
  bool ran_ = false;                                   // GUARDED_BY(mutex_)
  bool accept_done_ = false;                           // GUARDED_BY(mutex_)
  bool stop_requested_ = false;                        // GUARDED_BY(mutex_)
  Clock::time_point stop_time_;                        // GUARDED_BY(mutex_)

  // Declared after everything a Connection touches: destroying the io_context destroys
  // the coroutines still suspended after a hard stop, and with them their Connections.
  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> accept_strand_;
  tcp::acceptor acceptor_;                     // used on accept_strand_
  std::optional<asio::signal_set> signals_;  // used on accept_strand_
};

Status HttpServer::Impl::Listen() {
  std::lock_guard lock(mutex_);
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  if (listening_) return Status::InvalidArgument("already listening on " + where);
  Result<TrustedProxies> proxies = TrustedProxies::Parse(options_.trusted_proxies);
  if (!proxies.ok()) return proxies.status();
  proxies_ = std::move(proxies.value());
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  auto endpoints = resolver.resolve(options_.host, std::to_string(options_.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec) return Status::IoError("cannot listen on " + where + ": " + ec.message());
  if (endpoints.empty()) return Status::IoError("cannot listen on " + where + ": no address");
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return Status::IoError("cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint(ec).port();
  listening_ = true;
  return Status::Ok();
}

void HttpServer::Impl::Run() {
  {
    std::lock_guard lock(mutex_);
    if (!listening_ || ran_ || stop_requested_) return;
    ran_ = true;
  }
  asio::co_spawn(accept_strand_, Accept(), asio::detached);
  if (signals_) {
    // Taken only while running, so a server that never runs does not swallow them.
    beast::error_code ignored;
    signals_->add(SIGINT, ignored);
    signals_->add(SIGTERM, ignored);
    signals_->async_wait(asio::bind_executor(accept_strand_, [this](beast::error_code ec, int) {
      if (!ec) Stop();
    }));
  }
  std::vector<std::thread> pool;
  pool.reserve(threads_);
  for (unsigned i = 0; i < threads_; ++i) {
    pool.emplace_back([this] {
      for (;;) {
        try {
          ioc_.run();
          return;
        } catch (...) {
          // Nothing here is meant to throw; keep the thread serving if something does.
        }
      }
    });
  }
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stop_requested_; });
    changed_.wait_until(lock, stop_time_ + options_.shutdown_grace,
                        [&] { return accept_done_ && connections_.empty(); });
  }
  ioc_.stop();
  for (auto& thread : pool) thread.join();
  render_pool_.join();
  // After a hard stop, hang up on whoever is left now rather than when the server is
  // destroyed. No thread runs the io_context any more, so the streams can be touched here;
  // their coroutines are destroyed with the io_context.
  std::vector<std::shared_ptr<Connection>> left;
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : connections_) {
      if (auto conn = weak.lock()) left.push_back(std::move(conn));
    }
  }
  for (auto& conn : left) conn->stream.close();
  left.clear();
  if (signals_) {
    beast::error_code ignored;
    signals_->clear(ignored);  // give SIGINT/SIGTERM back their default meaning
  }
}

void HttpServer::Impl::Stop() {
  if (stopping_.exchange(true)) return;
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    stop_time_ = Clock::now();
    for (const auto& weak : connections_) {
      if (auto conn = weak.lock()) live.push_back(std::move(conn));
    }
  }
  changed_.notify_all();
  asio::post(accept_strand_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    if (signals_) signals_->cancel(ignored);
  });
  // A connection mid-request is left to finish; its answer says Connection: close.
  for (auto& conn : live) {
    auto executor = conn->stream.get_executor();
    asio::post(executor, [conn = std::move(conn)] {
      if (conn->idle) conn->stream.cancel();
    });
  }
}

void HttpServer::Impl::Unregister(std::list<std::weak_ptr<Connection>>::iterator it) {
  bool notify;
  {
    std::lock_guard lock(mutex_);
    connections_.erase(it);
    notify = stop_requested_ && connections_.empty();
  }
  if (notify) changed_.notify_all();
}

asio::awaitable<void> HttpServer::Impl::Accept() {
  for (;;) {
    asio::any_io_executor strand = asio::make_strand(ioc_);
    auto [ec, socket] = co_await acceptor_.async_accept(strand, kAsTuple);
    if (stopping_) break;
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
      // Out of descriptors and the like: wait instead of spinning.
      asio::steady_timer pause(accept_strand_, std::chrono::milliseconds(50));
      co_await pause.async_wait(kAsTuple);
      continue;
    }
    StartConnection(std::move(socket));
  }
  {
    std::lock_guard lock(mutex_);
    accept_done_ = true;
  }
  changed_.notify_all();
}

void HttpServer::Impl::StartConnection(tcp::socket socket) {
  beast::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  socket.set_option(tcp::no_delay(true), ec);
  ClientAddress client = ClientOf(peer.address());

  bool full;
  {
    std::lock_guard lock(mutex_);
    full = connections_.size() >= options_.max_connections;  // only this strand adds
  }
  if (full) {
    if (rejecting_.fetch_add(1) >= options_.max_connections) {
      --rejecting_;
      return;  // closes the socket without an answer
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, Reject(std::move(socket), std::move(client.text)), asio::detached);
    return;
  }
  auto conn = std::make_shared<Connection>(*this, std::move(socket));
  {
    std::lock_guard lock(mutex_);
    connections_.emplace_front(conn);
    conn->registration = connections_.begin();
    conn->registered = true;
  }
  conn->peer = peer.address();
  conn->client = std::move(client);
  auto executor = conn->stream.get_executor();
  asio::co_spawn(executor, Session(std::move(conn)), asio::detached);
}

asio::awaitable<void> HttpServer::Impl::Session(std::shared_ptr<Connection> conn) {
  beast::tcp_stream& stream = conn->stream;
  beast::flat_buffer buffer(options_.max_header_bytes + kBufferSlack);
  HttpRequest req;
  req.client = conn->client.text;
  req.client_key = conn->client.rate_key;
  std::string head;
  head.reserve(512);
  const bool logging = static_cast<bool>(options_.access_log);

  for (;;) {
    if (buffer.size() == 0) {
      if (stopping_) break;
      if (buffer.capacity() > kKeepBufferBytes) buffer.shrink_to_fit();
      // Waiting for a request: the keep-alive idle time, which Stop() may cut short.
      stream.expires_after(options_.read_timeout);
      conn->idle = true;
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kFirstReadBytes), kAsTuple);
      conn->idle = false;
      if (ec) break;
      buffer.commit(n);
    }
    const auto started = logging ? Clock::now() : Clock::time_point{};
    const std::int64_t unix_ms =
        logging ? std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count()
                : 0;

    // The whole request must arrive within read_timeout of its first byte.
    stream.expires_after(options_.read_timeout);
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(options_.max_header_bytes, UINT32_MAX)));
    parser.body_limit(options_.max_body_bytes);
    beast::error_code ec;
    std::size_t n = 0;
    std::tie(ec, n) = co_await http::async_read_header(stream, buffer, parser, kAsTuple);
    if (!ec && !parser.is_done()) {
      auto expect = parser.get().find(http::field::expect);
      if (expect != parser.get().end() && EqualsIgnoreCase(View(expect->value()), "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [write_ec, written] =
            co_await asio::async_write(stream, asio::buffer(kContinue), kAsTuple);
        if (write_ec) break;
        stream.expires_after(options_.read_timeout);
      }
      std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, kAsTuple);
    }

    if (ec) {
      const int status = StatusForReadError(ec, parser.is_header_done());
      if (status == 0) break;
      req.client = conn->client.text;  // not the last request's, which a proxy may have named
      req.client_key = conn->client.rate_key;
      if (parser.is_header_done()) {
        FillRequestLine(parser.get(), req);
      } else {
        req.method.clear();
        req.target.clear();
        req.headers.clear();
      }
      const HttpResponse res = ServerResponse(status);
      std::size_t bytes = 0;
      co_await Write(stream, res, false, false, head, bytes);
      if (logging) Log(req, status, bytes, unix_ms, started);
      co_await LingeringClose(stream);
      co_return;
    }

    auto& msg = parser.get();
    bool keep_alive = msg.version() >= 11 && msg.keep_alive();
    const bool acceptable = AcceptableRequest(msg);
    FillRequest(msg, req);
    // Through a trusted proxy each request names its own client.
    ClientAddress forwarded;
    const ClientAddress* client = &conn->client;
    if (!proxies_.empty() && proxies_.Contains(conn->peer)) {
      forwarded = proxies_.Resolve(conn->peer, ForwardedFor(req));
      client = &forwarded;
    }
    req.client = client->text;
    req.client_key = client->rate_key;
    struct Answering {
      std::atomic<unsigned>& count;
      explicit Answering(std::atomic<unsigned>& c) : count(c) { ++count; }
      ~Answering() { --count; }
    } answering{answering_};
    HttpResponse res;
    if (!acceptable) {
      res = ServerResponse(400);
      keep_alive = false;
    } else if (std::int64_t wait = limiter_.enabled() ? limiter_.Acquire(client->rate_key, Clock::now()) : 0) {
      res = ServerResponse(429);
      res.headers.emplace_back("Retry-After", std::to_string(wait));
    } else {
      res = co_await Respond(req);
    }
    if (stopping_) keep_alive = false;

    std::size_t bytes = 0;
    const bool written = co_await Write(stream, res, req.method == "HEAD", keep_alive, head, bytes);
    if (logging) Log(req, res.status, bytes, unix_ms, started);
    if (!written) co_return;
    if (!acceptable) {
      co_await LingeringClose(stream);
      co_return;
    }
    if (!keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
}

asio::awaitable<void> HttpServer::Impl::Reject(tcp::socket socket, std::string client) {
  struct Done {
    std::atomic<unsigned>& count;
    ~Done() { --count; }
  } done{rejecting_};
  const bool logging = static_cast<bool>(options_.access_log);
  const auto started = Clock::now();
  const std::int64_t unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count();
  beast::tcp_stream stream(std::move(socket));
  const HttpResponse res = ServerResponse(503);
  std::string head;
  std::size_t bytes = 0;
  co_await Write(stream, res, false, false, head, bytes);
  if (logging) {
    HttpRequest req;
    req.client = std::move(client);
    Log(req, 503, bytes, unix_ms, started);
  }
  co_await LingeringClose(stream);
}

asio::awaitable<bool> HttpServer::Impl::Write(beast::tcp_stream& stream, const HttpResponse& res,
                                             bool head_only, bool keep_alive, std::string& head,
                                             std::size_t& bytes) {
  FormatHead(res, keep_alive, head);
  const bool send_body = !head_only && res.status != 204 && res.status != 304;
  const std::array<asio::const_buffer, 2> buffers{
      asio::buffer(head), send_body ? asio::buffer(res.Body()) : asio::const_buffer()};
  stream.expires_after(options_.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream, buffers, kAsTuple);
  bytes = n;
  co_return !ec;
}

asio::awaitable<void> HttpServer::Impl::LingeringClose(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(std::min<std::chrono::milliseconds>(kLingerTime, options_.read_timeout));
  std::array<char, 4096> sink;
  std::size_t drained = 0;
  while (drained < kLingerBytes) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kAsTuple);
    if (ec) break;
    drained += n;
  }
  stream.socket().close(ignored);
}

HttpResponse HttpServer::Impl::ServerResponse(int status) const {
  HttpResponse res = PlainResponse(status, PlainText(status));
  res.headers.insert(res.headers.end(), options_.error_headers.begin(), options_.error_headers.end());
  return res;
}

asio::awaitable<HttpResponse> HttpServer::Impl::Respond(const HttpRequest& req) {
  if (fast_) {
    try {
      std::optional<HttpResponse> quick = fast_(req);
      if (quick && ValidResponse(*quick)) co_return std::move(*quick);
      if (quick) co_return ServerResponse(500);
    } catch (...) {
      co_return ServerResponse(500);
    }
  }
  // The coroutine resumes on its connection's strand when the render is done.
  co_return co_await asio::co_spawn(
      render_pool_, [this, &req]() -> asio::awaitable<HttpResponse> { co_return CallHandler(req); },
      asio::use_awaitable);
}

HttpResponse HttpServer::Impl::CallHandler(const HttpRequest& req) {
  try {
    HttpResponse res = handler_(req);
    if (ValidResponse(res)) return res;
  } catch (...) {
    // What went wrong is the handler's business to log; the client learns nothing of it.
  }
  return ServerResponse(500);
}

void HttpServer::Impl::Log(const HttpRequest& req, int status, std::size_t bytes,
                           std::int64_t unix_ms, Clock::time_point started) {
  try {
    AccessLogEntry entry{
        unix_ms,
        req.client,
        req.method,
        req.target,
        std::string(req.Header("user-agent")),
        status,
        bytes,
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count()};
    options_.access_log(entry);
  } catch (...) {
    // A failing log must not take the connection down.
  }
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler, HttpFastHandler fast)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(fast))) {}
HttpServer::~HttpServer() = default;
Status HttpServer::Listen() { return impl_->Listen(); }
std::uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Run() { impl_->Run(); }
void HttpServer::Stop() { impl_->Stop(); }
bool HttpServer::Saturated() const { return impl_->Saturated(); }

}  // namespace rt
