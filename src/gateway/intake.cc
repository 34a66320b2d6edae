#include "gateway/intake.h"

namespace rt {

Result<Intake> TakeIn(Store& store, MessageProcessor& processor, Submission submission,
                      const PostPolicy& policy, std::int64_t now) {
  RawMessage raw;
  raw.bytes = std::move(submission.raw);
  raw.format = submission.format;
  raw.source = submission.format == SourceFormat::kWeb ? "web" : "lmtp";
  ImportItem item = processor.Process(std::move(raw));
  // Mail that cannot be answered or told apart is kept for a person to look at.
  std::optional<std::string> malformed;
  if (!item.parsed) {
    malformed = "the message cannot be read: " + item.quarantine_reason;
    item.parsed.emplace();
  } else if (item.parsed->message_id.empty()) {
    malformed = "the message has no Message-ID";
  } else if (item.parsed->from_address.empty()) {
    malformed = "the message has no sender address in From";
  }
  const ParsedMessage& m = *item.parsed;

  PostFacts facts;
  facts.list = submission.list;
  facts.sender = m.from_address;
  facts.from_web = submission.format == SourceFormat::kWeb;
  facts.user = std::move(submission.user);
  if (!facts.user) {
    // Mail speaks for an account only once its address was verified.
    Result<UserInfo> user = store.UserByEmail(m.from_address);
    if (user.ok() && user.value().email_verified) facts.user = std::move(user.value());
    else if (!user.ok() && user.status().code() != Status::Code::kNotFound) return user.status();
  }
  Result<Subscription> subscription = store.FindSubscription(facts.list.forum, facts.list.name, m.from_address);
  if (subscription.ok()) facts.subscription = std::move(subscription.value());
  else if (subscription.status().code() != Status::Code::kNotFound) return subscription.status();
  std::string rate_key = facts.user ? "user:" + std::to_string(facts.user->id) : "address:" + m.from_address;
  Result<int> posts = store.RecentEvents(rate_key, now, kRateWindowSeconds);
  if (!posts.ok()) return posts.status();
  facts.posts_in_last_hour = posts.value();
  if (!facts.user && facts.subscription && policy.held_first_posts > 0) {
    Result<int> known = store.MessagesFrom(m.from_address, policy.held_first_posts);
    if (!known.ok()) return known.status();
    facts.sender_messages = known.value();
  }

  std::int64_t user_id = facts.user ? facts.user->id : 0;
  std::optional<std::string> reason = malformed ? malformed : HoldReason(facts, policy);
  if (reason) {
    HeldMessage held;
    held.forum = facts.list.forum;
    held.list = facts.list.name;
    held.user_id = user_id;
    held.sender = m.from_address;
    held.subject = m.subject;
    // An MTA's retry brings the same bytes: their hash keeps the held copy single.
    held.message_id = m.message_id.empty() ? "hash:" + item.raw_hash : m.message_id;
    held.raw = std::move(item.raw.bytes);
    held.reason = std::move(*reason);
    held.source = facts.from_web ? "web" : "email";
    held.received_at = now;
    held.rate_event = {rate_key, now, kRateWindowSeconds};
    return Intake(std::move(held));
  }
  NewPost post;
  post.forum = facts.list.forum;
  post.list = facts.list.name;
  post.user_id = user_id;
  post.item = std::move(item);
  post.rate_event = {rate_key, now, kRateWindowSeconds};
  return Intake(std::move(post));
}

Result<NewPost> ApprovedPost(MessageProcessor& processor, const HeldMessage& held) {
  RawMessage raw;
  raw.bytes = held.raw;
  raw.format = held.source == "web" ? SourceFormat::kWeb : SourceFormat::kLmtp;
  raw.source = held.source;
  NewPost post;
  post.item = processor.Process(std::move(raw));
  if (!post.item.parsed) return Status::BadFormat("the held message cannot be read: " + post.item.quarantine_reason);
  post.forum = held.forum;
  post.list = held.list;
  post.user_id = held.user_id;
  return post;
}

}  // namespace rt
