#pragma once
// The mail gateway's data as the store hands it out: posts on their way in (stored or
// held for a moderator), the moderation log, and the outbound queue. Dates are Unix
// seconds, UTC.

#include <cstdint>
#include <string>
#include <vector>

#include "archive/message.h"

namespace rt {

/// One action counted against a rate limit (Store::CountEvent): `key` ("user:ID",
/// "address:A") at `at`, counting for `window_seconds`. An empty key counts nothing.
struct RateEvent {
  std::string key;
  std::int64_t at = 0;
  std::int64_t window_seconds = 0;
};

/// A post from the web or by mail that passed the gateway's rules (gateway/): stored in
/// the archive and queued to the list's subscribers in one transaction.
struct NewPost {
  ImportItem item;          ///< parsed, with raw bytes and hash (MessageProcessor)
  std::string forum, list;  ///< the list it was posted to (must exist)
  std::int64_t user_id = 0;  ///< the poster's account, counted as an approved post; 0: none
  RateEvent rate_event;     ///< counted in the same transaction, unless it is a duplicate
};

/// What became of a post or held message.
struct PostOutcome {
  std::int64_t message = 0;  ///< the archived message's id (the existing one for a duplicate)
  std::int64_t thread = 0;
  bool duplicate = false;    ///< already in the archive: nothing was queued again
  std::int64_t deliveries = 0;  ///< recipients queued
};

/// An earlier version of an edited post.
struct MessageVersion {
  std::int64_t edited_at = 0;  ///< when it was replaced
  std::string editor;          ///< who replaced it (display name or address)
  std::string subject, body_text;
};

/// A post waiting for a moderator.
struct HeldMessage {
  std::int64_t id = 0;
  std::string forum, list;
  std::int64_t user_id = 0;
  std::string sender, subject, message_id;
  std::string raw;     ///< the bytes as received (uncompressed here)
  std::string reason;  ///< why it was held, shown to moderators
  std::string source;  ///< "web" or "email"
  std::int64_t received_at = 0;
  RateEvent rate_event;  ///< counted in the same transaction, unless it was held already
};

/// One line of the public moderation log.
struct ModerationEntry {
  std::int64_t id = 0;
  std::string forum, list;
  std::string moderator;  ///< display name (or address) of who decided; "" for the system
  std::string action;     ///< "approve", "reject", "reject-spam", "role", "verify"...
  std::string subject, author;  ///< what it was about ("" for spam)
  std::string reason;
  std::int64_t at = 0;
};

/// A message the server itself sends (verify, reset, confirm): ready bytes and recipients.
struct Notice {
  std::string dedup_key;      ///< "" or a key queued at most once (the Message-ID it answers)
  std::string envelope_from;  ///< "" for the null sender
  std::vector<std::string> recipients;
  std::string raw;
};

/// One delivery a sender has claimed: send it, then report with FinishDeliveries.
struct DueDelivery {
  std::int64_t outbound_id = 0;
  std::string kind;     ///< "post", "notice" or "digest"
  std::string address;  ///< the recipient
  std::int64_t list_id = 0;  ///< for posts and digests
  std::int64_t message = 0;  ///< for posts: the archived message
  std::string envelope_from;
  int attempts = 0;     ///< including this one
};

enum class DeliveryResult { kSent, kRetry, kFailed };

/// How one claimed delivery went.
struct DeliveryReport {
  DueDelivery delivery;
  DeliveryResult result = DeliveryResult::kSent;
  std::string error;          ///< the server's reply or what failed; "" when sent
  std::int64_t retry_at = 0;  ///< for kRetry
};

/// A list whose digest subscribers are owed a digest: posts after `last_message`.
struct DigestDue {
  std::int64_t list_id = 0;
  std::int64_t last_message = 0;  ///< the last message the previous digest carried
  int volume = 0, number = 0;     ///< of the previous digest (0: none yet)
};

/// One post as a digest shows it.
struct DigestPost {
  std::int64_t id = 0;
  std::string raw;
  std::string from, subject;
  std::int64_t date = 0;
};

/// A digest ready to go, in both forms, to the subscribers who asked for each.
struct QueuedDigest {
  std::int64_t list_id = 0;
  std::int64_t previous_last_message = 0;  ///< as DigestsDue said: another node got there first if it moved
  std::int64_t last_message = 0;
  int volume = 0, number = 0;
  std::string mime_raw, plain_raw;
  std::string envelope_from;
};

/// How bounces end a subscription's delivery, as Mailman 3 scores them.
struct BounceRules {
  int disable_after = 5;                       ///< counted bounces that disable delivery
  std::int64_t forget_after = 7 * 86400;       ///< seconds without a bounce after which the count starts over
  static constexpr std::int64_t kCountEvery = 86400;  ///< at most one bounce counts in this many seconds
};

/// What RecordBounce did.
struct BounceScore {
  int bounces = 0;            ///< the subscription's count now
  bool counted = false;       ///< false: another bounce counted less than a day before
  bool disabled_now = false;  ///< this bounce disabled delivery
  std::int64_t disabled_at = 0;  ///< when bounces disabled delivery; 0: enabled
};

struct QueueCounts {
  std::int64_t queued = 0, sent = 0, failed = 0;
};

}  // namespace rt
