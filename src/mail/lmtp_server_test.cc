// Drives a real LmtpServer on 127.0.0.1 with Python's smtplib.LMTP (a child process) and
// with raw sockets (pipelining, errors, limits, stop); the protocol edge cases go straight
// to LmtpSession.

#include "mail/lmtp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
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

struct Delivery {
  LmtpEnvelope envelope;
  std::string message;
};

/// Accepts every address but unknown*@ (550) and throws*@ (throws); Deliver answers 452
/// for full*@ and 250 otherwise, after `delay`, and records what it got.
class RecordingHandler : public LmtpHandler {
 public:
  LmtpReply CheckRecipient(const std::string& address) override {
    if (address.starts_with("unknown")) return {550, "5.1.1 No such list"};
    if (address.starts_with("throws")) throw std::runtime_error("lookup failed");
    return {250, "2.1.5 OK"};
  }
  std::vector<LmtpReply> Deliver(const LmtpEnvelope& envelope, std::string message) override {
    ++delivering;
    std::this_thread::sleep_for(delay);
    --delivering;
    if (throw_on_deliver) throw std::runtime_error("disk full");
    std::vector<LmtpReply> replies;
    for (const auto& rcpt : envelope.recipients) {
      if (rcpt.starts_with("full")) {
        replies.push_back({452, "4.2.2 Mailbox full"});
      } else {
        replies.push_back({250, "2.0.0 Stored"});
      }
    }
    std::lock_guard lock(mutex);
    deliveries.push_back({envelope, std::move(message)});
    return replies;
  }
  std::vector<Delivery> Deliveries() {
    std::lock_guard lock(mutex);
    return deliveries;
  }

  std::chrono::milliseconds delay{0};
  bool throw_on_deliver = false;
  std::atomic<int> delivering{0};
  std::mutex mutex;
  std::vector<Delivery> deliveries;  // GUARDED_BY(mutex)
};

/// A server on a free port, started; stopped on destruction.
class RunningServer {
 public:
  RunningServer(LmtpHandler& handler, LmtpOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.hostname = "lmtp.test";
    server_ = std::make_unique<LmtpServer>(std::move(options), handler);
    Status s = server_->Listen();
    EXPECT_TRUE(s.ok()) << s.message();
    server_->Start();
  }
  int port() const { return server_->port(); }
  LmtpServer& server() { return *server_; }

 private:
  std::unique_ptr<LmtpServer> server_;
};

struct Reply {
  int code = 0;  // 0: none read (closed or timed out)
  std::string text;  // the last line, after the code
  std::vector<std::string> lines;  // every line's text
};

/// A blocking client socket with 3 s timeouts, so a failing test cannot hang.
class Client {
 public:
  explicit Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{3, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
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

  /// Reads one reply, multiline or not.
  Reply Read() {
    Reply reply;
    for (;;) {
      std::size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        if (!Fill()) return Reply{};
      }
      const std::string line = buffer_.substr(0, eol);
      buffer_.erase(0, eol + 2);
      if (line.size() < 3) return Reply{};
      reply.lines.push_back(line.size() > 4 ? line.substr(4) : "");
      if (line.size() < 4 || line[3] == ' ') {
        reply.code = std::stoi(line.substr(0, 3));
        reply.text = reply.lines.back();
        return reply;
      }
    }
  }

  /// Sends `command` and CRLF, returns the reply's code.
  int Command(const std::string& command) {
    if (!Send(command + "\r\n")) return 0;
    return Read().code;
  }

  /// True when the server closes the connection within `limit` without sending more.
  bool WaitForClose(std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      char c[256];
      ssize_t n = ::recv(fd_, c, sizeof(c), 0);
      if (n == 0) return buffer_.empty();
      if (n < 0) return errno == ECONNRESET;
      buffer_.append(c, static_cast<std::size_t>(n));
    }
    return false;
  }

 private:
  bool Fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

/// Connects and says LHLO; the client is ready for MAIL.
std::unique_ptr<Client> Greeted(int port) {
  auto client = std::make_unique<Client>(port);
  EXPECT_TRUE(client->connected());
  EXPECT_EQ(client->Read().code, 220);
  EXPECT_EQ(client->Command("LHLO client.test"), 250);
  return client;
}

/// Runs a Python script with the server's port as its argument; returns its standard output.
std::string RunPython(const std::string& script, int port) {
  char path[] = "/tmp/lmtp_test_XXXXXX.py";
  const int fd = ::mkstemps(path, 3);
  if (fd < 0) return "mkstemps failed";
  ::close(fd);
  std::ofstream(path) << script;
  // Debian's python; any python3 has smtplib.
  const std::string python = ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
  const std::string command = python + " " + path + " " + std::to_string(port) + " 2>&1";
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char chunk[4096];
    std::size_t n;
    while ((n = std::fread(chunk, 1, sizeof(chunk), pipe)) > 0) output.append(chunk, n);
    ::pclose(pipe);
  }
  std::remove(path);
  return output;
}

TEST(LmtpServerTest, SmtplibDeliversWithOneReplyPerRecipient) {
  RecordingHandler handler;
  LmtpOptions options;
  options.max_message_bytes = 100000;
  RunningServer server(handler, options);
  const std::string script = R"PY(
import smtplib, sys
msg = b"From: a@example.org\r\nSubject: hi\r\n\r\n.leading dot\r\n..two\r\n.\r\nend\r\n"
s = smtplib.LMTP("127.0.0.1", int(sys.argv[1]), timeout=5)
code, _ = s.ehlo("client.example")
print("lhlo", code, s.has_extn("pipelining"), s.has_extn("enhancedstatuscodes"),
      s.has_extn("8bitmime"), s.esmtp_features.get("size"))
refused = s.sendmail("sender@example.org", ["list@example.org", "unknown@example.org"], msg)
print("refused", [(k, v[0]) for k, v in refused.items()])
# Two accepted recipients, two different answers after the data: LMTP's reply per recipient.
print("mail", s.mail("")[0], s.rcpt("list@example.org")[0], s.rcpt("full@example.org")[0])
print("data", s.data(msg)[0], s.getreply()[0])
print("quit", s.quit()[0])
)PY";
  const std::string output = RunPython(script, server.port());
  EXPECT_EQ(output,
            "lhlo 250 True True True 100000\n"
            "refused [('unknown@example.org', 550)]\n"
            "mail 250 250 250\n"
            "data 250 452\n"
            "quit 221\n");

  const std::string sent = "From: a@example.org\r\nSubject: hi\r\n\r\n.leading dot\r\n..two\r\n.\r\nend\r\n";
  const auto deliveries = handler.Deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[0].envelope.client, "127.0.0.1");
  EXPECT_EQ(deliveries[0].envelope.helo, "client.example");
  EXPECT_EQ(deliveries[0].envelope.mail_from, "sender@example.org");
  EXPECT_EQ(deliveries[0].envelope.recipients, std::vector<std::string>{"list@example.org"});
  EXPECT_EQ(deliveries[0].message, sent);  // smtplib stuffed the dots, the server unstuffed them
  EXPECT_EQ(deliveries[1].envelope.mail_from, "");
  EXPECT_EQ(deliveries[1].envelope.recipients,
            (std::vector<std::string>{"list@example.org", "full@example.org"}));
  EXPECT_EQ(deliveries[1].message, sent);
}

TEST(LmtpServerTest, PipelinedTransactionInOneWrite) {
  RecordingHandler handler;
  LmtpOptions options;
  options.max_message_bytes = 5000;
  RunningServer server(handler, options);
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  const Reply greeting = client.Read();
  EXPECT_EQ(greeting.code, 220);
  EXPECT_EQ(greeting.text, "lmtp.test LMTP Roundtable ready");

  ASSERT_TRUE(client.Send("LHLO client.test\r\nMAIL FROM:<> BODY=8BITMIME\r\nRCPT TO:<a@example.org>\r\n"
                          "RCPT TO:<full@example.org>\r\nRCPT TO:<unknown@example.org>\r\nDATA\r\n"));
  const Reply lhlo = client.Read();
  EXPECT_EQ(lhlo.code, 250);
  EXPECT_EQ(lhlo.lines, (std::vector<std::string>{"lmtp.test", "PIPELINING", "ENHANCEDSTATUSCODES",
                                                  "8BITMIME", "SMTPUTF8", "SIZE 5000"}));
  EXPECT_EQ(client.Read().code, 250);  // MAIL
  EXPECT_EQ(client.Read().code, 250);  // RCPT a
  EXPECT_EQ(client.Read().code, 250);  // RCPT full
  const Reply unknown = client.Read();
  EXPECT_EQ(unknown.code, 550);
  EXPECT_EQ(unknown.text, "5.1.1 No such list");
  EXPECT_EQ(client.Read().code, 354);

  ASSERT_TRUE(client.Send("Subject: x\r\n\r\n..dot\r\n...\r\n. \r\n.\r\n"));
  const Reply first = client.Read();
  EXPECT_EQ(first.code, 250);
  EXPECT_EQ(first.text, "2.0.0 Stored");
  const Reply second = client.Read();
  EXPECT_EQ(second.code, 452);
  EXPECT_EQ(second.text, "4.2.2 Mailbox full");

  // A client that does not even wait for 354 (the server must not lose the buffered data).
  ASSERT_TRUE(client.Send("MAIL FROM:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n"
                          "Subject: y\r\n\r\nbody\r\n.\r\nQUIT\r\n"));
  EXPECT_EQ(client.Read().code, 250);
  EXPECT_EQ(client.Read().code, 250);
  EXPECT_EQ(client.Read().code, 354);
  EXPECT_EQ(client.Read().code, 250);
  EXPECT_EQ(client.Read().code, 221);
  EXPECT_TRUE(client.WaitForClose(2000ms));

  const auto deliveries = handler.Deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[0].envelope.mail_from, "");
  EXPECT_EQ(deliveries[0].envelope.recipients,
            (std::vector<std::string>{"a@example.org", "full@example.org"}));
  EXPECT_EQ(deliveries[0].message, "Subject: x\r\n\r\n.dot\r\n..\r\n \r\n");
  EXPECT_EQ(deliveries[1].envelope.mail_from, "b@example.org");
  EXPECT_EQ(deliveries[1].message, "Subject: y\r\n\r\nbody\r\n");
}

TEST(LmtpServerTest, OversizedMessageIsRefusedAndTheConnectionStaysInSync) {
  RecordingHandler handler;
  LmtpOptions options;
  options.max_message_bytes = 1000;
  RunningServer server(handler, options);
  auto client = Greeted(server.port());
  EXPECT_EQ(client->Command("MAIL FROM:<a@example.org> SIZE=1001"), 552);
  EXPECT_EQ(client->Command("MAIL FROM:<a@example.org> SIZE=99999999999999999999999"), 552);
  EXPECT_EQ(client->Command("MAIL FROM:<a@example.org> SIZE=10x"), 501);
  EXPECT_EQ(client->Command("MAIL FROM:<a@example.org> SIZE=1000"), 250);
  EXPECT_EQ(client->Command("RCPT TO:<l1@example.org>"), 250);
  EXPECT_EQ(client->Command("RCPT TO:<l2@example.org>"), 250);
  EXPECT_EQ(client->Command("DATA"), 354);
  std::string big;
  for (int i = 0; i < 100; ++i) big += std::string(98, 'x') + "\r\n";  // 10,000 bytes
  ASSERT_TRUE(client->Send(big + ".\r\n"));
  for (int i = 0; i < 2; ++i) {
    const Reply reply = client->Read();
    EXPECT_EQ(reply.code, 552);
    EXPECT_EQ(reply.text, "5.3.4 Message size exceeds fixed limit");
  }
  EXPECT_EQ(client->Command("NOOP"), 250);
  EXPECT_TRUE(handler.Deliveries().empty());

  // Exactly at the limit is fine, on the same connection.
  EXPECT_EQ(client->Command("MAIL FROM:<a@example.org>"), 250);
  EXPECT_EQ(client->Command("RCPT TO:<l1@example.org>"), 250);
  EXPECT_EQ(client->Command("DATA"), 354);
  ASSERT_TRUE(client->Send(big.substr(0, 1000) + ".\r\n"));
  EXPECT_EQ(client->Read().code, 250);
  ASSERT_EQ(handler.Deliveries().size(), 1u);
  EXPECT_EQ(handler.Deliveries()[0].message.size(), 1000u);
}

TEST(LmtpServerTest, TooManyRecipientsGet452) {
  RecordingHandler handler;
  LmtpOptions options;
  options.max_recipients = 2;
  RunningServer server(handler, options);
  auto client = Greeted(server.port());
  EXPECT_EQ(client->Command("MAIL FROM:<a@example.org>"), 250);
  EXPECT_EQ(client->Command("RCPT TO:<l1@example.org>"), 250);
  EXPECT_EQ(client->Command("RCPT TO:<unknown@example.org>"), 550);  // refused ones do not count
  EXPECT_EQ(client->Command("RCPT TO:<l2@example.org>"), 250);
  ASSERT_TRUE(client->Send("RCPT TO:<l3@example.org>\r\n"));
  const Reply third = client->Read();
  EXPECT_EQ(third.code, 452);
  EXPECT_EQ(third.text, "4.5.3 Too many recipients");
  EXPECT_EQ(client->Command("DATA"), 354);
  ASSERT_TRUE(client->Send("Subject: z\r\n\r\nhi\r\n.\r\n"));
  EXPECT_EQ(client->Read().code, 250);
  EXPECT_EQ(client->Read().code, 250);
  ASSERT_EQ(handler.Deliveries().size(), 1u);
  EXPECT_EQ(handler.Deliveries()[0].envelope.recipients,
            (std::vector<std::string>{"l1@example.org", "l2@example.org"}));
}

TEST(LmtpServerTest, BadSequenceSyntaxAndUnknownCommands) {
  RecordingHandler handler;
  RunningServer server(handler);
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  EXPECT_EQ(client.Read().code, 220);
  EXPECT_EQ(client.Command("MAIL FROM:<a@example.org>"), 503);  // before LHLO
  ASSERT_TRUE(client.Send("HELO client.test\r\n"));
  const Reply helo = client.Read();
  EXPECT_EQ(helo.code, 500);
  EXPECT_EQ(helo.text.substr(0, 6), "5.5.1 ");
  EXPECT_EQ(client.Command("EHLO client.test"), 500);
  EXPECT_EQ(client.Command("LHLO"), 501);
  EXPECT_EQ(client.Command("LHLO client.test"), 250);
  ASSERT_TRUE(client.Send("RCPT TO:<a@example.org>\r\n"));
  const Reply rcpt = client.Read();
  EXPECT_EQ(rcpt.code, 503);
  EXPECT_EQ(rcpt.text, "5.5.1 Need MAIL command");
  EXPECT_EQ(client.Command("DATA"), 503);
  EXPECT_EQ(client.Command("MAIL FROM <a@example.org>"), 501);
  EXPECT_EQ(client.Command("MAIL FROM:<a@example.org"), 501);
  EXPECT_EQ(client.Command("MAIL FROM:<a@example.org> FOO=1"), 555);
  EXPECT_EQ(client.Command("mail from:<a@example.org>"), 250);  // verbs are case-insensitive
  EXPECT_EQ(client.Command("MAIL FROM:<b@example.org>"), 503);  // nested
  EXPECT_EQ(client.Command("RCPT TO:<>"), 501);
  EXPECT_EQ(client.Command("DATA"), 503);  // no recipient yet
  EXPECT_EQ(client.Command("RCPT TO:<unknown@example.org>"), 550);
  EXPECT_EQ(client.Command("DATA"), 503);  // still none accepted (RFC 2033 4.2)
  EXPECT_EQ(client.Command("RCPT TO:<throws@example.org>"), 451);
  EXPECT_EQ(client.Command("RSET"), 250);
  EXPECT_EQ(client.Command("RCPT TO:<a@example.org>"), 503);  // RSET ended the transaction
  EXPECT_EQ(client.Command("VRFY a@example.org"), 252);
  EXPECT_EQ(client.Command("NOOP"), 250);
  EXPECT_EQ(client.Command("BDAT 10 LAST"), 500);
  EXPECT_EQ(client.Command("NOOP " + std::string(9000, 'x')), 500);  // over max_line_bytes
  EXPECT_EQ(client.Command("NOOP"), 250);  // and still in sync
  EXPECT_EQ(client.Command("QUIT"), 221);
  EXPECT_TRUE(client.WaitForClose(2000ms));
  EXPECT_TRUE(handler.Deliveries().empty());
}

TEST(LmtpServerTest, FailingDeliverGives451ToEveryRecipient) {
  RecordingHandler handler;
  handler.throw_on_deliver = true;
  RunningServer server(handler);
  auto client = Greeted(server.port());
  EXPECT_EQ(client->Command("MAIL FROM:<a@example.org>"), 250);
  EXPECT_EQ(client->Command("RCPT TO:<l1@example.org>"), 250);
  EXPECT_EQ(client->Command("RCPT TO:<l2@example.org>"), 250);
  EXPECT_EQ(client->Command("DATA"), 354);
  ASSERT_TRUE(client->Send("Subject: z\r\n\r\nhi\r\n.\r\n"));
  for (int i = 0; i < 2; ++i) {
    const Reply reply = client->Read();
    EXPECT_EQ(reply.code, 451);
    EXPECT_EQ(reply.text.substr(0, 6), "4.3.0 ");
  }
  EXPECT_EQ(client->Command("NOOP"), 250);
}

TEST(LmtpServerTest, SlowDeliverDoesNotStallOtherConnections) {
  RecordingHandler handler;
  handler.delay = 300ms;
  LmtpOptions options;
  options.network_threads = 1;
  RunningServer server(handler, options);
  auto slow = Greeted(server.port());
  auto other = Greeted(server.port());
  EXPECT_EQ(slow->Command("MAIL FROM:<a@example.org>"), 250);
  EXPECT_EQ(slow->Command("RCPT TO:<l1@example.org>"), 250);
  EXPECT_EQ(slow->Command("DATA"), 354);
  ASSERT_TRUE(slow->Send("Subject: z\r\n\r\nhi\r\n.\r\n"));
  const auto wait_until = Clock::now() + 2s;
  while (handler.delivering == 0 && Clock::now() < wait_until) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(handler.delivering, 1);

  const auto started = Clock::now();
  EXPECT_EQ(other->Command("NOOP"), 250);
  const auto took = Clock::now() - started;
  EXPECT_LT(took, 150ms);
  EXPECT_EQ(handler.delivering, 1);  // answered while the delivery was still running
  EXPECT_EQ(slow->Read().code, 250);
}

TEST(LmtpServerTest, StopClosesIdleConnectionsPromptly) {
  RecordingHandler handler;
  LmtpOptions options;
  options.shutdown_grace = 3000ms;
  auto server = std::make_unique<RunningServer>(handler, options);
  const int port = server->port();
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(Greeted(port));
  Client fresh(port);  // greeted, no LHLO yet
  ASSERT_TRUE(fresh.connected());
  EXPECT_EQ(fresh.Read().code, 220);

  const auto started = Clock::now();
  server->server().Stop();
  EXPECT_LT(Clock::now() - started, 1000ms);
  for (auto& client : clients) {
    const Reply bye = client->Read();
    EXPECT_EQ(bye.code, 421);
    EXPECT_EQ(bye.text, "4.3.2 lmtp.test service shutting down");
    EXPECT_TRUE(client->WaitForClose(1000ms));
  }
  EXPECT_EQ(fresh.Read().code, 421);
  Client late(port);
  EXPECT_FALSE(late.connected() && late.Read().code == 220);
}

TEST(LmtpServerTest, StopLetsADeliveryInProgressFinish) {
  RecordingHandler handler;
  handler.delay = 300ms;
  RunningServer server(handler);
  auto client = Greeted(server.port());
  EXPECT_EQ(client->Command("MAIL FROM:<a@example.org>"), 250);
  EXPECT_EQ(client->Command("RCPT TO:<l1@example.org>"), 250);
  EXPECT_EQ(client->Command("DATA"), 354);
  ASSERT_TRUE(client->Send("Subject: z\r\n\r\nhi\r\n.\r\n"));
  const auto wait_until = Clock::now() + 2s;
  while (handler.delivering == 0 && Clock::now() < wait_until) std::this_thread::sleep_for(1ms);

  const auto started = Clock::now();
  server.server().Stop();
  const auto took = Clock::now() - started;
  EXPECT_GT(took, 100ms);
  EXPECT_LT(took, 2000ms);
  EXPECT_EQ(client->Read().code, 250);  // the delivery's answer
  EXPECT_EQ(client->Read().code, 421);  // then goodbye
  EXPECT_EQ(handler.Deliveries().size(), 1u);
}

TEST(LmtpServerTest, StopGivesUpOnAStalledTransactionAfterTheGrace) {
  RecordingHandler handler;
  LmtpOptions options;
  options.shutdown_grace = 100ms;
  RunningServer server(handler, options);
  auto client = Greeted(server.port());
  EXPECT_EQ(client->Command("MAIL FROM:<a@example.org>"), 250);  // and then nothing
  const auto started = Clock::now();
  server.server().Stop();
  const auto took = Clock::now() - started;
  EXPECT_GE(took, 90ms);
  EXPECT_LT(took, 1000ms);
  EXPECT_TRUE(client->WaitForClose(1000ms));
}

TEST(LmtpServerTest, ManyClientsAtOnce) {
  RecordingHandler handler;
  handler.delay = 5ms;
  LmtpOptions options;
  options.network_threads = 2;
  options.delivery_threads = 2;
  RunningServer server(handler, options);
  constexpr int kClients = 6, kMessages = 5;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto client = Greeted(server.port());
      for (int m = 0; m < kMessages; ++m) {
        const std::string body = "Subject: " + std::to_string(c) + "/" + std::to_string(m) + "\r\n\r\n.x\r\n";
        if (!client->Send("MAIL FROM:<c" + std::to_string(c) + "@example.org>\r\nRCPT TO:<l@example.org>\r\n"
                          "RCPT TO:<full@example.org>\r\nDATA\r\n" + body + ".\r\n")) {
          return;
        }
        const int codes[] = {client->Read().code, client->Read().code, client->Read().code,
                             client->Read().code, client->Read().code, client->Read().code};
        if (codes[0] == 250 && codes[1] == 250 && codes[2] == 250 && codes[3] == 354 &&
            codes[4] == 250 && codes[5] == 452) {
          ++accepted;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted, kClients * kMessages);
  const auto deliveries = handler.Deliveries();
  ASSERT_EQ(deliveries.size(), static_cast<std::size_t>(kClients * kMessages));
  for (const auto& d : deliveries) {
    EXPECT_EQ(d.message.substr(d.message.size() - 5), "\r\nx\r\n");
    EXPECT_EQ(d.envelope.recipients.size(), 2u);
  }
}

TEST(LmtpServerTest, IdleClientIsDisconnectedAfterTheTimeout) {
  RecordingHandler handler;
  LmtpOptions options;
  options.timeout = 200ms;
  RunningServer server(handler, options);
  auto client = Greeted(server.port());
  const auto started = Clock::now();
  EXPECT_TRUE(client->WaitForClose(2000ms));
  EXPECT_GE(Clock::now() - started, 150ms);
}

TEST(LmtpServerTest, ConnectionsBeyondTheLimitGet421) {
  RecordingHandler handler;
  LmtpOptions options;
  options.max_connections = 1;
  RunningServer server(handler, options);
  auto first = Greeted(server.port());
  Client second(server.port());
  ASSERT_TRUE(second.connected());
  EXPECT_EQ(second.Read().code, 421);
  EXPECT_EQ(first->Command("NOOP"), 250);
}

TEST(LmtpServerTest, ListenReportsBadOptionsAndBusyPorts) {
  RecordingHandler handler;
  RunningServer running(handler);
  LmtpOptions same;
  same.port = running.port();
  LmtpServer busy(same, handler);
  Status s = busy.Listen();
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_NE(s.message().find("cannot listen on 127.0.0.1:"), std::string::npos) << s.message();

  LmtpOptions bad;
  bad.max_line_bytes = 100;
  LmtpServer invalid(bad, handler);
  EXPECT_EQ(invalid.Listen().code(), Status::Code::kInvalidArgument);
  invalid.Start();  // does nothing
  EXPECT_EQ(invalid.port(), 0);
}

// The protocol alone, without sockets.

class LmtpSessionTest : public ::testing::Test {
 protected:
  LmtpSessionTest() : session_(options_, handler_, "192.0.2.1", "mx.test") {}

  std::string Say(std::string_view line) {
    std::string out;
    next_ = session_.OnCommand(line, out);
    return out;
  }

  LmtpOptions options_;
  RecordingHandler handler_;
  LmtpSession session_;
  LmtpSession::Next next_ = LmtpSession::Next::kCommand;
};

TEST_F(LmtpSessionTest, AddressesAndParameters) {
  Say("LHLO client");
  EXPECT_EQ(Say("MAIL FROM:<\"odd > name\"@example.org> BODY=8BITMIME SMTPUTF8 SIZE=10"),
            "250 2.1.0 Sender OK\r\n");
  EXPECT_EQ(Say("RCPT TO:<@relay.example,@other.example:list@example.org>"), "250 2.1.5 OK\r\n");
  EXPECT_EQ(Say("RCPT TO: <spaced@example.org>"), "250 2.1.5 OK\r\n");  // lenient
  EXPECT_EQ(Say("RCPT TO:bare@example.org"), "250 2.1.5 OK\r\n");      // lenient
  EXPECT_EQ(Say("RCPT TO:<pr\xc3\xa9nom@example.org>"), "250 2.1.5 OK\r\n");  // UTF-8 kept
  EXPECT_EQ(Say("RCPT TO:<a@example.org> NOTIFY=NEVER"), "555 5.5.4 Unsupported RCPT parameter\r\n");
  EXPECT_EQ(Say("RCPT TO:<a\x01@example.org>"), "501 5.1.3 Bad recipient address syntax\r\n");
  EXPECT_EQ(Say("DATA"), "354 End data with <CR><LF>.<CR><LF>\r\n");
  ASSERT_EQ(next_, LmtpSession::Next::kData);
  std::string out;
  EXPECT_EQ(session_.OnDataLine("bare lf\n", out), LmtpSession::Next::kData);
  EXPECT_EQ(session_.OnDataLine("cr\rinside\r\n", out), LmtpSession::Next::kData);
  EXPECT_EQ(session_.OnDataLine(".\n", out), LmtpSession::Next::kDeliver);
  EXPECT_EQ(out, "");
  EXPECT_EQ(session_.envelope().mail_from, "\"odd > name\"@example.org");
  EXPECT_EQ(session_.envelope().recipients,
            (std::vector<std::string>{"list@example.org", "spaced@example.org", "bare@example.org",
                                      "pr\xc3\xa9nom@example.org"}));
  EXPECT_EQ(session_.TakeMessage(), "bare lf\r\ncr\rinside\r\n");
}

TEST_F(LmtpSessionTest, HandlerRepliesAreCheckedAndCompleted) {
  Say("LHLO client");
  Say("MAIL FROM:<>");
  Say("RCPT TO:<a@example.org>");
  Say("RCPT TO:<b@example.org>");
  Say("RCPT TO:<c@example.org>");
  Say("DATA");
  std::string out;
  ASSERT_EQ(session_.OnDataLine(".\r\n", out), LmtpSession::Next::kDeliver);
  const std::vector<LmtpReply> replies = {
      {250, "Stored"}, {302, "2.0.0 nonsense"}, {550, "5.7.1 Held\r\n250 injected"}};
  EXPECT_EQ(session_.Delivered(&replies, out), LmtpSession::Next::kCommand);
  EXPECT_EQ(out,
            "250 2.0.0 Stored\r\n"
            "451 4.3.0 Temporary failure storing the message\r\n"
            "550 5.7.1 Held  250 injected\r\n");
  EXPECT_FALSE(session_.in_transaction());

  // A handler that answers for the wrong number of recipients: all get 451.
  Say("MAIL FROM:<>");
  Say("RCPT TO:<a@example.org>");
  Say("RCPT TO:<b@example.org>");
  Say("DATA");
  out.clear();
  ASSERT_EQ(session_.OnDataLine(".\r\n", out), LmtpSession::Next::kDeliver);
  const std::vector<LmtpReply> one = {{250, ""}};
  session_.Delivered(&one, out);
  EXPECT_EQ(out,
            "451 4.3.0 Temporary failure storing the message\r\n"
            "451 4.3.0 Temporary failure storing the message\r\n");
}

TEST_F(LmtpSessionTest, LongDataLineRefusesTheMessage) {
  Say("LHLO client");
  Say("MAIL FROM:<>");
  Say("RCPT TO:<a@example.org>");
  Say("DATA");
  std::string out;
  session_.OnDataLineTooLong();
  EXPECT_EQ(session_.OnDataLine("more\r\n", out), LmtpSession::Next::kData);
  EXPECT_EQ(session_.OnDataLine(".\r\n", out), LmtpSession::Next::kCommand);
  EXPECT_EQ(out, "554 5.6.0 Message has a line longer than 8192 bytes\r\n");
}

TEST_F(LmtpSessionTest, TooManyErrorsCloseTheConnection) {
  for (int i = 0; i < 19; ++i) {
    EXPECT_EQ(Say("BOGUS"), "500 5.5.2 Command not recognized\r\n");
    EXPECT_EQ(next_, LmtpSession::Next::kCommand);
  }
  EXPECT_EQ(Say("BOGUS"), "421 4.7.0 mx.test too many errors, closing connection\r\n");
  EXPECT_EQ(next_, LmtpSession::Next::kClose);
}

}  // namespace
}  // namespace rt
