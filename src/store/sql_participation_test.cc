#include <gtest/gtest.h>

#include "accounts/tokens.h"
#include "store/store_fixture.h"

namespace rt {
namespace {

class ParticipationStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_->CreateList("igf", "policy", {std::string("policy@lists.example.org"), {}, {}}).ok());
    for (const char* a : {"ana@example.org", "bob@example.net", "cy@example.com"})
      ASSERT_TRUE(store_->Subscribe("igf", "policy", a, "each").ok());
    ASSERT_TRUE(store_->Subscribe("igf", "policy", "dee@example.com", "digest").ok());
  }

  NewPost PostOf(const std::string& bytes) {
    RawMessage raw;
    raw.bytes = bytes;
    raw.format = SourceFormat::kLmtp;
    NewPost post;
    post.item = processor_.Process(std::move(raw));
    post.forum = "igf";
    post.list = "policy";
    return post;
  }

  HeldMessage HeldOf(const std::string& sender, const std::string& message_id, const std::string& subject) {
    HeldMessage h;
    h.forum = "igf";
    h.list = "policy";
    h.sender = sender;
    h.subject = subject;
    h.message_id = message_id;
    h.raw = Msg(message_id, subject, "", "Hi");
    h.reason = "first posts of a new account";
    h.source = "web";
    return h;
  }

  std::int64_t UserId(const std::string& email) {
    NewUser u;
    u.email = email;
    Result<std::int64_t> id = store_->AddUser(u);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? id.value() : 0;
  }
};

TEST_F(ParticipationStoreTest, APostIsArchivedAndQueuedOnceToEachSubscriberWhoTakesEachMessage) {
  std::vector<NewPost> posts;
  posts.push_back(PostOf(Msg("p1@x", "Agenda", "", "Hello all")));
  auto first = store_->Post(posts);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_FALSE(first.value()[0].duplicate);
  EXPECT_EQ(first.value()[0].deliveries, 3);  // the digest subscriber waits for the digest
  EXPECT_GT(first.value()[0].message, 0);

  // An MTA's retry: the same message again queues nothing.
  posts.clear();
  posts.push_back(PostOf(Msg("p1@x", "Agenda", "", "Hello all")));
  auto again = store_->Post(posts);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value()[0].duplicate);
  EXPECT_EQ(again.value()[0].message, first.value()[0].message);
  EXPECT_EQ(store_->CountDeliveries().value().queued, 3);
}

TEST_F(ParticipationStoreTest, DeliveriesAreClaimedUnderALeaseAndFinishedOnce) {
  std::vector<NewPost> posts;
  posts.push_back(PostOf(Msg("p2@x", "Agenda", "", "Hello")));
  ASSERT_TRUE(store_->Post(posts).ok());
  auto claimed = store_->ClaimDeliveries(1000000000000, 600, 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status().message();
  ASSERT_EQ(claimed.value().size(), 3u);
  EXPECT_EQ(claimed.value()[0].kind, "post");
  EXPECT_EQ(claimed.value()[0].attempts, 1);
  // Claimed: no one else gets them until the lease ends, then they come back.
  EXPECT_TRUE(store_->ClaimDeliveries(1000000000000, 600, 10).value().empty());
  auto after_lease = store_->ClaimDeliveries(1000000000000 + 601, 600, 10);
  ASSERT_EQ(after_lease.value().size(), 3u);
  EXPECT_EQ(after_lease.value()[0].attempts, 2);
  std::vector<DeliveryReport> reports;
  for (const DueDelivery& d : after_lease.value()) reports.push_back({d, DeliveryResult::kSent, "", 0});
  ASSERT_TRUE(store_->FinishDeliveries(reports).ok());
  EXPECT_EQ(store_->CountDeliveries().value().sent, 3);
  EXPECT_TRUE(store_->ClaimDeliveries(2000000000000, 600, 10).value().empty());
}

TEST_F(ParticipationStoreTest, NoticesKeepTheirBytesAndAreQueuedOncePerKey) {
  Notice n{"confirm:<m1@x>", "roundtable@example.org", {"ana@example.org"}, "Subject: hi\r\n\r\nbody\r\n"};
  ASSERT_TRUE(store_->QueueNotice(n).ok());
  ASSERT_TRUE(store_->QueueNotice(n).ok());
  auto due = store_->ClaimDeliveries(4000000000, 60, 10);
  ASSERT_EQ(due.value().size(), 1u);
  EXPECT_EQ(store_->OutboundRaw(due.value()[0].outbound_id).value(), n.raw);
}

TEST_F(ParticipationStoreTest, HeldPostsAreKeptOnceAndDecisionsLogged) {
  std::int64_t ana = UserId("ana@example.org");
  HeldMessage h = HeldOf("ana@example.org", "h1@x", "First post");
  h.user_id = ana;
  auto ids = store_->Hold({h, h});
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  EXPECT_EQ(ids.value()[0], ids.value()[1]);
  auto held = store_->HeldMessages("igf", "");
  ASSERT_EQ(held.value().size(), 1u);
  EXPECT_EQ(held.value()[0].raw, h.raw);
  ModerationEntry decision{0, "igf", "policy", "", "approve", "First post", "ana@example.org", "welcome", 0};
  ASSERT_TRUE(store_->ReleaseHeld(ids.value()[0], decision, ana).ok());
  EXPECT_EQ(store_->ReleaseHeld(ids.value()[0], decision, ana).code(), Status::Code::kNotFound);
  auto log = store_->ModerationLog("igf", 0, 10);
  ASSERT_EQ(log.value().size(), 1u);
  EXPECT_EQ(log.value()[0].action, "approve");
  EXPECT_EQ(log.value()[0].moderator, "ana@example.org");
  EXPECT_EQ(log.value()[0].reason, "welcome");
}

TEST_F(ParticipationStoreTest, SessionsAndTokensAreFoundByHashOnlyAndTokensWorkOnce) {
  std::int64_t ana = UserId("ana@example.org");
  std::string token = NewToken();
  ASSERT_TRUE(store_->CreateSession(TokenHash(token), ana, 2000).ok());
  EXPECT_EQ(store_->SessionUser(TokenHash(token), 1999).value().id, ana);
  EXPECT_EQ(store_->SessionUser(TokenHash(token), 2000).status().code(), Status::Code::kNotFound);  // expired
  EXPECT_EQ(store_->SessionUser(token, 1000).status().code(), Status::Code::kNotFound);
  ASSERT_TRUE(store_->EndAllSessions(ana).ok());
  EXPECT_FALSE(store_->SessionUser(TokenHash(token), 1000).ok());

  OneTimeToken t{TokenHash("abc"), "join", 0, "new@example.org", "igf", "policy", "each", 5000};
  ASSERT_TRUE(store_->CreateToken(t).ok());
  EXPECT_EQ(store_->UseToken(TokenHash("abc"), "leave", 1000).status().code(), Status::Code::kNotFound);
  auto used = store_->UseToken(TokenHash("abc"), "join", 1000);
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(used.value().list, "policy");
  EXPECT_EQ(used.value().address, "new@example.org");
  EXPECT_EQ(store_->UseToken(TokenHash("abc"), "join", 1000).status().code(), Status::Code::kNotFound);
}

TEST_F(ParticipationStoreTest, BouncesDisableASubscriptionAndClosedAccountsCanBeAnonymised) {
  std::int64_t list = store_->List("igf", "policy").value().id;
  BounceRules rules;
  rules.disable_after = 3;
  const std::int64_t day = 86400, t0 = 1'800'000'000;
  auto bounce = [&](std::int64_t at) { return store_->RecordBounce(list, "bob@example.net", rules, at).value(); };
  EXPECT_TRUE(bounce(t0).counted);
  // A bad day sends many: the rest of that day's count for nothing.
  BounceScore same_day = bounce(t0 + day - 1);
  EXPECT_FALSE(same_day.counted);
  EXPECT_EQ(same_day.bounces, 1);
  EXPECT_EQ(bounce(t0 + day).bounces, 2);
  // A week without one: the count starts over.
  EXPECT_EQ(bounce(t0 + day + rules.forget_after).bounces, 1);
  EXPECT_EQ(bounce(t0 + 2 * day + rules.forget_after).bounces, 2);
  EXPECT_FALSE(store_->FindSubscription("igf", "policy", "bob@example.net").value().disabled);
  BounceScore third = bounce(t0 + 3 * day + rules.forget_after);
  EXPECT_TRUE(third.disabled_now);
  EXPECT_TRUE(store_->FindSubscription("igf", "policy", "bob@example.net").value().disabled);
  EXPECT_FALSE(bounce(t0 + 4 * day + rules.forget_after).disabled_now);  // disabled already
  EXPECT_EQ(store_->RecordBounce(list, "nobody@example.net", rules, t0).status().code(), Status::Code::kNotFound);
  std::vector<NewPost> posts;
  posts.push_back(PostOf(Msg("p3@x", "After bounces", "", "x")));
  EXPECT_EQ(store_->Post(posts).value()[0].deliveries, 2);

  Add({Msg("old@x", "Old", "", "From the archive", "Ana Lima <ana@example.org>")});
  std::int64_t ana = UserId("ana@example.org");
  ASSERT_TRUE(store_->DeleteUser(ana, true).ok());
  EXPECT_TRUE(store_->UserById(ana).value().deleted);
  EXPECT_EQ(store_->UserByEmail("ana@example.org").status().code(), Status::Code::kNotFound);
  auto thread = store_->ThreadMessages(store_->Message(store_->FindMessage("old@x").value()).value().thread_id, false);
  EXPECT_EQ(thread.value()[0].from_name, "Former participant");
}

TEST_F(ParticipationStoreTest, AnEditKeepsTheOldVersionAndTheIndexFollows) {
  std::vector<NewPost> posts;
  posts.push_back(PostOf(Msg("e1@x", "Workshop plans", "", "We discuss broadband tariffs")));
  auto stored = store_->Post(posts);
  ASSERT_TRUE(stored.ok());
  std::int64_t id = stored.value()[0].message;
  EXPECT_EQ(Find("tariffs").size(), 1u);
  MessageView before = store_->Message(id).value();
  ParsedMessage previous, edited;
  previous.subject = before.subject;
  previous.body_text = before.body_text;
  edited.subject = "Workshop plans (revised)";
  edited.body_text = "We discuss spectrum auctions";
  processor_.Analyze(&previous);
  processor_.Analyze(&edited);
  ASSERT_TRUE(store_->EditMessage(id, 0, previous, edited, nullptr).ok());
  EXPECT_TRUE(Find("tariffs").empty());
  EXPECT_EQ(Find("auctions").size(), 1u);
  MessageView after = store_->Message(id).value();
  EXPECT_EQ(after.subject, "Workshop plans (revised)");
  EXPECT_EQ(after.edits, 1);
  EXPECT_EQ(store_->ThreadSummary(after.thread_id).value().subject, "Workshop plans (revised)");
  auto history = store_->MessageHistory(id);
  ASSERT_EQ(history.value().size(), 1u);
  EXPECT_EQ(history.value()[0].subject, "Workshop plans");
  EXPECT_NE(history.value()[0].body_text.find("broadband tariffs"), std::string::npos);
}

TEST_F(ParticipationStoreTest, RateLimitCountsAreSharedAndForgetTheirHour) {
  constexpr std::int64_t kHour = 3600, kNow = 1'700'000'000;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(store_->CountEvent("user:7", kNow + i, kHour).value(), i);
  EXPECT_EQ(store_->CountEvent("address:a@example.org", kNow, kHour).value(), 0);  // its own count
  // Another connection (another server node) sees the same counts.
  Result<std::unique_ptr<Store>> other = Store::Open(db_);
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_EQ(other.value()->CountEvent("user:7", kNow + 10, kHour).value(), 3);
  // An hour later the early ones no longer count.
  EXPECT_EQ(store_->CountEvent("user:7", kNow + 2 + kHour, kHour).value(), 1);
}

TEST_F(ParticipationStoreTest, PostsAndHeldMessagesCountTowardTheirRateLimitInTheirOwnTransaction) {
  constexpr std::int64_t kHour = 3600, kNow = 1'700'000'000;
  RateEvent event{"address:p9@example.org", kNow, kHour};
  std::vector<NewPost> posts;
  posts.push_back(PostOf(Msg("p9@x", "Agenda", "", "Hello all")));
  posts.back().rate_event = event;
  ASSERT_TRUE(store_->Post(posts).ok());
  EXPECT_EQ(store_->RecentEvents(event.key, kNow, kHour).value(), 1);
  EXPECT_EQ(store_->RecentEvents(event.key, kNow, kHour).value(), 1);  // reading adds nothing

  // An MTA's retry of the same post, or of the same held message, is not another post.
  posts.clear();
  posts.push_back(PostOf(Msg("p9@x", "Agenda", "", "Hello all")));
  posts.back().rate_event = event;
  ASSERT_TRUE(store_->Post(posts).ok());
  HeldMessage h = HeldOf("p9@example.org", "h9@x", "Second");
  h.rate_event = event;
  ASSERT_TRUE(store_->Hold({h}).ok());
  ASSERT_TRUE(store_->Hold({h}).ok());
  EXPECT_EQ(store_->RecentEvents(event.key, kNow, kHour).value(), 2);
  EXPECT_EQ(store_->RecentEvents(event.key, kNow + kHour, kHour).value(), 0);
}

}  // namespace
}  // namespace rt
