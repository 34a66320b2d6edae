#pragma once
// Whether a post goes out at once or waits for a moderator: a chain of small rules in
// the manner of Mailman 3's, the first that matches holds the post with its reason.
// The same rules judge posts from the web and by mail.

#include <optional>
#include <string>

#include "store/account_views.h"
#include "store/archive_views.h"

namespace rt {

/// Rate limits count over the hour before now.
constexpr std::int64_t kRateWindowSeconds = 3600;

struct PostPolicy {
  /// An account's first posts wait for a moderator, until this many went out; so do a
  /// subscriber's by mail, until the archive holds this many from their address (people
  /// whose archive was imported are known already).
  int held_first_posts = 1;
  /// Posts per hour beyond which more are held (per account and per sender address).
  int posts_per_hour = 20;  ///< per account, or per address without one (Store::RecentEvents)
};

/// What the rules look at, gathered by the caller.
struct PostFacts {
  ListInfo list;
  std::string sender;                       ///< normalised From address
  std::optional<UserInfo> user;             ///< the sender's account, if any
  std::optional<Subscription> subscription; ///< the sender's subscription, if any
  bool from_web = false;                    ///< signed in (the account is proven), not an email From
  int posts_in_last_hour = 0;               ///< by this account or address, this one excluded
  /// For mail from a subscriber without an account: the sender's messages in the archive,
  /// counted up to PostPolicy::held_first_posts.
  int sender_messages = 0;
};

/// nullopt: the post goes out; otherwise why it is held (shown to moderators, in English
/// like Mailman's reasons, and logged).
std::optional<std::string> HoldReason(const PostFacts& facts, const PostPolicy& policy);

/// The account moderates this list or runs its forum.
bool CanModerate(const UserInfo& user, const std::string& forum, const std::string& list);

/// A moderator's reason for a decision, as long as the log keeps it.
constexpr std::size_t kMaxModerationReasonBytes = 500;

/// The account wrote this post on the web (mail went out as sent: its sender cannot
/// change it).
bool WroteOnTheWeb(const UserInfo& user, const MessageView& message);

/// Who may change a post: its author, for posts written on the web, and the list's
/// moderators (whose edits of others' posts are logged).
bool CanEdit(const UserInfo& user, const MessageView& message);

}  // namespace rt
