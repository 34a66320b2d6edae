// The mail gateway with real protocols: mail delivered over LMTP (Python's smtplib as the
// MTA), stored or held, commands confirmed by reply, and the list's copies sent over SMTP
// into the aiosmtpd capture server.

#include <gtest/gtest.h>

#include <chrono>

#include <boost/json.hpp>

#include <cstdio>
#include <memory>

#include "capture_server.h"
#include "archive/importer.h"
#include "gateway/digest_job.h"
#include "gateway/mail_inbound.h"
#include "gateway/mail_sender.h"
#include "mail/lmtp_server.h"
#include "mime/mime_parser.h"
#include "test_util.h"
#include "util/clock.h"

namespace rt {
namespace {

using testing::CaptureServer;
using testing::TempDir;

constexpr const char* kList = "policy@lists.example.test";

// Every domain publishes no DMARC policy, except strict.example which rejects.
class TableResolver : public DmarcResolver {
 public:
  Result<TxtAnswer> TxtRecords(const std::string& name) override {
    TxtAnswer answer;
    if (name == "_dmarc.strict.example") answer.records = {"v=DMARC1; p=reject"};
    return answer;
  }
};

class GatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitMime(); }

  void SetUp() override {
    db_ = testing::TestDatabase(dir_);
    Result<std::unique_ptr<Store>> s = Store::Open(db_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s.value());
    ASSERT_TRUE(store_->CreateList("igf", "policy", {std::string(kList), std::string("IGF policy"), {}}).ok());
    for (const char* a : {"ana@example.org", "bob@example.net", "zoe@strict.example"})
      ASSERT_TRUE(store_->Subscribe("igf", "policy", a, "each").ok());
    site_.base_url = "https://archive.example.test";
    site_.domain = "lists.example.test";
    site_.from_address = "roundtable@lists.example.test";
    // Subscribers' first posts go out at once here; ParticipationWebTest holds them.
    PostPolicy policy;
    policy.held_first_posts = 0;
    TakeMailWith(policy);
  }

  // (Re)starts the LMTP intake with `policy`.
  void TakeMailWith(const PostPolicy& policy) {
    lmtp_.reset();
    inbound_ = std::make_unique<MailInbound>(InboundOptions{db_, site_, policy, {}});
    lmtp_ = std::make_unique<LmtpServer>(LmtpOptions{}, *inbound_);
    ASSERT_TRUE(lmtp_->Listen().ok());
    lmtp_->Start();
  }

  // Delivers `message` over LMTP; each recipient's reply code.
  std::map<std::string, int> Deliver(const std::string& message, const std::vector<std::string>& recipients) {
    std::string file = dir_.File("message.eml");
    testing::WriteFile(file, message);
    std::string cmd = "/usr/bin/python3 " ROUNDTABLE_SOURCE_DIR "/tests/mail/lmtp_send.py " +
                      std::to_string(lmtp_->port()) + " " + file;
    for (const std::string& r : recipients) cmd += " '" + r + "'";
    FILE* out = popen(cmd.c_str(), "r");
    std::string json;
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, out)) json.append(buf, n);
    EXPECT_EQ(pclose(out), 0) << json;
    std::map<std::string, int> codes;
    boost::json::value replies = boost::json::parse(json);
    for (const auto& [rcpt, reply] : replies.as_object())
      codes[std::string(rcpt)] = static_cast<int>(reply.as_array()[0].as_int64());
    return codes;
  }

  // Sends the outbound queue into a capture server; `while_busy` copies a second at
  // most, as if every web thread were busy all along (0: the web is idle).
  void SendAll(CaptureServer& capture, int copies_per_second = 0, int while_busy = 0) {
    SenderOptions options;
    options.copies_per_second = copies_per_second;
    options.copies_per_second_while_busy = while_busy;
    options.web_busy = [] { return true; };
    options.db = db_;
    options.site = site_;
    options.smtp.port = capture.port();
    options.signing_key = std::string(32, 'k');
    options.dmarc = std::make_shared<TableResolver>();
    MailSender sender(options);
    Status s = sender.SendDue();
    ASSERT_TRUE(s.ok()) << s.message();
  }

  static std::string Mail(const std::string& from, const std::string& id, const std::string& subject,
                          const std::string& extra = "") {
    return "From: " + from + "\r\nTo: " + kList + "\r\nSubject: " + subject +
           "\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" + id + ">\r\n" + extra +
           "\r\nA body line.\r\n.leading dot\r\n";
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<Store> store_;
  MailSite site_;
  std::unique_ptr<MailInbound> inbound_;
  std::unique_ptr<LmtpServer> lmtp_;
};

TEST_F(GatewayTest, ASubscribersPostIsStoredOnceAndSentToEachSubscriberWithListHeaders) {
  std::string mail = Mail("Ana Lima <ana@example.org>", "p1@example.org", "Agenda for Tuesday");
  EXPECT_EQ(Deliver(mail, {kList}), (std::map<std::string, int>{{kList, 250}}));
  // The MTA did not hear the 250 and delivers again: nothing twice.
  EXPECT_EQ(Deliver(mail, {kList}), (std::map<std::string, int>{{kList, 250}}));
  EXPECT_EQ(store_->CountDeliveries().value().queued, 3);
  ASSERT_TRUE(store_->FindMessage("p1@example.org").ok());

  CaptureServer capture;
  SendAll(capture);
  ASSERT_EQ(capture.MessageCount(), 3);
  EXPECT_EQ(store_->CountDeliveries().value().sent, 3);
  for (int seq = 1; seq <= 3; ++seq) {
    boost::json::object envelope = capture.Envelope(seq);
    std::string to(envelope["rcpt_tos"].as_array()[0].as_string());
    std::string from(envelope["mail_from"].as_string());
    std::string raw = capture.Message(seq);
    EXPECT_EQ(from, "policy-bounces+" + to.substr(0, to.find('@')) + "=" + to.substr(to.find('@') + 1) +
                        "@lists.example.test");
    EXPECT_NE(raw.find("List-Id: IGF policy <policy.lists.example.test>"), std::string::npos) << raw;
    EXPECT_NE(raw.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), std::string::npos) << raw;
    EXPECT_NE(raw.find("List-Post: <mailto:policy@lists.example.test>"), std::string::npos) << raw;
    EXPECT_NE(raw.find("List-Archive: <https://archive.example.test/f/igf/l/policy/>"), std::string::npos) << raw;
    EXPECT_NE(raw.find("Archived-At: <https://archive.example.test/m/" +
                       std::to_string(store_->FindMessage("p1@example.org").value()) + ">"),
              std::string::npos)
        << raw;
    EXPECT_NE(raw.find("\r\n\r\nA body line.\r\n.leading dot\r\n"), std::string::npos) << raw;
  }
  // A second run finds nothing due.
  SendAll(capture);
  EXPECT_EQ(capture.MessageCount(), 3);
}

TEST_F(GatewayTest, PostsBeyondTheHourlyLimitOfOneSenderAreHeld) {
  PostPolicy policy;
  policy.held_first_posts = 0;
  policy.posts_per_hour = 2;
  TakeMailWith(policy);
  for (int i = 1; i <= 3; ++i)
    EXPECT_EQ(Deliver(Mail("Ana Lima <ana@example.org>", "rate" + std::to_string(i) + "@x", "Post " + std::to_string(i)),
                      {kList})[kList],
              250);
  EXPECT_TRUE(store_->FindMessage("rate2@x").ok());
  EXPECT_EQ(store_->FindMessage("rate3@x").status().code(), Status::Code::kNotFound);
  std::vector<HeldMessage> held = store_->HeldMessages("igf", "policy").value();
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].reason, "more than 2 posts in an hour");
  // Another subscriber is not held back by Ana's posts.
  EXPECT_EQ(Deliver(Mail("Bob <bob@example.net>", "bob1@x", "From Bob"), {kList})[kList], 250);
  EXPECT_TRUE(store_->FindMessage("bob1@x").ok());
}

// --smtp-rate: copies go no faster than the site set. --smtp-busy-rate: pages first;
// while the web server is saturated, copies go at that rate (the relay's work per copy
// would take the pages' CPU). All of them go either way.
TEST_F(GatewayTest, RateLimitsSpaceTheCopies) {
  for (int i = 0; i < 17; ++i)
    ASSERT_TRUE(store_->Subscribe("igf", "policy", "reader" + std::to_string(i) + "@example.org", "each").ok());
  struct Limits {
    int rate, while_busy;
  };
  for (Limits limits : {Limits{40, 0}, Limits{0, 40}}) {
    std::string id = "paced" + std::to_string(limits.rate) + "@example.org";
    EXPECT_EQ(Deliver(Mail("Ana Lima <ana@example.org>", id, "Paced"), {kList}), (std::map<std::string, int>{{kList, 250}}));
    CaptureServer capture;
    auto start = std::chrono::steady_clock::now();
    SendAll(capture, limits.rate, limits.while_busy);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(capture.MessageCount(), 20);
    EXPECT_GE(seconds, 19 / 40.0) << "20 copies, 1/40 s apart";
  }
}

TEST_F(GatewayTest, StrangersAreHeldAndUnknownAddressesRefused) {
  std::map<std::string, int> codes = Deliver(Mail("Eve <eve@elsewhere.example>", "s1@x", "Buy now"),
                                             {kList, "nobody@lists.example.test"});
  EXPECT_EQ(codes[kList], 250);
  EXPECT_EQ(codes["nobody@lists.example.test"], 550);
  auto held = store_->HeldMessages("igf", "policy");
  ASSERT_EQ(held.value().size(), 1u);
  EXPECT_EQ(held.value()[0].reason, "the sender is not subscribed to the list");
  EXPECT_EQ(held.value()[0].source, "email");
  EXPECT_EQ(store_->FindMessage("s1@x").status().code(), Status::Code::kNotFound);
  // The moderators hear of it; the stranger gets no answer (forged senders get no backscatter).
  NewUser mod;
  mod.email = "mod@example.org";
  mod.email_verified = true;
  ASSERT_TRUE(store_->AddUser(mod).ok());
  ASSERT_TRUE(store_->SetRole("mod@example.org", {"moderator", "igf", "policy"}, true).ok());
  EXPECT_EQ(Deliver(Mail("Eve <eve@elsewhere.example>", "s2@x", "Buy more"), {kList})[kList], 250);
  EXPECT_EQ(Deliver(Mail("Eve <eve@elsewhere.example>", "s2@x", "Buy more"), {kList})[kList], 250);  // a retry
  {
    CaptureServer capture;
    SendAll(capture);
    ASSERT_EQ(capture.MessageCount(), 1);
    EXPECT_EQ(std::string(capture.Envelope(1)["rcpt_tos"].as_array()[0].as_string()), "mod@example.org");
    EXPECT_NE(capture.Message(1).find("/f/igf/moderation"), std::string::npos);
  }
  // Mail that cannot be told apart is kept too, never dropped.
  EXPECT_EQ(Deliver("From: ana@example.org\r\nSubject: no id\r\n\r\nhello\r\n", {kList})[kList], 250);
  EXPECT_EQ(store_->HeldMessages("igf", "policy").value().size(), 3u);
}

// The confirmation a notice carries: the list-confirm+TOKEN@ address to reply to.
std::string ConfirmAddressIn(const std::string& notice) {
  std::size_t at = notice.find("policy-confirm+");
  if (at == std::string::npos) return "";
  return notice.substr(at, notice.find('@', at) - at) + "@lists.example.test";
}

TEST_F(GatewayTest, JoiningByMailTakesAConfirmationByReply) {
  EXPECT_EQ(Deliver(Mail("New Person <new@example.org>", "j1@x", "join"), {"policy-join@lists.example.test"})
                ["policy-join@lists.example.test"],
            250);
  EXPECT_EQ(store_->FindSubscription("igf", "policy", "new@example.org").status().code(), Status::Code::kNotFound);
  CaptureServer capture;
  SendAll(capture);
  ASSERT_EQ(capture.MessageCount(), 1);
  std::string confirm = ConfirmAddressIn(capture.Message(1));
  ASSERT_NE(confirm, "") << capture.Message(1);
  EXPECT_EQ(Deliver(Mail("new@example.org", "c1@x", "Re: confirm"), {confirm})[confirm], 250);
  auto sub = store_->FindSubscription("igf", "policy", "new@example.org");
  ASSERT_TRUE(sub.ok()) << sub.status().message();
  EXPECT_EQ(sub.value().mode, "each");

  // Someone whose plain digests bounces stopped joins again: the same digests resume.
  ASSERT_TRUE(store_->Subscribe("igf", "policy", "fay@example.com", "digest-plain").ok());
  std::int64_t list = store_->List("igf", "policy").value().id, now = UnixNow();
  for (int days = 5; days >= 1; --days) ASSERT_TRUE(store_->RecordBounce(list, "fay@example.com", {}, now - days * 86400).ok());
  ASSERT_TRUE(store_->FindSubscription("igf", "policy", "fay@example.com").value().disabled);
  EXPECT_EQ(Deliver(Mail("fay@example.com", "j2@x", "join"), {"policy-join@lists.example.test"})["policy-join@lists.example.test"],
            250);
  SendAll(capture);
  std::string again = ConfirmAddressIn(capture.Message(capture.MessageCount()));
  ASSERT_NE(again, "");
  EXPECT_EQ(Deliver(Mail("fay@example.com", "c2@x", "Re: confirm"), {again})[again], 250);
  Subscription fay = store_->FindSubscription("igf", "policy", "fay@example.com").value();
  EXPECT_FALSE(fay.disabled);
  EXPECT_EQ(fay.mode, "digest");
  EXPECT_EQ(fay.digest_format, "plain");
}

TEST_F(GatewayTest, LeavingByMailOrByRequestTakesAConfirmationAndHelpAnswersAnythingElse) {
  const std::string leave = "policy-leave@lists.example.test", request = "policy-request@lists.example.test";
  EXPECT_EQ(Deliver(Mail("Ana Lima <ana@example.org>", "l1@x", "please"), {leave})[leave], 250);
  EXPECT_EQ(Deliver(Mail("Bob <bob@example.net>", "r1@x", "unsubscribe"), {request})[request], 250);
  EXPECT_EQ(Deliver(Mail("Zoe Q <zoe@strict.example>", "r2@x", "What is this list?"), {request})[request], 250);
  EXPECT_EQ(Deliver(Mail("Zoe Q <zoe@strict.example>", "r2@x", "What is this list?"), {request})[request], 250);  // a retry
  // Nothing changes before the confirmations.
  EXPECT_TRUE(store_->FindSubscription("igf", "policy", "ana@example.org").ok());
  EXPECT_TRUE(store_->FindSubscription("igf", "policy", "bob@example.net").ok());
  CaptureServer capture;
  SendAll(capture);
  ASSERT_EQ(capture.MessageCount(), 3);
  std::map<std::string, std::string> notices;
  for (int seq = 1; seq <= 3; ++seq)
    notices[std::string(capture.Envelope(seq)["rcpt_tos"].as_array()[0].as_string())] = capture.Message(seq);
  EXPECT_NE(notices["ana@example.org"].find("Confirm: leave policy"), std::string::npos) << notices["ana@example.org"];
  EXPECT_NE(notices["bob@example.net"].find("Confirm: leave policy"), std::string::npos) << notices["bob@example.net"];
  EXPECT_NE(notices["zoe@strict.example"].find("policy-join@lists.example.test"), std::string::npos)
      << notices["zoe@strict.example"];
  EXPECT_EQ(ConfirmAddressIn(notices["zoe@strict.example"]), "");

  std::string confirm = ConfirmAddressIn(notices["ana@example.org"]);
  ASSERT_NE(confirm, "");
  // Only a reply to the confirmation carries it out, and only once.
  EXPECT_EQ(Deliver(Mail("ana@example.org", "c1@x", "Re: Confirm"), {confirm})[confirm], 250);
  EXPECT_EQ(store_->FindSubscription("igf", "policy", "ana@example.org").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Deliver(Mail("ana@example.org", "c2@x", "Re: Confirm"), {confirm})[confirm], 250);
  EXPECT_TRUE(store_->FindSubscription("igf", "policy", "bob@example.net").ok());
}

TEST_F(GatewayTest, ARelaysTemporaryRefusalIsRetriedLaterAndAPermanentOneCountsAsABounce) {
  EXPECT_EQ(Deliver(Mail("Ana Lima <ana@example.org>", "rt1@x", "Retries"), {kList})[kList], 250);
  CaptureServer capture({"--tempfail-rcpt", "^bob@", "--reject-rcpt", "^zoe@"});
  std::int64_t before = UnixNow();
  SendAll(capture);
  EXPECT_EQ(capture.MessageCount(), 1);  // ana's
  QueueCounts counts = store_->CountDeliveries().value();
  EXPECT_EQ(counts.sent, 1);
  EXPECT_EQ(counts.queued, 1);  // bob's, for later
  EXPECT_EQ(counts.failed, 1);  // zoe's, for good
  EXPECT_EQ(store_->FindSubscription("igf", "policy", "zoe@strict.example").value().bounces, 1);
  EXPECT_EQ(store_->FindSubscription("igf", "policy", "bob@example.net").value().bounces, 0);
  // Bob's copy waits a minute (then 5, 30, then every 2 hours), and is not sent sooner.
  SendAll(capture);
  EXPECT_EQ(capture.MessageCount(), 1);
  EXPECT_TRUE(store_->ClaimDeliveries(before + 59, 600, 10).value().empty());
  std::vector<DueDelivery> due = store_->ClaimDeliveries(UnixNow() + 61, 600, 10).value();
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].address, "bob@example.net");
  EXPECT_EQ(due[0].attempts, 2);  // this claim counts as the second
}

TEST_F(GatewayTest, ARelayRefusingTheWholeMessageCountsAgainstNoSubscriber) {
  EXPECT_EQ(Deliver(Mail("Ana Lima <ana@example.org>", "big1@x", "Too big for the relay"), {kList})[kList], 250);
  CaptureServer capture({"--reject-data", "Too big for the relay"});
  SendAll(capture);
  EXPECT_EQ(capture.MessageCount(), 0);
  EXPECT_EQ(store_->CountDeliveries().value().failed, 3);
  std::vector<Subscription> subscribers = store_->Subscribers("igf", "policy").value();
  for (const Subscription& s : subscribers) EXPECT_EQ(s.bounces, 0) << s.address;
}

TEST_F(GatewayTest, VerpBouncesDisableASubscriptionAndDmarcStrictSendersAreRewritten) {
  const std::string verp = "policy-bounces+bob=example.net@lists.example.test";
  NewUser mod;
  mod.email = "mod@example.org";
  mod.email_verified = true;
  ASSERT_TRUE(store_->AddUser(mod).ok());
  ASSERT_TRUE(store_->SetRole("mod@example.org", {"moderator", "igf", "policy"}, true).ok());
  auto bounces = [&] { return store_->FindSubscription("igf", "policy", "bob@example.net").value().bounces; };
  // Four earlier days with a bounce each.
  std::int64_t list = store_->List("igf", "policy").value().id, now = UnixNow();
  for (int days = 4; days >= 1; --days) ASSERT_TRUE(store_->RecordBounce(list, "bob@example.net", {}, now - days * 86400).ok());
  ASSERT_EQ(bounces(), 4);
  // Neither a relay's "still trying" report nor a holiday reply is a failure.
  std::string delay = "From: MAILER-DAEMON@mx.example.net\r\nSubject: Delayed Mail (still being retried)\r\n"
                      "Message-ID: <delay1@mx>\r\nMIME-Version: 1.0\r\n"
                      "Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n"
                      "--B\r\nContent-Type: text/plain\r\n\r\nStill trying.\r\n"
                      "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n"
                      "Final-Recipient: rfc822; bob@example.net\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n--B--\r\n";
  EXPECT_EQ(Deliver(delay, {verp})[verp], 250);
  EXPECT_EQ(Deliver(Mail("Bob <bob@example.net>", "away@x", "Out of office", "Auto-Submitted: auto-replied\r\n"), {verp})[verp],
            250);
  EXPECT_EQ(bounces(), 4);
  EXPECT_FALSE(store_->FindSubscription("igf", "policy", "bob@example.net").value().disabled);
  // The fifth day's failure stops bob's mail; more the same day count for nothing.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Deliver(Mail("MAILER-DAEMON <postmaster@example.net>", "b" + std::to_string(i) + "@x", "Undelivered"), {verp})[verp],
              250);
  EXPECT_EQ(bounces(), 5);
  EXPECT_TRUE(store_->FindSubscription("igf", "policy", "bob@example.net").value().disabled);

  EXPECT_EQ(Deliver(Mail("Zoe Q <zoe@strict.example>", "z1@x", "From a strict domain"), {kList})[kList], 250);
  CaptureServer capture;
  SendAll(capture);
  // Bob hears once that his mail stopped, and gets no copy; so does the moderator.
  ASSERT_EQ(capture.MessageCount(), 4);
  std::string copy, notice, told;
  for (int seq = 1; seq <= 4; ++seq) {
    std::string to(capture.Envelope(seq)["rcpt_tos"].as_array()[0].as_string());
    if (to == "bob@example.net") notice = capture.Message(seq);
    if (to == "ana@example.org") copy = capture.Message(seq);
    if (to == "mod@example.org") told = capture.Message(seq);
  }
  EXPECT_NE(told.find("Delivery of policy to bob@example.net is suspended"), std::string::npos) << told;
  EXPECT_NE(notice.find("Delivery of policy to you is suspended"), std::string::npos) << notice;
  EXPECT_NE(notice.find("policy-join@lists.example.test"), std::string::npos) << notice;
  EXPECT_NE(copy.find("From: Zoe Q via policy <policy@lists.example.test>"), std::string::npos) << copy;
  EXPECT_NE(copy.find("Reply-To: Zoe Q <zoe@strict.example>"), std::string::npos) << copy;
}

TEST_F(GatewayTest, DigestSubscribersGetOneDigestInTheFormTheyChose) {
  ASSERT_TRUE(store_->Subscribe("igf", "policy", "dee@example.com", "digest").ok());
  ASSERT_TRUE(store_->Subscribe("igf", "policy", "fay@example.com", "digest-plain").ok());
  // The list's archive from before it moved here: never part of a digest.
  std::string archive = dir_.File("archive.mbox");
  testing::WriteFile(archive,
                     "From old@example.org Mon Jan  5 10:00:00 2015\n" + Mail("old@example.org", "old1@x", "From 2015") +
                         "\nFrom old@example.org Tue Jan  6 10:00:00 2015\n" +
                         Mail("old@example.org", "old2@x", "Also from 2015"));
  ImportOptions import;
  import.target = {"igf", "policy"};
  ImportReport report;
  ASSERT_TRUE(Import(*store_, {archive}, import, &report).ok());
  ASSERT_EQ(report.counts.imported, 2u);
  std::int64_t now = 1'800'000'000;
  EXPECT_EQ(QueueDueDigests(*store_, site_, now, now + 1).value(), 0);

  EXPECT_EQ(Deliver(Mail("Ana Lima <ana@example.org>", "d1@x", "First topic"), {kList})[kList], 250);
  EXPECT_EQ(Deliver(Mail("Bob <bob@example.net>", "d2@x", "Second topic"), {kList})[kList], 250);
  EXPECT_EQ(QueueDueDigests(*store_, site_, now, now + 1).value(), 1);
  // Nothing new since: no second issue, however often it runs.
  EXPECT_EQ(QueueDueDigests(*store_, site_, now, now + 1).value(), 0);
  CaptureServer capture;
  SendAll(capture);
  ASSERT_EQ(capture.MessageCount(), 3 * 2 + 2);
  std::string mime, plain;
  for (int seq = 1; seq <= capture.MessageCount(); ++seq) {
    std::string to(capture.Envelope(seq)["rcpt_tos"].as_array()[0].as_string());
    if (to == "dee@example.com") mime = capture.Message(seq);
    if (to == "fay@example.com") plain = capture.Message(seq);
  }
  EXPECT_NE(mime.find("multipart/digest"), std::string::npos) << mime;
  EXPECT_NE(mime.find("Subject: policy Digest, Vol 2027, Issue 1"), std::string::npos) << mime;
  EXPECT_NE(mime.find("a=dee%40example.com"), std::string::npos) << "one-click link of its own";
  EXPECT_EQ(plain.find("multipart"), std::string::npos) << plain;
  EXPECT_NE(plain.find("Second topic"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("From 2015"), std::string::npos) << plain;
}

}  // namespace
}  // namespace rt
