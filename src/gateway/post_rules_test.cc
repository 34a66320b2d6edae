#include "gateway/post_rules.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

PostFacts Member() {
  PostFacts f;
  f.list.forum = "igf";
  f.list.name = "policy";
  f.sender = "ana@example.org";
  f.subscription = Subscription{"ana@example.org", "each"};
  f.sender_messages = 1;  // the archive knows her
  return f;
}

TEST(PostRules, SubscribersPostAndStrangersAreHeld) {
  PostPolicy policy;
  EXPECT_EQ(HoldReason(Member(), policy), std::nullopt);
  PostFacts stranger = Member();
  stranger.subscription.reset();
  EXPECT_EQ(HoldReason(stranger, policy), "the sender is not subscribed to the list");
}

TEST(PostRules, NewAccountsAreHeldUntilTheirFirstPostsWentOut) {
  PostPolicy policy;
  policy.held_first_posts = 2;
  PostFacts f = Member();
  f.from_web = true;
  f.subscription.reset();
  f.user = UserInfo{};
  f.user->approved_posts = 1;
  EXPECT_EQ(HoldReason(f, policy), "first posts of a new account");
  f.user->approved_posts = 2;
  EXPECT_EQ(HoldReason(f, policy), std::nullopt);
}

TEST(PostRules, ASubscribersMailIsHeldUntilTheArchiveKnowsTheirAddress) {
  PostPolicy policy;
  PostFacts f = Member();
  f.sender_messages = 0;
  EXPECT_EQ(HoldReason(f, policy), "first posts of a new subscriber");
  f.sender_messages = 1;
  EXPECT_EQ(HoldReason(f, policy), std::nullopt);
  policy.held_first_posts = 0;
  f.sender_messages = 0;
  EXPECT_EQ(HoldReason(f, policy), std::nullopt);
}

TEST(PostRules, ModeratedListsAndFloodsAreHeldButNotForModerators) {
  PostPolicy policy;
  PostFacts f = Member();
  f.list.moderated = true;
  EXPECT_EQ(HoldReason(f, policy), "every post to this list is moderated");
  f.user = UserInfo{};
  f.user->roles.push_back({"moderator", "igf", "policy"});
  EXPECT_EQ(HoldReason(f, policy), std::nullopt);
  f.user->roles = {{"moderator", "igf", "other-list"}};
  EXPECT_NE(HoldReason(f, policy), std::nullopt);
  f.list.moderated = false;
  f.user->approved_posts = 5;
  f.posts_in_last_hour = policy.posts_per_hour;
  EXPECT_EQ(HoldReason(f, policy), "more than 20 posts in an hour");
}

}  // namespace
}  // namespace rt
