// Asio runs the sockets: one coroutine per connection on its own strand, plus a watchdog
// coroutine on the same strand that closes the socket when the connection's deadline
// passes (Beast's tcp_stream does the same; Beast itself is kept out of this file).

#include "mail/lmtp_server.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <list>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

// GCC 12 reports a false -Wmismatched-new-delete at the end of every Asio coroutine
// (Asio's awaitable frame has its own operator new/delete); see erigontech/silkworm#2046.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace rt {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
/// Bytes asked of the socket per read.
constexpr std::size_t kReadChunk = 16 * 1024;
/// Replies to pipelined commands are collected and sent when the client's input is used
/// up; a client that pipelines without reading gets them in pieces of about this size.
constexpr std::size_t kMaxPendingOutput = 64 * 1024;

/// What the connection has read but not yet handed on. Lines are cut out in place.
struct LineBuffer {
  std::string data;
  std::size_t start = 0;     // first byte not yet handed on
  std::size_t scanned = 0;   // bytes before this hold no LF after `start`
  bool discarding = false;   // dropping the rest of an over-long line
};

enum class ReadResult { kLine, kTooLong, kClosed };

std::string ClientAddress(const tcp::endpoint& peer) {
  asio::ip::address address = peer.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

Status CheckOptions(const LmtpOptions& o) {
  if (o.port < 0 || o.port > 65535) return Status::InvalidArgument("LMTP port out of range: " + std::to_string(o.port));
  if (o.network_threads < 1 || o.delivery_threads < 1) return Status::InvalidArgument("LMTP needs at least one network and one delivery thread");
  if (o.max_connections < 1) return Status::InvalidArgument("LMTP max_connections must be at least 1");
  if (o.max_recipients < 1) return Status::InvalidArgument("LMTP max_recipients must be at least 1");
  if (o.max_message_bytes < 1) return Status::InvalidArgument("LMTP max_message_bytes must be at least 1");
  if (o.max_line_bytes < 512) return Status::InvalidArgument("LMTP max_line_bytes must be at least 512 (RFC 5321)");
  if (o.timeout.count() <= 0) return Status::InvalidArgument("LMTP timeout must be positive");
  return Status::Ok();
}

}  // namespace

class LmtpServer::Impl {
 public:
  Impl(LmtpOptions options, LmtpHandler& handler)
      : options_(std::move(options)),
        handler_(handler),
        hostname_(HostName(options_)),
        delivery_pool_(static_cast<std::size_t>(std::max(1, options_.delivery_threads))),
        accept_strand_(asio::make_strand(ioc_)),
        acceptor_(accept_strand_) {}
  ~Impl() { Stop(); }

  Status Listen();
  int port() const { return port_.load(); }
  void Start();
  void Stop();

 private:
  /// One accepted connection, shared by its session and watchdog coroutines (and briefly
  /// by Stop()). Everything in it is touched only on the socket's strand.
  struct Connection {
    Connection(Impl& server, tcp::socket s)
        : server(server), socket(std::move(s)), timer(socket.get_executor()) {}
    ~Connection() {
      if (registered) server.Unregister(registration);
    }
    /// The watchdog closes the socket when `when` passes.
    void SetDeadline(Clock::time_point when) {
      deadline = when;
      if (when < timer.expiry()) timer.expires_at(when);  // wakes the watchdog to wait less
    }
    void ExpiresAfter(Clock::duration d) { SetDeadline(Clock::now() + d); }

    Impl& server;
    tcp::socket socket;
    asio::steady_timer timer;  // the watchdog's
    Clock::time_point deadline = Clock::time_point::max();
    bool idle = false;  // waiting for a command with no transaction open: Stop() may cut in
    bool done = false;  // the session has ended; the watchdog leaves
    std::string client;
    std::list<std::weak_ptr<Connection>>::iterator registration;  // valid when registered
    bool registered = false;
  };

  static std::string HostName(const LmtpOptions& options) {
    if (!options.hostname.empty()) return options.hostname;
    error_code ec;
    std::string name = asio::ip::host_name(ec);
    return ec || name.empty() ? "localhost" : name;
  }

  asio::awaitable<void> Accept();
  void StartConnection(tcp::socket socket);
  /// Answers 421 without a coroutine: the few bytes fit in an empty socket buffer.
  void Reject(tcp::socket& socket);
  asio::awaitable<void> Serve(std::shared_ptr<Connection> conn);
  asio::awaitable<void> Watchdog(std::shared_ptr<Connection> conn);
  /// The next line into `line` (valid until the next call). Sends `out` before it waits
  /// for the client. kTooLong when the line passed max_line_bytes (its bytes are dropped).
  asio::awaitable<ReadResult> ReadLine(Connection& conn, LineBuffer& in, std::string& out,
                                       bool idle, std::string_view& line);
  /// Writes and clears `out`; false when the write failed.
  asio::awaitable<bool> Flush(Connection& conn, std::string& out);
  /// Runs the handler's Deliver on the delivery pool and appends its replies.
  asio::awaitable<LmtpSession::Next> Deliver(Connection& conn, LmtpSession& session, std::string& out);
  void Unregister(std::list<std::weak_ptr<Connection>>::iterator it);

  const LmtpOptions options_;
  LmtpHandler& handler_;
  const std::string hostname_;
  asio::thread_pool delivery_pool_;  // runs Deliver, so a slow store does not stall the sockets
  std::atomic<bool> stopping_{false};
  std::atomic<int> port_{0};

  std::mutex control_mutex_;  // serialises Listen, Start and Stop
  bool listening_ = false;     // GUARDED_BY(control_mutex_)
  bool started_ = false;       // GUARDED_BY(control_mutex_)
  bool stopped_ = false;       // GUARDED_BY(control_mutex_)
  std::vector<std::thread> threads_;  // GUARDED_BY(control_mutex_)

  std::mutex mutex_;
  std::condition_variable changed_;
  std::list<std::weak_ptr<Connection>> connections_;  // GUARDED_BY(mutex_)
  bool accept_done_ = false;                           // GUARDED_BY(mutex_)

  // Declared after everything a Connection touches: destroying the io_context destroys
  // the coroutines still suspended after a hard stop, and with them their Connections.
  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> accept_strand_;
  tcp::acceptor acceptor_;  // used on accept_strand_ once started
};

Status LmtpServer::Impl::Listen() {
  std::lock_guard control(control_mutex_);
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  if (listening_ || stopped_) return Status::InvalidArgument("already listening on " + where);
  Status s = CheckOptions(options_);
  if (!s.ok()) return s;
  error_code ec;
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
    error_code ignored;
    acceptor_.close(ignored);
    return Status::IoError("cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint(ec).port();
  listening_ = true;
  return Status::Ok();
}

void LmtpServer::Impl::Start() {
  std::lock_guard control(control_mutex_);
  if (!listening_ || started_ || stopped_) return;
  started_ = true;
  asio::co_spawn(accept_strand_, Accept(), asio::detached);
  for (int i = 0; i < options_.network_threads; ++i) {
    threads_.emplace_back([this] {
      for (;;) {
        try {
          ioc_.run();  // returns once the acceptor and every connection are done
          return;
        } catch (...) {
          // Nothing here is meant to throw; keep the thread serving if something does.
        }
      }
    });
  }
}

void LmtpServer::Impl::Stop() {
  std::lock_guard control(control_mutex_);
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  if (!started_) {
    error_code ignored;
    acceptor_.close(ignored);  // no thread runs the io_context
    delivery_pool_.join();
    return;
  }
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : connections_) {
      if (auto conn = weak.lock()) live.push_back(std::move(conn));
    }
  }
  asio::post(accept_strand_, [this] {
    error_code ignored;
    acceptor_.close(ignored);
  });
  // An idle connection's read is cancelled; its session then says 421 and closes. One in
  // a transaction goes on, and closes when the transaction is done.
  for (auto& conn : live) {
    auto executor = conn->socket.get_executor();
    asio::post(executor, [conn = std::move(conn)] {
      if (conn->idle) {
        error_code ignored;
        conn->socket.cancel(ignored);
      }
    });
  }
  live.clear();  // held references would keep connections_ from emptying
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, options_.shutdown_grace,
                      [&] { return accept_done_ && connections_.empty(); });
  }
  ioc_.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  delivery_pool_.join();
  // After a hard stop, hang up on whoever is left now rather than when the server is
  // destroyed. No thread runs the io_context any more, so the sockets can be touched here;
  // their coroutines are destroyed with the io_context.
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : connections_) {
      if (auto conn = weak.lock()) live.push_back(std::move(conn));
    }
  }
  for (auto& conn : live) {
    error_code ignored;
    conn->socket.close(ignored);
  }
}

void LmtpServer::Impl::Unregister(std::list<std::weak_ptr<Connection>>::iterator it) {
  bool notify;
  {
    std::lock_guard lock(mutex_);
    connections_.erase(it);
    notify = stopping_ && connections_.empty();
  }
  if (notify) changed_.notify_all();
}

asio::awaitable<void> LmtpServer::Impl::Accept() {
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

void LmtpServer::Impl::StartConnection(tcp::socket socket) {
  error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  socket.set_option(tcp::no_delay(true), ec);
  bool full;
  {
    std::lock_guard lock(mutex_);
    full = connections_.size() >= static_cast<std::size_t>(options_.max_connections);
  }
  if (full) {
    Reject(socket);
    return;
  }
  auto conn = std::make_shared<Connection>(*this, std::move(socket));
  {
    std::lock_guard lock(mutex_);
    connections_.emplace_front(conn);
    conn->registration = connections_.begin();
    conn->registered = true;
  }
  conn->client = ClientAddress(peer);
  auto executor = conn->socket.get_executor();
  asio::co_spawn(executor, Watchdog(conn), asio::detached);
  asio::co_spawn(executor, Serve(std::move(conn)), asio::detached);
}

void LmtpServer::Impl::Reject(tcp::socket& socket) {
  const std::string busy = "421 4.3.2 " + hostname_ + " too many connections, try again later\r\n";
  error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(asio::buffer(busy), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

asio::awaitable<void> LmtpServer::Impl::Watchdog(std::shared_ptr<Connection> conn) {
  while (!conn->done) {
    if (Clock::now() >= conn->deadline) {
      error_code ignored;
      conn->socket.close(ignored);  // the session's read or write fails, and it ends
      break;
    }
    conn->timer.expires_at(conn->deadline);
    co_await conn->timer.async_wait(kAsTuple);
  }
}

asio::awaitable<void> LmtpServer::Impl::Serve(std::shared_ptr<Connection> conn) {
  using Next = LmtpSession::Next;
  LmtpSession session(options_, handler_, conn->client, hostname_);
  LineBuffer in;
  std::string out;
  session.Greet(out);
  Next next = Next::kCommand;
  bool say_last = true;  // whether what is left in `out` is still worth sending
  while (next != Next::kClose) {
    if (next == Next::kDeliver) {
      next = co_await Deliver(*conn, session, out);
      continue;
    }
    const bool idle = next == Next::kCommand && !session.in_transaction();
    if (idle && stopping_) {
      session.ShuttingDown(out);
      break;
    }
    std::string_view line;
    const ReadResult got = co_await ReadLine(*conn, in, out, idle, line);
    if (got == ReadResult::kClosed) {
      // Stop() cancelled an idle read: say goodbye. Anything else (the client left, the
      // watchdog closed the socket, a write failed): just close.
      say_last = idle && stopping_ && conn->socket.is_open();
      if (say_last) session.ShuttingDown(out);
      break;
    }
    if (next == Next::kCommand) {
      next = got == ReadResult::kTooLong ? session.OnCommandTooLong(out) : session.OnCommand(line, out);
    } else if (got == ReadResult::kTooLong) {
      session.OnDataLineTooLong();
    } else {
      next = session.OnDataLine(line, out);
    }
  }
  if (say_last) co_await Flush(*conn, out);
  error_code ignored;
  conn->socket.shutdown(tcp::socket::shutdown_send, ignored);
  conn->socket.close(ignored);
  conn->done = true;
  conn->timer.cancel();
}

asio::awaitable<ReadResult> LmtpServer::Impl::ReadLine(Connection& conn, LineBuffer& in,
                                                       std::string& out, bool idle,
                                                       std::string_view& line) {
  const std::size_t limit = options_.max_line_bytes + 2;  // with its CRLF
  for (;;) {
    const std::size_t lf = in.data.find('\n', in.scanned);
    if (lf != std::string::npos) {
      line = std::string_view(in.data).substr(in.start, lf + 1 - in.start);
      in.start = in.scanned = lf + 1;
      if (std::exchange(in.discarding, false) || line.size() > limit) co_return ReadResult::kTooLong;
      if (out.size() > kMaxPendingOutput && !co_await Flush(conn, out)) co_return ReadResult::kClosed;
      co_return ReadResult::kLine;
    }
    // No whole line buffered: drop what was handed on (or the over-long line) and read.
    if (in.discarding || in.data.size() - in.start > limit) {
      in.discarding = true;
      in.data.clear();
      in.start = 0;
    } else if (in.start > 0) {
      in.data.erase(0, in.start);
      in.start = 0;
    }
    in.scanned = in.data.size();
    if (!co_await Flush(conn, out)) co_return ReadResult::kClosed;
    // Stop() may have come while the flush was under way, too early to cancel the read.
    if (idle && stopping_) co_return ReadResult::kClosed;
    const std::size_t old_size = in.data.size();
    in.data.resize(old_size + kReadChunk);
    conn.ExpiresAfter(options_.timeout);
    conn.idle = idle;
    auto [ec, n] = co_await conn.socket.async_read_some(
        asio::buffer(in.data.data() + old_size, kReadChunk), kAsTuple);
    conn.idle = false;
    in.data.resize(old_size + n);
    if (ec) co_return ReadResult::kClosed;
  }
}

asio::awaitable<bool> LmtpServer::Impl::Flush(Connection& conn, std::string& out) {
  if (out.empty()) co_return true;
  conn.ExpiresAfter(options_.timeout);
  auto [ec, n] = co_await asio::async_write(conn.socket, asio::buffer(out), kAsTuple);
  out.clear();
  co_return !ec;
}

asio::awaitable<LmtpSession::Next> LmtpServer::Impl::Deliver(Connection& conn, LmtpSession& session,
                                                            std::string& out) {
  // The handler takes as long as it takes (a commit); Stop() bounds the wait.
  conn.SetDeadline(Clock::time_point::max());
  std::string message = session.TakeMessage();
  const LmtpEnvelope& envelope = session.envelope();
  using Replies = std::optional<std::vector<LmtpReply>>;
  // Resumes on the connection's strand when the handler is done.
  Replies replies = co_await asio::co_spawn(
      delivery_pool_,
      [this, &envelope, &message]() -> asio::awaitable<Replies> {
        try {
          co_return handler_.Deliver(envelope, std::move(message));
        } catch (...) {
          co_return std::nullopt;  // what went wrong is the handler's to log
        }
      },
      asio::use_awaitable);
  co_return session.Delivered(replies ? &*replies : nullptr, out);
}

LmtpServer::LmtpServer(LmtpOptions options, LmtpHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}
LmtpServer::~LmtpServer() = default;
Status LmtpServer::Listen() { return impl_->Listen(); }
int LmtpServer::port() const { return impl_->port(); }
void LmtpServer::Start() { impl_->Start(); }
void LmtpServer::Stop() { impl_->Stop(); }

}  // namespace rt
