#include "search/query.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TEST(Query, FullSyntax) {
  Result<SearchQuery> q = ParseQuery(
      "consultation \"enhanced cooperation\" from:jdoe list:policy subject:draft subject:\"final text\" "
      "after:2006-12-01 before:2007-01-31 -spam -\"out of scope\"");
  ASSERT_TRUE(q.ok()) << q.status().message();
  const SearchQuery& s = q.value();
  ASSERT_EQ(s.include.size(), 4u);
  EXPECT_EQ(s.include[0].text, "consultation");
  EXPECT_TRUE(s.include[1].phrase);
  EXPECT_EQ(s.include[1].text, "enhanced cooperation");
  EXPECT_TRUE(s.include[2].subject_only);
  EXPECT_TRUE(s.include[3].subject_only && s.include[3].phrase);
  ASSERT_EQ(s.exclude.size(), 2u);
  EXPECT_EQ(s.exclude[1].text, "out of scope");
  EXPECT_EQ(s.from, std::vector<std::string>{"jdoe"});
  EXPECT_EQ(s.lists, std::vector<std::string>{"policy"});
  EXPECT_EQ(*s.after, 1164931200);
  EXPECT_EQ(*s.before, 1170201600);
}

TEST(Query, Errors) {
  EXPECT_FALSE(ParseQuery("\"unclosed").ok());
  EXPECT_FALSE(ParseQuery("before:yesterday").ok());
  EXPECT_FALSE(ParseQuery("-only -negative").ok());
  Result<SearchQuery> url = ParseQuery("http://example.org");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url.value().include[0].text, "http://example.org");
  EXPECT_TRUE(ParseQuery("").ok());
  Result<SearchQuery> punct = ParseQuery("body - & !!! without");
  ASSERT_TRUE(punct.ok());
  EXPECT_EQ(punct.value().include.size(), 2u);
}

}  // namespace
}  // namespace rt
