#include "mail/smtp_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "capture_server.h"
#include "test_util.h"

namespace rt {
namespace {

using testing::CaptureServer;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// A listening socket on 127.0.0.1 (free port). With a `respond` function it accepts one
/// connection, sends `greeting`, and answers each line received with respond(line) ("" to
/// stay silent). Without one it never accepts: the kernel completes the handshake and the
/// client then waits for a greeting that never comes.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::string greeting = "", std::function<std::string(const std::string&)> respond = {}) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(listen_fd_, 4) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    if (respond) thread_ = std::thread([this, greeting, respond] { Serve(greeting, respond); });
  }
  ~ScriptedServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    close(listen_fd_);
  }
  int port() const { return port_; }
  /// Every line received, in order.
  std::vector<std::string> lines() {
    if (thread_.joinable()) thread_.join();
    return lines_;
  }

 private:
  bool WaitReadable(int fd) {
    pollfd p{fd, POLLIN, 0};
    while (!stop_) {
      if (poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }
  void Serve(const std::string& greeting, const std::function<std::string(const std::string&)>& respond) {
    if (!WaitReadable(listen_fd_)) return;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    send(fd, greeting.data(), greeting.size(), MSG_NOSIGNAL);
    std::string buffer;
    char chunk[4096];
    while (WaitReadable(fd)) {
      ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<size_t>(n));
      for (size_t eol; (eol = buffer.find("\r\n")) != std::string::npos;) {
        std::string line = buffer.substr(0, eol);
        buffer.erase(0, eol + 2);
        lines_.push_back(line);
        std::string reply = respond(line);
        send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
      }
    }
    close(fd);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::string> lines_;
};

SmtpOptions OptionsFor(int port, std::chrono::milliseconds timeout = 3000ms) {
  SmtpOptions options;
  options.port = port;
  options.helo_name = "roundtable.test";
  options.timeout = timeout;
  options.data_end_timeout = timeout;
  return options;
}

bool HasOption(const boost::json::object& envelope, std::string_view option) {
  for (const auto& v : envelope.at("mail_options").as_array()) {
    if (v.as_string() == option) return true;
  }
  return false;
}

// One capture server for the tests that do not stop it or need other options.
class SmtpClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new CaptureServer({"--reject-rcpt", "^reject", "--tempfail-rcpt", "^later"});
  }
  static void TearDownTestSuite() {
    if (!server_) return;  // it failed to start (no python3-aiosmtpd): the suite failed already
    EXPECT_EQ(server_->Stop(), 0);  // SIGTERM ends the script cleanly
    delete server_;
    server_ = nullptr;
  }
  static CaptureServer* server_;
};
CaptureServer* SmtpClientTest::server_ = nullptr;

TEST(SmtpDataBlockTest, NormalisesLineEndsAndStuffsDots) {
  EXPECT_EQ(SmtpDataBlock("a\n.hidden\n.\n..two\nlast"), "a\r\n..hidden\r\n..\r\n...two\r\nlast\r\n.\r\n");
  EXPECT_EQ(SmtpDataBlock(".first\r\nx.y\r\n"), "..first\r\nx.y\r\n.\r\n");
  EXPECT_EQ(SmtpDataBlock(""), ".\r\n");
  EXPECT_EQ(SmtpDataBlock("\n\n"), "\r\n\r\n.\r\n");
}

TEST_F(SmtpClientTest, DeliversTheMessageByteForByte) {
  const std::string message =
      "From: a@example.org\r\nTo: list@example.org\r\nSubject: dots\r\n\r\n"
      ".hidden\r\n.\r\n..two\r\nCaf\xc3\xa9 \xe2\x80\x94 8-bit body\r\n \r\n.\r\nend\r\n";
  SmtpClient client(OptionsFor(server_->port()));
  int before = server_->MessageCount();
  Result<SmtpSendResult> sent = client.Send("bounces@example.org", {"one@example.net"}, message);
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(sent.value().code, 250) << sent.value().text;
  ASSERT_EQ(sent.value().recipients.size(), 1u);
  EXPECT_EQ(sent.value().recipients[0].code, 250);
  EXPECT_EQ(sent.value().recipients[0].address, "one@example.net");

  int seq = before + 1;
  EXPECT_EQ(server_->Message(seq), message);
  boost::json::object envelope = server_->Envelope(seq);
  EXPECT_EQ(envelope.at("mail_from").as_string(), "bounces@example.org");
  EXPECT_EQ(envelope.at("rcpt_tos").as_array(), boost::json::array({"one@example.net"}));
  EXPECT_TRUE(HasOption(envelope, "BODY=8BITMIME"));
  EXPECT_TRUE(HasOption(envelope, "SIZE=" + std::to_string(message.size())));
  EXPECT_FALSE(HasOption(envelope, "SMTPUTF8"));  // header and addresses are ASCII
}

TEST_F(SmtpClientTest, BareLineFeedsArriveAsCrLf) {
  SmtpClient client(OptionsFor(server_->port()));
  int seq = server_->MessageCount() + 1;
  Result<SmtpSendResult> sent = client.Send("a@example.org", {"b@example.org"}, "Subject: lf\n\n.\nno final newline");
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(sent.value().code, 250);
  EXPECT_EQ(server_->Message(seq), "Subject: lf\r\n\r\n.\r\nno final newline\r\n");
  EXPECT_FALSE(HasOption(server_->Envelope(seq), "BODY=8BITMIME"));  // all ASCII
}

TEST_F(SmtpClientTest, SeveralMessagesOverOneConnection) {
  SmtpClient client(OptionsFor(server_->port()));
  int first = server_->MessageCount() + 1;
  for (int i = 0; i < 3; ++i) {
    Result<SmtpSendResult> sent =
        client.Send("a@example.org", {"b@example.org"}, "Subject: " + std::to_string(i) + "\r\n\r\nbody\r\n");
    ASSERT_TRUE(sent.ok()) << sent.status().message();
    EXPECT_EQ(sent.value().code, 250);
    EXPECT_TRUE(client.connected());
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(server_->Message(first + i), "Subject: " + std::to_string(i) + "\r\n\r\nbody\r\n");
  }
  // The same client port: the same TCP connection.
  EXPECT_EQ(server_->Envelope(first).at("peer"), server_->Envelope(first + 2).at("peer"));
  client.Disconnect();
  EXPECT_FALSE(client.connected());
}

TEST_F(SmtpClientTest, RepliesPerRecipient) {
  SmtpClient client(OptionsFor(server_->port()));
  int seq = server_->MessageCount() + 1;
  Result<SmtpSendResult> sent = client.Send(
      "a@example.org", {"ok@example.org", "reject@example.org", "later@example.org", "ok2@example.org"},
      "Subject: mixed\r\n\r\nx\r\n");
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  const SmtpSendResult& r = sent.value();
  EXPECT_EQ(r.code, 250);
  ASSERT_EQ(r.recipients.size(), 4u);
  EXPECT_EQ(r.recipients[0].code, 250);
  EXPECT_EQ(r.recipients[1].code, 550);
  EXPECT_EQ(r.recipients[1].address, "reject@example.org");
  EXPECT_NE(r.recipients[1].text.find("5.1.1"), std::string::npos) << r.recipients[1].text;
  EXPECT_EQ(r.recipients[2].code, 451);
  EXPECT_EQ(r.recipients[3].code, 250);
  EXPECT_EQ(server_->Envelope(seq).at("rcpt_tos"), boost::json::array({"ok@example.org", "ok2@example.org"}));
}

TEST_F(SmtpClientTest, NoDataWhenEveryRecipientIsRefused) {
  SmtpClient client(OptionsFor(server_->port()));
  int count = server_->MessageCount();
  Result<SmtpSendResult> sent = client.Send("a@example.org", {"reject@x.org", "later@x.org"}, "Subject: no\r\n\r\n");
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(sent.value().code, 0);
  EXPECT_EQ(sent.value().recipients.at(0).code, 550);
  EXPECT_EQ(sent.value().recipients.at(1).code, 451);
  EXPECT_EQ(server_->MessageCount(), count);
  // The transaction was reset: the connection takes the next message.
  sent = client.Send("a@example.org", {"fine@x.org"}, "Subject: yes\r\n\r\n");
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(sent.value().code, 250);
  EXPECT_EQ(server_->MessageCount(), count + 1);
}

TEST_F(SmtpClientTest, NullSenderAndUtf8Address) {
  SmtpClient client(OptionsFor(server_->port()));
  int seq = server_->MessageCount() + 1;
  Result<SmtpSendResult> sent = client.Send("", {"j\xc3\xb6rg@example.org"}, "Subject: bounce\r\n\r\nx\r\n");
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(sent.value().code, 250) << sent.value().text;
  boost::json::object envelope = server_->Envelope(seq);
  EXPECT_EQ(envelope.at("mail_from").as_string(), "<>");  // how aiosmtpd records MAIL FROM:<>
  EXPECT_EQ(envelope.at("rcpt_tos").as_array(), boost::json::array({"j\xc3\xb6rg@example.org"}));
  EXPECT_TRUE(HasOption(envelope, "SMTPUTF8"));
}

TEST_F(SmtpClientTest, RejectsAddressesThatWouldInjectCommands) {
  SmtpClient client(OptionsFor(server_->port()));
  int count = server_->MessageCount();
  Result<SmtpSendResult> sent = client.Send("a@x.org", {"b@x.org>\r\nRCPT TO:<evil@x.org"}, "x\r\n");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), Status::Code::kInvalidArgument);
  sent = client.Send("a@x.org\nDATA", {"b@x.org"}, "x\r\n");
  EXPECT_EQ(sent.status().code(), Status::Code::kInvalidArgument);
  sent = client.Send("a@x.org", {}, "x\r\n");
  EXPECT_EQ(sent.status().code(), Status::Code::kInvalidArgument);
  sent = client.Send("a@x.org", {""}, "x\r\n");
  EXPECT_EQ(sent.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(client.connected());  // refused before connecting
  EXPECT_EQ(server_->MessageCount(), count);
}

TEST(SmtpClientFailureTest, NobodyListening) {
  int port;
  {
    ScriptedServer closed;  // a port that was free a moment ago
    port = closed.port();
  }
  SmtpClient client(OptionsFor(port));
  Result<SmtpSendResult> sent = client.Send("a@x.org", {"b@x.org"}, "x\r\n");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), Status::Code::kIoError);
  EXPECT_NE(sent.status().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << sent.status().message();
}

TEST(SmtpClientFailureTest, SilentServerTimesOut) {
  ScriptedServer silent;
  SmtpClient client(OptionsFor(silent.port(), 300ms));
  auto start = Clock::now();
  Result<SmtpSendResult> sent = client.Send("a@x.org", {"b@x.org"}, "x\r\n");
  auto elapsed = Clock::now() - start;
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), Status::Code::kIoError);
  EXPECT_NE(sent.status().message().find("greeting"), std::string::npos) << sent.status().message();
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_FALSE(client.connected());
}

TEST(SmtpClientFailureTest, OverlongReplyLineIsAnError) {
  ScriptedServer chatty("220-" + std::string(10000, 'x') + "\r\n220 ready\r\n",
                        [](const std::string&) { return std::string("250 ok\r\n"); });
  SmtpClient client(OptionsFor(chatty.port()));
  Result<SmtpSendResult> sent = client.Send("a@x.org", {"b@x.org"}, "x\r\n");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), Status::Code::kIoError);
  EXPECT_NE(sent.status().message().find("longer"), std::string::npos) << sent.status().message();
}

TEST(SmtpClientFailureTest, FallsBackToHeloAndReadsMultiLineReplies) {
  bool in_data = false;
  ScriptedServer old("220-old.test\r\n220 ready\r\n", [&in_data](const std::string& line) -> std::string {
    if (in_data) {
      if (line == ".") in_data = false;
      return in_data ? "" : "250-queued\r\n250 ok\r\n";
    }
    if (line.rfind("EHLO", 0) == 0) return "502 5.5.1 what?\r\n";
    if (line == "DATA") {
      in_data = true;
      return "354 go ahead\r\n";
    }
    if (line == "QUIT") return "221 bye\r\n";
    return "250 ok\r\n";
  });
  {
    SmtpClient client(OptionsFor(old.port()));
    Result<SmtpSendResult> sent = client.Send("a@x.org", {"b@x.org"}, "Subject: old\n\n.dot\n");
    ASSERT_TRUE(sent.ok()) << sent.status().message();
    EXPECT_EQ(sent.value().code, 250);
    EXPECT_EQ(sent.value().text, "queued\nok");
  }  // QUIT
  std::vector<std::string> expected = {"EHLO roundtable.test", "HELO roundtable.test",
                                       "MAIL FROM:<a@x.org>",  // no parameters: nothing offered
                                       "RCPT TO:<b@x.org>", "DATA", "Subject: old", "", "..dot", ".", "QUIT"};
  EXPECT_EQ(old.lines(), expected);
}

TEST(SmtpClientFailureTest, ServerGoneBetweenMessages) {
  CaptureServer server;
  SmtpClient client(OptionsFor(server.port()));
  Result<SmtpSendResult> sent = client.Send("a@x.org", {"b@x.org"}, "x\r\n");
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(server.Stop(), 0);
  sent = client.Send("a@x.org", {"b@x.org"}, "y\r\n");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), Status::Code::kIoError);
  EXPECT_FALSE(client.connected());
}

TEST(SmtpClientFailureTest, ReconnectsWhenTheServerClosedAnIdleConnection) {
  CaptureServer server({"--idle-timeout", "0.2"});
  SmtpClient client(OptionsFor(server.port()));
  ASSERT_TRUE(client.Send("a@x.org", {"b@x.org"}, "first\r\n").ok());
  std::this_thread::sleep_for(400ms);  // the server drops the connection meanwhile
  Result<SmtpSendResult> sent = client.Send("a@x.org", {"b@x.org"}, "second\r\n");
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(sent.value().code, 250);
  EXPECT_EQ(server.Message(2), "second\r\n");
  EXPECT_NE(server.Envelope(1).at("peer"), server.Envelope(2).at("peer"));  // a new connection
}

}  // namespace
}  // namespace rt
