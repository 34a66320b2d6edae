#include "store/sqlite_index_statistics.h"

#include <gtest/gtest.h>

#include <map>

#include "search/fts_ranking.h"
#include "search/fts_tokenizer.h"
#include "store/sqlite_connection.h"
#include "store/store_fixture.h"

namespace rt {
namespace {

class IndexStatisticsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (db_.starts_with("postgresql:")) GTEST_SKIP() << "SQLite's index only";
    Result<std::unique_ptr<SqliteConnection>> opened = SqliteConnection::Open(db_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    reader_ = std::move(opened.value());
    ASSERT_EQ(RegisterFtsTokenizer(reader_->handle()), SQLITE_OK);
    ASSERT_EQ(RegisterRankFunction(reader_->handle(), &context_), SQLITE_OK);
  }

  // rt_bm25 of every match of `word`, by rowid, with the lengths in context_ (FTS5's own
  // when it has none).
  std::map<std::int64_t, double> Scores(const std::string& word) {
    std::unique_ptr<SqlStatement> q =
        reader_->Prepare("SELECT rowid, rt_bm25(message_index, 4.0, 1.0, 2) FROM message_index WHERE message_index MATCH ?1");
    q->Bind(1, word);
    std::map<std::int64_t, double> scores;
    while (q->Step()) scores[q->Int(0)] = q->Double(1);
    EXPECT_TRUE(q->status().ok()) << q->status().message();
    return scores;
  }

  // Scores from the statistics' lengths as of `version` must be FTS5's exactly.
  void ExpectSameRanking(SqliteIndexStatistics& statistics, std::int64_t version, std::size_t matches) {
    context_.lengths = nullptr;
    std::map<std::int64_t, double> from_index = Scores("budget");
    Result<std::shared_ptr<const SqliteIndexStatistics::Lengths>> lengths = statistics.DocumentLengths(*reader_, version);
    ASSERT_TRUE(lengths.ok()) << lengths.status().message();
    context_.lengths = lengths.value();
    for (const auto& [id, score] : from_index) {
      ASSERT_LT(static_cast<std::size_t>(id), context_.lengths->size());
      EXPECT_GT((*context_.lengths)[static_cast<std::size_t>(id)], 0u) << id;
    }
    EXPECT_EQ(Scores("budget"), from_index);
    EXPECT_EQ(from_index.size(), matches);
  }

  std::unique_ptr<SqliteConnection> reader_;
  RankContext context_;
};

TEST_F(IndexStatisticsTest, LengthsFollowNewAndEditedMessages) {
  Add({Msg("a@x", "Budget", "", "budget talks"),
       Msg("b@x", "Budget again", "", "the budget talks went on and on about the budget of the forum")});
  std::shared_ptr<SqliteIndexStatistics> statistics = SqliteIndexStatistics::ForDatabase(db_);
  ExpectSameRanking(*statistics, 1, 2);
  std::int64_t a = store_->FindMessage("<a@x>").value(), b = store_->FindMessage("<b@x>").value();
  std::shared_ptr<const SqliteIndexStatistics::Lengths> first = statistics->DocumentLengths(*reader_, 1).value();
  std::uint32_t a_length = (*first)[static_cast<std::size_t>(a)];
  EXPECT_LT(a_length, (*first)[static_cast<std::size_t>(b)]);

  // A message added later is read at the next archive version, not before.
  Add({Msg("c@x", "Budget lines", "", "budget lines for the next meeting")});
  std::int64_t c = store_->FindMessage("<c@x>").value();
  EXPECT_EQ(statistics->DocumentLengths(*reader_, 1).value(), first);
  ExpectSameRanking(*statistics, 2, 3);
  EXPECT_GT((*statistics->DocumentLengths(*reader_, 2).value())[static_cast<std::size_t>(c)], 0u);

  // An edit changes a length in place.
  MessageView before = store_->Message(a).value();
  ParsedMessage previous, edited;
  previous.subject = before.subject;
  previous.body_text = before.body_text;
  edited.subject = before.subject;
  edited.body_text = "budget talks went long: travel, interpretation, captioning and the venue for the meeting";
  processor_.Analyze(&previous);
  processor_.Analyze(&edited);
  ASSERT_TRUE(store_->EditMessage(a, 0, previous, edited, nullptr).ok());
  ExpectSameRanking(*statistics, 3, 3);
  EXPECT_GT((*statistics->DocumentLengths(*reader_, 3).value())[static_cast<std::size_t>(a)], a_length);
  EXPECT_EQ((*first)[static_cast<std::size_t>(a)], a_length);  // a snapshot handed out never changes
}

TEST_F(IndexStatisticsTest, ARebuiltIndexIsReadAgain) {
  Add({Msg("a@x", "Budget", "", "budget talks about travel support for fellows"),
       Msg("b@x", "Budget again", "", "the budget")});
  std::int64_t a = store_->FindMessage("<a@x>").value();
  // An index as an older version might have built it: other terms, other lengths.
  ASSERT_TRUE(reader_->Exec("INSERT INTO message_index (message_index) VALUES ('delete-all')", "test").ok());
  std::unique_ptr<SqlStatement> old = reader_->Prepare("INSERT INTO message_index (rowid, subject, body) VALUES (?1, 'budget', 'budget')");
  ASSERT_TRUE(old->Bind(1, a).Run().ok());
  std::shared_ptr<SqliteIndexStatistics> statistics = SqliteIndexStatistics::ForDatabase(db_);
  ExpectSameRanking(*statistics, 1, 1);

  Result<std::int64_t> rebuilt = store_->RebuildSearchIndex({});
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().message();
  EXPECT_EQ(rebuilt.value(), 2);
  ExpectSameRanking(*statistics, 2, 2);
}

TEST_F(IndexStatisticsTest, OneInstancePerDatabaseFile) {
  EXPECT_EQ(SqliteIndexStatistics::ForDatabase(db_), SqliteIndexStatistics::ForDatabase(db_));
  testing::TempDir other;
  Result<std::unique_ptr<Store>> second = Store::Open(other.File("other.db"));
  ASSERT_TRUE(second.ok());
  EXPECT_NE(SqliteIndexStatistics::ForDatabase(db_), SqliteIndexStatistics::ForDatabase(other.File("other.db")));
  EXPECT_NE(SqliteIndexStatistics::ForDatabase(":memory:"), SqliteIndexStatistics::ForDatabase(":memory:"));
}

TEST(IndexStatisticsFrequencyTest, AFrequencyServesUntilTheArchiveGrows) {
  SqliteIndexStatistics statistics;
  EXPECT_FALSE(statistics.DocumentFrequency("\"budget\"", 1000));
  statistics.RememberDocumentFrequency("\"budget\"", 1000, 250);
  EXPECT_EQ(statistics.DocumentFrequency("\"budget\"", 1000), 250);
  EXPECT_EQ(statistics.DocumentFrequency("\"budget\"", 1050), 250);  // 5 % more messages
  EXPECT_FALSE(statistics.DocumentFrequency("\"budget\"", 1051));
  EXPECT_FALSE(statistics.DocumentFrequency("\"budget\"", 999));  // not the archive it was taken in
  EXPECT_FALSE(statistics.DocumentFrequency("\"forum\"", 1000));
}

}  // namespace
}  // namespace rt
