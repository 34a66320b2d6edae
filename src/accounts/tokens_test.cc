#include "accounts/tokens.h"

#include <gtest/gtest.h>

#include <set>

namespace rt {
namespace {

TEST(Tokens, AreRandomUrlSafeAndHashedStably) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string t = NewToken();
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
    EXPECT_TRUE(seen.insert(t).second);
  }
  EXPECT_EQ(TokenHash("abc"), TokenHash("abc"));
  EXPECT_NE(TokenHash("abc"), TokenHash("abd"));
  EXPECT_EQ(TokenHash("abc").size(), 64u);
}

TEST(Tokens, SignaturesVerifyOnlyForTheirKeyAndMessage) {
  std::string key(32, 'k');
  std::string sig = Sign(key, "session-1");
  EXPECT_TRUE(VerifySignature(key, "session-1", sig));
  EXPECT_FALSE(VerifySignature(key, "session-2", sig));
  EXPECT_FALSE(VerifySignature(std::string(32, 'j'), "session-1", sig));
  EXPECT_FALSE(VerifySignature(key, "session-1", sig.substr(1)));
  EXPECT_FALSE(VerifySignature(key, "session-1", ""));
}

}  // namespace
}  // namespace rt
