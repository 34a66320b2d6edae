#pragma once
// A fresh store per test (SQLite, or PostgreSQL when RT_TEST_PG is set), filled through the real message processor.

#include <gtest/gtest.h>

#include <algorithm>

#include "archive/message_processor.h"
#include "mime/mime_parser.h"
#include "store/store.h"
#include "test_util.h"

namespace rt {

class StoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitMime(); }
  void SetUp() override {
    db_ = testing::TestDatabase(dir_);
    Result<std::unique_ptr<Store>> s = Store::Open(db_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s.value());
  }

  /// `list` empty: each message's list is chosen as an import without --list chooses it.
  ImportCounts Add(const std::vector<std::string>& messages, const std::string& list = "policy",
                   SourceFormat format = SourceFormat::kMbox, const std::string& source = "test") {
    std::vector<ImportItem> items;
    for (const std::string& bytes : messages) {
      RawMessage raw;
      raw.bytes = bytes;
      raw.source = source;
      raw.format = format;
      items.push_back(processor_.Process(std::move(raw)));
    }
    ImportTarget target;
    target.list = list;
    ImportCounts counts;
    Status s = store_->WriteBatch(items, target, &counts);
    EXPECT_TRUE(s.ok()) << s.message();
    return counts;
  }

  static std::string Msg(const std::string& id, const std::string& subject, const std::string& refs,
                         const std::string& body, const std::string& from = "Jane Doe <jane@example.org>",
                         const std::string& date = "Tue, 9 Jan 2007 09:22:30 +0000") {
    std::string m = "From: " + from + "\nSubject: " + subject + "\nDate: " + date + "\n";
    if (!id.empty()) m += "Message-ID: <" + id + ">\n";
    if (!refs.empty()) m += "References: " + refs + "\n";
    return m + "\n" + body + "\n";
  }

  std::string ListOf(const std::string& message_id) {
    Result<std::int64_t> id = store_->FindMessage(message_id);
    EXPECT_TRUE(id.ok()) << message_id;
    Result<MessageView> m = id.ok() ? store_->Message(id.value()) : Result<MessageView>(id.status());
    return m.ok() ? m.value().list : "";
  }

  std::vector<ThreadEntry> ThreadOf(const std::string& id) {
    Result<std::vector<ThreadEntry>> t = store_->Thread(id);
    EXPECT_TRUE(t.ok()) << t.status().message();
    return t.ok() ? t.value() : std::vector<ThreadEntry>{};
  }

  /// The thread of `id` is `chain` in this order, each message a reply to the one before.
  void ExpectReplyChain(const std::string& id, const std::vector<std::string>& chain) {
    std::vector<ThreadEntry> t = ThreadOf(id);
    ASSERT_EQ(t.size(), chain.size()) << id;
    for (std::size_t i = 0; i < chain.size(); ++i) {
      EXPECT_EQ(t[i].message_id, chain[i]) << i;
      EXPECT_EQ(t[i].depth, static_cast<int>(i)) << chain[i];
    }
  }

  std::vector<std::string> Find(const std::string& q) {
    Result<SearchQuery> query = ParseQuery(q);
    EXPECT_TRUE(query.ok()) << query.status().message();
    Result<SearchResults> r = store_->Search(query.value(), {50, 0, true});
    EXPECT_TRUE(r.ok()) << r.status().message();
    std::vector<std::string> ids;
    if (r.ok())
      for (const SearchHit& h : r.value().hits) ids.push_back(h.message_id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  testing::TempDir dir_;
  std::string db_;  ///< where store_ is: a SQLite file or a PostgreSQL URL
  std::unique_ptr<Store> store_;
  MessageProcessor processor_;
};

}  // namespace rt
