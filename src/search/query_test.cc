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
  // Filters cannot be negated; silently applying them as positive filters would be worse.
  for (const char* negated : {"governance -list:evil", "governance -from:kofi", "x -after:2020-01-01", "x -before:2020-01-01"}) {
    Result<SearchQuery> q = ParseQuery(negated);
    ASSERT_FALSE(q.ok()) << negated;
    EXPECT_NE(q.status().message().find("cannot exclude"), std::string::npos) << q.status().message();
  }
  EXPECT_TRUE(ParseQuery("governance -subject:draft").ok());
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

namespace rt {
namespace {

TEST(QueryLimitsTest, LongOrWideQueriesAreRefused) {
  auto check = [](const std::string& text) {
    Result<SearchQuery> q = ParseQuery(text);
    EXPECT_TRUE(q.ok()) << text;
    return CheckQueryLimits(q.value(), text);
  };
  EXPECT_TRUE(check("internet governance \"enhanced cooperation\" from:jane list:igf").ok());
  std::string thirteen;
  for (int i = 0; i < 13; ++i) thirteen += "w" + std::to_string(i) + " ";
  EXPECT_EQ(check(thirteen).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(check("a from:x from:y from:z from:w").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(check("a list:1 list:2 list:3 list:4 list:5 list:6").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(check("a \"" + std::string(600, 'x') + "\"").code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace rt
