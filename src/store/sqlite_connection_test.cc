#include "store/sqlite_connection.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace rt {
namespace {

std::int64_t Synchronous(SqliteConnection& db) {
  Scoped q(db.Sql("PRAGMA synchronous"));
  EXPECT_TRUE(q->Step());
  return q->Int(0);
}

TEST(SqliteConnectionTest, ExpendableTransactionsSkipTheFsyncAndPutTheSettingBack) {
  testing::TempDir dir;
  Result<std::unique_ptr<SqliteConnection>> opened = SqliteConnection::Open(dir.File("t.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  SqliteConnection& db = *opened.value();
  ASSERT_TRUE(db.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (n)", "test").ok());
  constexpr std::int64_t kNormal = 1, kFull = 2;

  ASSERT_TRUE(db.Begin(TransactionKind::kExpendable).ok());
  EXPECT_EQ(Synchronous(db), kNormal);
  ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)", "test").ok());
  ASSERT_TRUE(db.Commit().ok());
  EXPECT_EQ(Synchronous(db), kFull);

  // Rolled back, or after a durable transaction, the setting is the connection's own.
  ASSERT_TRUE(db.Begin(TransactionKind::kExpendable).ok());
  db.Rollback();
  EXPECT_EQ(Synchronous(db), kFull);
  ASSERT_TRUE(db.Begin(TransactionKind::kConcurrent).ok());
  EXPECT_EQ(Synchronous(db), kFull);
  ASSERT_TRUE(db.Commit().ok());

  // A connection that never syncs at commit keeps that too.
  ASSERT_TRUE(db.Exec("PRAGMA synchronous=NORMAL", "test").ok());
  ASSERT_TRUE(db.Begin(TransactionKind::kExpendable).ok());
  ASSERT_TRUE(db.Commit().ok());
  EXPECT_EQ(Synchronous(db), kNormal);

  Scoped count(db.Sql("SELECT count(*) FROM t"));
  ASSERT_TRUE(count->Step());
  EXPECT_EQ(count->Int(0), 1);
}

}  // namespace
}  // namespace rt
