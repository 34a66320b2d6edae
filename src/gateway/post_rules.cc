#include "gateway/post_rules.h"

#include <functional>
#include <vector>

namespace rt {

namespace {

using Rule = std::function<std::optional<std::string>(const PostFacts&, const PostPolicy&)>;

// In order: the first rule that has a reason holds the post.
const std::vector<Rule>& Rules() {
  static const std::vector<Rule> kRules = {
      // Mail from someone the list does not know: anyone may write, a person reads it first.
      [](const PostFacts& f, const PostPolicy&) -> std::optional<std::string> {
        if (f.from_web || f.subscription || f.user) return std::nullopt;
        return "the sender is not subscribed to the list";
      },
      [](const PostFacts& f, const PostPolicy&) -> std::optional<std::string> {
        if (f.user && f.user->deleted) return "the sender's account is closed";
        return std::nullopt;
      },
      [](const PostFacts& f, const PostPolicy&) -> std::optional<std::string> {
        if (f.list.moderated) return "every post to this list is moderated";
        return std::nullopt;
      },
      [](const PostFacts& f, const PostPolicy& p) -> std::optional<std::string> {
        if (f.user && f.user->approved_posts < p.held_first_posts) return "first posts of a new account";
        return std::nullopt;
      },
      [](const PostFacts& f, const PostPolicy& p) -> std::optional<std::string> {
        if (!f.user && !f.from_web && f.sender_messages < p.held_first_posts) return "first posts of a new subscriber";
        return std::nullopt;
      },
      [](const PostFacts& f, const PostPolicy& p) -> std::optional<std::string> {
        if (f.posts_in_last_hour >= p.posts_per_hour)
          return "more than " + std::to_string(p.posts_per_hour) + " posts in an hour";
        return std::nullopt;
      },
  };
  return kRules;
}

}  // namespace

bool CanModerate(const UserInfo& user, const std::string& forum, const std::string& list) {
  for (const RoleGrant& r : user.roles)
    if (r.forum == forum && (r.role == "secretariat" || (r.role == "moderator" && r.list == list))) return true;
  return false;
}

bool WroteOnTheWeb(const UserInfo& user, const MessageView& m) {
  return user.person_id != 0 && user.person_id == m.person_id && m.source_format == "web";
}

bool CanEdit(const UserInfo& user, const MessageView& m) {
  return !user.deleted && (WroteOnTheWeb(user, m) || CanModerate(user, m.forum, m.list));
}

std::optional<std::string> HoldReason(const PostFacts& facts, const PostPolicy& policy) {
  // Moderators and the secretariat are trusted with their own lists.
  if (facts.user && !facts.user->deleted && CanModerate(*facts.user, facts.list.forum, facts.list.name))
    return std::nullopt;
  for (const Rule& rule : Rules())
    if (std::optional<std::string> reason = rule(facts, policy)) return reason;
  return std::nullopt;
}

}  // namespace rt
