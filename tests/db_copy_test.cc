// `roundtable db copy` from SQLite into the tests' real PostgreSQL server: the copy is
// proven, searches find the same messages, and the new database takes new posts.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "cli/commands.h"
#include "test_util.h"

namespace rt {
namespace {

using testing::RunRoundtable;

std::vector<std::string> Found(const std::string& db, const std::string& query) {
  testing::CommandResult r = RunRoundtable({"search", "--db", db, "--json", "--limit", "5000", query});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> ids;
  std::size_t at = 0;
  while (at < r.out.size()) {
    std::size_t end = r.out.find('\n', at);
    if (end == std::string::npos) end = r.out.size();
    if (end > at)
      ids.emplace_back(boost::json::parse(r.out.substr(at, end - at)).as_object().at("message_id").as_string());
    at = end + 1;
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

class DbCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* server = std::getenv("RT_TEST_PG");
    if (!server) server = std::getenv("RT_TEST_STORE_PG");
    ASSERT_NE(server, nullptr) << "set RT_TEST_PG to a PostgreSQL URL (ctest does)";
    sqlite_ = dir_.File("source.db");
    postgres_ = testing::NewPostgresSchema(server);
    testing::CommandResult r = RunRoundtable({"import", "--db", sqlite_, "--no-progress", "--forum", "igf",
                                              // enough to train a compression dictionary
                                              testing::GenerateArchive(dir_, 2100, "a.mbox", 4, 2),
                                              std::string(ROUNDTABLE_SOURCE_DIR) + "/tests/data/xss.mbox"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  testing::TempDir dir_;
  std::string sqlite_, postgres_;
};

TEST_F(DbCopy, EveryTableArrivesVerifiedAndSearchesFindTheSameMessages) {
  testing::CommandResult copy = RunRoundtable({"db", "copy", "--from", sqlite_, "--to", postgres_});
  ASSERT_EQ(copy.exit_code, kExitOk) << copy.err;
  EXPECT_NE(copy.out.find("verified"), std::string::npos) << copy.out;
  EXPECT_NE(copy.out.find("raw_messages"), std::string::npos) << copy.out;
  std::size_t dictionaries = copy.out.find("compression_dictionaries");
  ASSERT_NE(dictionaries, std::string::npos) << copy.out;
  EXPECT_NE(copy.out.substr(dictionaries, copy.out.find('\n', dictionaries) - dictionaries).find(" 1 rows"),
            std::string::npos)
      << "the source's import trained no dictionary: " << copy.out;
  // The copy reads its frames with the dictionary that came along.
  ASSERT_EQ(RunRoundtable({"export", "mbox", "--db", sqlite_, dir_.File("before.mbox")}).exit_code, 0);
  ASSERT_EQ(RunRoundtable({"export", "mbox", "--db", postgres_, dir_.File("after.mbox")}).exit_code, 0);
  EXPECT_TRUE(testing::ReadFile(dir_.File("before.mbox")) == testing::ReadFile(dir_.File("after.mbox")));
  for (const char* query : {"governance", "\"internet governance\"", "subject:agenda -ipv6", "régulation",
                            "from:jane", "after:2005-01-01 policy", "<script>"}) {
    std::vector<std::string> before = Found(sqlite_, query), after = Found(postgres_, query);
    EXPECT_EQ(before, after) << query;
  }
  testing::CommandResult stats_before = RunRoundtable({"stats", "--json", "--db", sqlite_});
  testing::CommandResult stats_after = RunRoundtable({"stats", "--json", "--db", postgres_});
  EXPECT_EQ(stats_before.out, stats_after.out);
}

TEST_F(DbCopy, ACopyNeverLandsOnADatabaseInUseAndTheCopyTakesNewMessages) {
  ASSERT_EQ(RunRoundtable({"db", "copy", "--from", sqlite_, "--to", postgres_}).exit_code, kExitOk);
  testing::CommandResult again = RunRoundtable({"db", "copy", "--from", sqlite_, "--to", postgres_});
  EXPECT_EQ(again.exit_code, kExitUsage);
  EXPECT_NE(again.err.find("is not empty"), std::string::npos) << again.err;
  // Ids continue after the copied ones: new messages, threads and people store cleanly.
  testing::CommandResult more = RunRoundtable({"import", "--db", postgres_, "--no-progress", "--forum", "igf",
                                               testing::GenerateArchive(dir_, 50, "b.mbox", 9, 2)});
  EXPECT_EQ(more.exit_code, 0) << more.err;
  EXPECT_NE(more.out.find("imported 50"), std::string::npos) << more.out;
}

TEST_F(DbCopy, AMissingSourceIsAClearError) {
  testing::CommandResult r = RunRoundtable({"db", "copy", "--from", dir_.File("typo.db"), "--to", postgres_});
  EXPECT_EQ(r.exit_code, kExitDatabase);
  EXPECT_NE(r.err.find("no database at"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rt
