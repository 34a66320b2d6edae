#include "search/snippet.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TEST(Snippet, CentresOnMatchesAndEscapes) {
  std::string text = "one two three four five six seven eight nine ten <b>match</b> eleven twelve";
  std::string s = MakeSnippet(text, [](std::string_view w) { return w == "match"; }, 6);
  EXPECT_NE(s.find("<mark>match</mark>"), std::string::npos) << s;
  EXPECT_NE(s.find("&lt;b&gt;"), std::string::npos) << s;
  EXPECT_EQ(s.rfind("… ", 0), 0u) << s;
}

TEST(Snippet, StartsAtTheBeginningWithoutMatches) {
  std::string s = MakeSnippet("alpha beta gamma delta epsilon zeta eta theta", [](std::string_view) { return false; }, 4);
  EXPECT_EQ(s, "alpha beta gamma delta …");
  EXPECT_EQ(MakeSnippet("", [](std::string_view) { return true; }), "");
}

}  // namespace
}  // namespace rt
