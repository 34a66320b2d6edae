// Drives a real HttpServer on a free port with plain POSIX sockets.

#include "web/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace rt {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// A blocking client socket with a 3 s receive timeout, so a failing test cannot hang.
class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{3, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  struct Response {
    bool ok = false;  // a complete response was read
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string Header(const std::string& name) const {
      auto it = headers.find(name);
      return it == headers.end() ? "" : it->second;
    }
  };

  /// Reads one response; `head` means the request was HEAD (no body follows).
  Response Read(bool head = false) {
    Response res;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return res;
    }
    const std::string header = buffer_.substr(0, end + 2);
    buffer_.erase(0, end + 4);
    if (header.compare(0, 9, "HTTP/1.1 ") != 0) return res;
    res.status = std::stoi(header.substr(9, 3));
    std::size_t pos = header.find("\r\n") + 2;
    while (pos < header.size()) {
      const std::size_t eol = header.find("\r\n", pos);
      const std::string line = header.substr(pos, eol - pos);
      const std::size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::size_t value_start = line.find_first_not_of(' ', colon + 1);
      res.headers[name] = value_start == std::string::npos ? "" : line.substr(value_start);
      pos = eol + 2;
    }
    std::size_t length = 0;
    if (!head && res.headers.count("content-length")) length = std::stoul(res.headers["content-length"]);
    while (buffer_.size() < length) {
      if (!Fill()) return res;
    }
    res.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    res.ok = true;
    return res;
  }

  /// True when the server closes (or resets) the connection within `limit`, with no more
  /// data than what is already buffered.
  bool WaitForClose(std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      char c[256];
      ssize_t n = ::recv(fd_, c, sizeof(c), 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      buffer_.append(c, static_cast<std::size_t>(n));
    }
    return false;
  }

  const std::string& unread() const { return buffer_; }

 private:
  bool Fill() {
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string Get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

HttpResponse Echo(const HttpRequest& req) {
  HttpResponse res;
  res.content_type = "text/plain";
  res.body = req.method + " " + req.target + " " + req.body;
  res.headers.emplace_back("X-Client", req.client);
  return res;
}

/// A server on a free port running on its own thread; stopped and joined on destruction.
class RunningServer {
 public:
  RunningServer(HttpServerOptions options, HttpHandler handler, HttpFastHandler fast = nullptr) {
    options.port = 0;
    options.handle_signals = false;
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<HttpServer>(std::move(options), std::move(handler), std::move(fast));
    Status s = server_->Listen();
    EXPECT_TRUE(s.ok()) << s.message();
    thread_ = std::thread([this] {
      server_->Run();
      returned_ = true;
    });
  }
  ~RunningServer() { Join(); }

  std::uint16_t port() const { return server_->port(); }
  HttpServer& server() { return *server_; }
  bool returned() const { return returned_; }
  void Join() {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::atomic<bool> returned_{false};
};

TEST(HttpServerTest, KeepAliveServesTwoRequestsOnOneSocket) {
  RunningServer server({}, Echo);
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(Get("/a")));
  auto first = client.Read();
  ASSERT_TRUE(first.ok);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "GET /a ");
  EXPECT_EQ(first.Header("content-length"), "7");
  EXPECT_EQ(first.Header("content-type"), "text/plain");
  EXPECT_EQ(first.Header("x-client"), "127.0.0.1");
  EXPECT_EQ(first.Header("connection"), "");
  EXPECT_NE(first.Header("date").find(" GMT"), std::string::npos);

  ASSERT_TRUE(client.Send(Get("/b?x=1")));
  auto second = client.Read();
  ASSERT_TRUE(second.ok);
  EXPECT_EQ(second.body, "GET /b?x=1 ");
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer server({}, Echo);
  Client client(server.port());
  ASSERT_TRUE(client.Send(Get("/1") + Get("/2") +
                          "POST /3 HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody"));
  EXPECT_EQ(client.Read().body, "GET /1 ");
  EXPECT_EQ(client.Read().body, "GET /2 ");
  EXPECT_EQ(client.Read().body, "POST /3 body");
}

TEST(HttpServerTest, ChunkedBodyWithExpectContinue) {
  RunningServer server({}, Echo);
  Client client(server.port());
  ASSERT_TRUE(client.Send(
      "POST /c HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"));
  auto interim = client.Read();
  ASSERT_TRUE(interim.ok);
  EXPECT_EQ(interim.status, 100);
  ASSERT_TRUE(client.Send("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  auto res = client.Read();
  ASSERT_TRUE(res.ok);
  EXPECT_EQ(res.body, "POST /c abcde");
}

TEST(HttpServerTest, Http10ClosesAfterOneRequest) {
  RunningServer server({}, Echo);
  Client client(server.port());
  ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\n\r\n"));
  auto res = client.Read();
  ASSERT_TRUE(res.ok);
  EXPECT_EQ(res.body, "GET /old ");
  EXPECT_EQ(res.Header("connection"), "close");
  EXPECT_TRUE(client.WaitForClose(1s));
}

TEST(HttpServerTest, HeadHasContentLengthButNoBody) {
  RunningServer server({}, [](const HttpRequest& req) {
    HttpResponse res;
    res.body = std::string(1000, 'x');
    res.headers.emplace_back("ETag", "\"v1\"");
    res.headers.emplace_back("X-Method", req.method);
    return res;
  });
  Client client(server.port());
  ASSERT_TRUE(client.Send("HEAD /page HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto head = client.Read(/*head=*/true);
  ASSERT_TRUE(head.ok);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "1000");
  EXPECT_EQ(head.Header("x-method"), "HEAD");
  EXPECT_EQ(head.Header("etag"), "\"v1\"");
  // Had a body been sent, it would now precede the next response.
  ASSERT_TRUE(client.Send(Get("/page")));
  auto get = client.Read();
  ASSERT_TRUE(get.ok);
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body.size(), 1000u);
  EXPECT_EQ(get.Header("x-method"), "GET");
}

TEST(HttpServerTest, GzipBodyAnd204) {
  RunningServer server({}, [](const HttpRequest& req) {
    HttpResponse res;
    if (req.target == "/empty") {
      res.status = 204;
      return res;
    }
    res.body = "\x1f\x8b pretend";
    res.body_is_gzip = true;
    return res;
  });
  Client client(server.port());
  ASSERT_TRUE(client.Send(Get("/gz") + Get("/empty")));
  auto gz = client.Read();
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(gz.body, "\x1f\x8b pretend");
  auto empty = client.Read();
  ASSERT_TRUE(empty.ok);
  EXPECT_EQ(empty.status, 204);
  EXPECT_EQ(empty.Header("content-length"), "");
}

TEST(HttpServerTest, MalformedRequestGets400AndClose) {
  RunningServer server({}, Echo);
  {
    Client client(server.port());
    ASSERT_TRUE(client.Send("GARBAGE\r\n\r\n"));
    auto res = client.Read();
    ASSERT_TRUE(res.ok);
    EXPECT_EQ(res.status, 400);
    EXPECT_EQ(res.Header("connection"), "close");
    EXPECT_EQ(res.Header("content-type"), "text/plain; charset=utf-8");
    EXPECT_TRUE(client.WaitForClose(1500ms));
  }
  {
    Client client(server.port());
    ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\n\r\n"));  // no Host
    EXPECT_EQ(client.Read().status, 400);
  }
  {
    Client client(server.port());
    ASSERT_TRUE(client.Send("GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(client.Read().status, 400);
  }
  // A Host that is no host[:port] (RFC 9112 3.2), and two of them.
  for (const char* host : {"exa mple.org", "example.org/x", "user@example.org", "example.org:80a", "[::1", "<b>",
                           "example.org\r\nHost: other"}) {
    Client client(server.port());
    ASSERT_TRUE(client.Send(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n"));
    EXPECT_EQ(client.Read().status, 400) << host;
  }
  for (const char* host : {"example.org", "example.org:8080", "127.0.0.1:8080", "[::1]:8080", "[2001:db8::1]", ""}) {
    Client client(server.port());
    ASSERT_TRUE(client.Send(std::string("GET /ok HTTP/1.1\r\nHost: ") + host + "\r\n\r\n"));
    EXPECT_EQ(client.Read().status, 200) << host;
  }
  {
    Client client(server.port());
    const char with_nul[] = "GET / HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n";
    ASSERT_TRUE(client.Send(std::string(with_nul, sizeof(with_nul) - 1)));
    EXPECT_EQ(client.Read().status, 400);
  }
  {
    Client client(server.port());
    ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
    EXPECT_EQ(client.Read().status, 400);
  }
  {  // Not chunked: where the body ends is ambiguous.
    Client client(server.port());
    ASSERT_TRUE(client.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc"));
    EXPECT_EQ(client.Read().status, 400);
  }
  // Still serving.
  Client client(server.port());
  ASSERT_TRUE(client.Send(Get("/ok")));
  EXPECT_EQ(client.Read().status, 200);
}

TEST(HttpServerTest, HugeHeaderGets431) {
  RunningServer server({}, Echo);
  Client client(server.port());
  ASSERT_TRUE(client.Send(Get("/", "X-Big: " + std::string(20 * 1024, 'a') + "\r\n")));
  auto res = client.Read();
  ASSERT_TRUE(res.ok);
  EXPECT_EQ(res.status, 431);
  EXPECT_EQ(res.Header("connection"), "close");
}

TEST(HttpServerTest, BigBodyGets413) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  RunningServer server(options, Echo);
  {
    Client client(server.port());
    ASSERT_TRUE(client.Send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 4096\r\n\r\n" +
                            std::string(4096, 'b')));
    auto res = client.Read();
    ASSERT_TRUE(res.ok);
    EXPECT_EQ(res.status, 413);
    EXPECT_EQ(res.Header("connection"), "close");
  }
  {  // Chunked: the limit is found only while reading the body.
    Client client(server.port());
    std::string chunk = "400\r\n" + std::string(1024, 'c') + "\r\n";
    ASSERT_TRUE(client.Send("POST /p HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" +
                            chunk + chunk + "0\r\n\r\n"));
    EXPECT_EQ(client.Read().status, 413);
  }
  Client client(server.port());
  ASSERT_TRUE(client.Send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" +
                          std::string(1024, 'b')));
  EXPECT_EQ(client.Read().status, 200);
}

TEST(HttpServerTest, SlowlorisIsCutOffAfterReadTimeout) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  RunningServer server(options, Echo);
  Client slow(server.port());
  const auto start = Clock::now();
  ASSERT_TRUE(slow.Send("GET / HTTP/1.1\r\nHost: t\r\n"));
  std::this_thread::sleep_for(150ms);
  ASSERT_TRUE(slow.Send("X-A: 1\r\n"));  // trickling bytes does not extend the deadline
  EXPECT_TRUE(slow.WaitForClose(2s));
  const auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 1000ms);
  EXPECT_EQ(slow.unread(), "");  // closed without an answer

  // An idle keep-alive connection is closed after the same time.
  Client idle(server.port());
  ASSERT_TRUE(idle.Send(Get("/")));
  EXPECT_EQ(idle.Read().status, 200);
  EXPECT_TRUE(idle.WaitForClose(1s));
}

TEST(HttpServerTest, RateLimitAnswers429AfterBurst) {
  HttpServerOptions options;
  options.rate_per_second = 1;
  options.rate_burst = 3;
  RunningServer server(options, Echo);
  Client client(server.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send(Get("/")));
    EXPECT_EQ(client.Read().status, 200) << i;
  }
  ASSERT_TRUE(client.Send(Get("/")));
  auto limited = client.Read();
  ASSERT_TRUE(limited.ok);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Header("retry-after"), "1");
  EXPECT_EQ(limited.Header("connection"), "");  // the connection stays usable
  // Another connection from the same address shares the bucket.
  Client other(server.port());
  ASSERT_TRUE(other.Send(Get("/")));
  EXPECT_EQ(other.Read().status, 429);
}

TEST(HttpServerTest, BehindATrustedProxyEachClientHasItsOwnBucket) {
  HttpServerOptions options;
  options.rate_per_second = 1;
  options.rate_burst = 2;
  options.trusted_proxies = {"127.0.0.1"};
  RunningServer server(options, Echo);
  Client proxy(server.port());  // one keep-alive connection carrying several clients
  for (const char* client : {"198.51.100.1", "198.51.100.2", "198.51.100.1", "198.51.100.2"}) {
    ASSERT_TRUE(proxy.Send(Get("/", std::string("X-Forwarded-For: ") + client + "\r\n")));
    auto res = proxy.Read();
    EXPECT_EQ(res.status, 200) << client;
    EXPECT_EQ(res.Header("x-client"), client);
  }
  ASSERT_TRUE(proxy.Send(Get("/", "X-Forwarded-For: 198.51.100.1\r\n")));
  EXPECT_EQ(proxy.Read().status, 429);  // that client's burst is spent; the other's too
  ASSERT_TRUE(proxy.Send(Get("/", "X-Forwarded-For: 6.6.6.6, 198.51.100.3\r\n")));
  auto third = proxy.Read();
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(third.Header("x-client"), "198.51.100.3");  // not what the client wrote itself

  HttpServerOptions untrusted;
  untrusted.trusted_proxies = {"10.0.0.0/8"};
  RunningServer direct(untrusted, Echo);
  Client visitor(direct.port());
  ASSERT_TRUE(visitor.Send(Get("/", "X-Forwarded-For: 198.51.100.1\r\n")));
  EXPECT_EQ(visitor.Read().Header("x-client"), "127.0.0.1");
}

TEST(HttpServerTest, ListenRejectsATrustedProxyThatIsNoAddress) {
  HttpServerOptions options;
  options.port = 0;
  options.trusted_proxies = {"nginx.local"};
  HttpServer server(options, Echo);
  Status s = server.Listen();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nginx.local"), std::string::npos);
}

TEST(HttpServerTest, MaxConnectionsAnswers503) {
  HttpServerOptions options;
  options.max_connections = 1;
  RunningServer server(options, Echo);
  Client first(server.port());
  ASSERT_TRUE(first.Send(Get("/")));
  EXPECT_EQ(first.Read().status, 200);  // now certainly registered

  Client second(server.port());
  ASSERT_TRUE(second.Send(Get("/")));
  auto res = second.Read();
  ASSERT_TRUE(res.ok);
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(res.Header("connection"), "close");
  EXPECT_TRUE(second.WaitForClose(1500ms));

  ASSERT_TRUE(first.Send(Get("/again")));
  EXPECT_EQ(first.Read().status, 200);
}

TEST(HttpServerTest, ThrowingHandlerGets500AndServerKeepsServing) {
  RunningServer server({}, [](const HttpRequest& req) -> HttpResponse {
    if (req.target == "/throw") throw std::runtime_error("secret database path /var/x");
    if (req.target == "/bad-header") {
      HttpResponse res;
      res.headers.emplace_back("X-Injected", "a\r\nSet-Cookie: evil");
      return res;
    }
    return Echo(req);
  });
  Client client(server.port());
  ASSERT_TRUE(client.Send(Get("/throw")));
  auto res = client.Read();
  ASSERT_TRUE(res.ok);
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("secret"), std::string::npos);
  ASSERT_TRUE(client.Send(Get("/bad-header")));
  auto bad = client.Read();
  EXPECT_EQ(bad.status, 500);
  EXPECT_EQ(bad.Header("set-cookie"), "");
  ASSERT_TRUE(client.Send(Get("/fine")));
  auto fine = client.Read();
  EXPECT_EQ(fine.status, 200);
  EXPECT_EQ(fine.body, "GET /fine ");
}

TEST(HttpServerTest, FastAnswersDoNotWaitForSlowRenders) {
  HttpServerOptions options;
  options.threads = 1;
  options.render_threads = 1;
  std::atomic<int> rendering{0};
  RunningServer server(
      options,
      [&](const HttpRequest& req) {
        ++rendering;
        std::this_thread::sleep_for(400ms);  // an unseen search
        return Echo(req);
      },
      [](const HttpRequest& req) -> std::optional<HttpResponse> {
        if (req.target != "/cached") return std::nullopt;
        HttpResponse res;
        res.body = "from the cache";
        return res;
      });
  Client slow(server.port());
  ASSERT_TRUE(slow.Send(Get("/slow")));
  while (rendering == 0) std::this_thread::sleep_for(5ms);
  // The only render thread is busy; the cached answer still comes at once.
  Client quick(server.port());
  const auto start = Clock::now();
  ASSERT_TRUE(quick.Send(Get("/cached")));
  auto cached = quick.Read();
  EXPECT_LT(Clock::now() - start, 200ms);
  ASSERT_TRUE(cached.ok);
  EXPECT_EQ(cached.body, "from the cache");
  auto rendered = slow.Read();
  ASSERT_TRUE(rendered.ok);
  EXPECT_EQ(rendered.body, "GET /slow ");  // fell through to the handler
}

TEST(HttpServerTest, SaturatedWhileEveryThreadHasARequestInHand) {
  HttpServerOptions options;
  options.threads = 2;
  std::atomic<int> entered{0};
  std::atomic<bool> release{false};
  RunningServer server(options, [&](const HttpRequest& req) {
    ++entered;
    while (!release) std::this_thread::sleep_for(1ms);
    return Echo(req);
  });
  EXPECT_FALSE(server.server().Saturated());
  Client first(server.port()), second(server.port());
  ASSERT_TRUE(first.Send(Get("/a")));
  while (entered < 1) std::this_thread::sleep_for(1ms);
  EXPECT_FALSE(server.server().Saturated()) << "one request, two threads";
  ASSERT_TRUE(second.Send(Get("/b")));
  while (entered < 2) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(server.server().Saturated());
  release = true;
  EXPECT_EQ(first.Read().status, 200);
  EXPECT_EQ(second.Read().status, 200);
  for (int i = 0; i < 200 && server.server().Saturated(); ++i) std::this_thread::sleep_for(1ms);
  EXPECT_FALSE(server.server().Saturated());
}

TEST(HttpServerTest, StopLetsInFlightRequestFinishThenRunReturns) {
  std::atomic<bool> entered{false};
  RunningServer server({}, [&](const HttpRequest& req) {
    entered = true;
    std::this_thread::sleep_for(300ms);
    HttpResponse res = Echo(req);
    res.body += std::string(100000, 'z');
    return res;
  });
  Client idle(server.port());  // connected, never sends: closed at once by Stop()
  Client busy(server.port());
  ASSERT_TRUE(busy.Send(Get("/slow")));
  while (!entered) std::this_thread::sleep_for(5ms);
  const auto start = Clock::now();
  server.server().Stop();
  EXPECT_TRUE(idle.WaitForClose(200ms));
  auto res = busy.Read();
  ASSERT_TRUE(res.ok);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body.size(), 100000u + 10u);
  EXPECT_EQ(res.Header("connection"), "close");
  server.Join();
  EXPECT_TRUE(server.returned());
  EXPECT_LT(Clock::now() - start, 1000ms);
  // No longer accepting.
  Client late(server.port());
  EXPECT_FALSE(late.connected() && late.Send(Get("/")) && late.Read().ok);
}

TEST(HttpServerTest, HardStopAfterGrace) {
  HttpServerOptions options;
  options.shutdown_grace = 200ms;
  RunningServer server(options, Echo);
  Client half(server.port());
  ASSERT_TRUE(half.Send("GET / HTTP/1.1\r\n"));  // mid-request: not idle, never finishes
  std::this_thread::sleep_for(50ms);
  const auto start = Clock::now();
  server.Join();
  const auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 1000ms);
  EXPECT_TRUE(half.WaitForClose(100ms));  // hung up when Run() returned
}

TEST(HttpServerTest, StopBeforeRunReturnsAtOnce) {
  HttpServerOptions options;
  options.port = 0;
  options.handle_signals = false;
  HttpServer server(options, Echo);
  ASSERT_TRUE(server.Listen().ok());
  server.Stop();
  server.Run();
  server.Stop();  // idempotent
}

TEST(HttpServerTest, ListenReportsAddressInUse) {
  RunningServer first({}, Echo);
  HttpServerOptions options;
  options.port = first.port();
  HttpServer second(options, Echo);
  Status s = second.Listen();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "cannot listen on 127.0.0.1:" + std::to_string(first.port()) + ": Address already in use");
}

TEST(HttpServerTest, AccessLogRecordsEveryResponse) {
  std::mutex mutex;
  std::vector<AccessLogEntry> entries;
  HttpServerOptions options;
  options.access_log = [&](const AccessLogEntry& entry) {
    std::lock_guard lock(mutex);
    entries.push_back(entry);
  };
  RunningServer server(options, [](const HttpRequest& req) {
    HttpResponse res = Echo(req);
    if (req.target == "/missing") res.status = 404;
    return res;
  });
  {
    Client client(server.port());
    ASSERT_TRUE(client.Send(Get("/a", "User-Agent: tester/1.0\r\n") + Get("/missing")));
    EXPECT_EQ(client.Read().status, 200);
    EXPECT_EQ(client.Read().status, 404);
  }
  {
    Client client(server.port());
    ASSERT_TRUE(client.Send(Get("/", "X-Big: " + std::string(20 * 1024, 'a') + "\r\n")));
    EXPECT_EQ(client.Read().status, 431);
  }
  server.Join();
  std::lock_guard lock(mutex);
  ASSERT_EQ(entries.size(), 3u);
  // A response can reach the client before its entry is logged: order by status.
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.status < b.status; });
  EXPECT_EQ(entries[0].status, 200);
  EXPECT_EQ(entries[0].method, "GET");
  EXPECT_EQ(entries[0].target, "/a");
  EXPECT_EQ(entries[0].user_agent, "tester/1.0");
  EXPECT_EQ(entries[0].client, "127.0.0.1");
  EXPECT_GT(entries[0].bytes, 7u);
  EXPECT_GT(entries[0].unix_ms, 1600000000000);
  EXPECT_GE(entries[0].micros, 0);
  EXPECT_EQ(entries[1].status, 404);
  EXPECT_EQ(entries[1].target, "/missing");
  EXPECT_EQ(entries[1].user_agent, "");
  EXPECT_EQ(entries[2].status, 431);
  EXPECT_EQ(entries[2].method, "");
}

}  // namespace
}  // namespace rt
