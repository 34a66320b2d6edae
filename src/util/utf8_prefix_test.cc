#include "util/utf8_prefix.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TEST(Utf8Prefix, NeverSplitsACharacter) {
  EXPECT_EQ(Utf8Prefix("abc", 5), "abc");
  EXPECT_EQ(Utf8Prefix("abc", 2), "ab");
  EXPECT_EQ(Utf8Prefix("aé", 2), "a");        // é is two bytes
  EXPECT_EQ(Utf8Prefix("aé", 3), "aé");
  EXPECT_EQ(Utf8Prefix("a€b", 3), "a");       // € is three
  EXPECT_EQ(Utf8Prefix("a😀", 4), "a");       // four
  EXPECT_EQ(Utf8Prefix("😀", 0), "");
  EXPECT_EQ(Utf8Prefix("a\x80\x80\x80\x80\x80", 5).size(), 2u);  // not UTF-8: at most three back
}

}  // namespace
}  // namespace rt
