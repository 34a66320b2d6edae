#pragma once
// The one way a post enters a list, from the web or by mail: parse it like an import,
// judge it by the post rules, and say what to write: a post to store and send, or a
// held message. The caller writes it (the web at once, the mail gateway in a group commit).

#include <optional>
#include <string>
#include <variant>

#include "archive/message_processor.h"
#include "gateway/post_rules.h"
#include "store/store.h"

namespace rt {

struct Submission {
  std::string raw;  ///< RFC 5322 bytes
  SourceFormat format = SourceFormat::kLmtp;  ///< kWeb or kLmtp
  ListInfo list;
  /// The signed-in author of a web post; for mail, found by the From address.
  std::optional<UserInfo> user;
};

using Intake = std::variant<NewPost, HeldMessage>;

/// Reads what the rules need from `store` and decides. Mail that cannot be read, or has
/// no Message-ID or sender, is held with that reason: kept for a person, never dropped.
Result<Intake> TakeIn(Store& store, MessageProcessor& processor, Submission submission,
                      const PostPolicy& policy, std::int64_t now);

/// A held post a moderator approved, ready for Store::Post (the rules do not run again).
Result<NewPost> ApprovedPost(MessageProcessor& processor, const HeldMessage& held);

}  // namespace rt
