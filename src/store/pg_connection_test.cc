#include "store/pg_connection.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <cstdlib>
#include <limits>
#include <string>

#include "test_util.h"

namespace rt {
namespace {

using namespace std::string_literals;

// Runs against a real server: RT_TEST_PG names its database, each test in a fresh schema.
class PgConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::getenv("RT_TEST_PG"))
      GTEST_FAIL() << "RT_TEST_PG is not set. Start a server with `tests/pg/pg_server.sh start /tmp/rt-pg 55432` "
                      "and set RT_TEST_PG to the URL it prints (ctest does both)";
    url_ = testing::NewPostgresSchema(std::getenv("RT_TEST_PG"));
    db_ = Connect();
    ASSERT_TRUE(db_);
  }

  std::unique_ptr<PgConnection> Connect() {
    Result<std::unique_ptr<PgConnection>> connection = PgConnection::Open(url_);
    EXPECT_TRUE(connection.ok()) << connection.status().message();
    return connection.ok() ? std::move(connection.value()) : nullptr;
  }

  static void Exec(PgConnection& connection, std::string_view sql) {
    Status s = connection.Exec(sql, "test");
    ASSERT_TRUE(s.ok()) << s.message();
  }

  // The first column of the first row of `sql`, as text.
  static std::string Query(PgConnection& connection, std::string_view sql) {
    std::unique_ptr<SqlStatement> statement = connection.Prepare(sql);
    bool row = statement->Step();
    EXPECT_TRUE(row) << statement->status().message();
    return row ? statement->Text(0) : "";
  }

  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<PgConnection> db_;
};

TEST_F(PgConnectionTest, SetsUpTheSession) {
  EXPECT_EQ(db_->dialect(), SqlDialect::kPostgres);
  EXPECT_EQ(Query(*db_, "SHOW client_encoding"), "UTF8");
  EXPECT_EQ(Query(*db_, "SELECT to_timestamp(0)::text"), "1970-01-01 00:00:00+00");
  std::size_t schema = url_.find("options=-csearch_path%3D");
  ASSERT_NE(schema, std::string::npos) << url_;
  EXPECT_EQ(Query(*db_, "SELECT current_schema()"), url_.substr(schema + 24));
}

TEST_F(PgConnectionTest, RewritesNumberedParameters) {
  SqlStatement& s = db_->Sql("SELECT ?2, ?1, ?2, 'it''s ?1 or ?', 1 AS \"?3\", ?10 -- ?4 or ?\n");
  s.Bind(1, "one").Bind(2, 2).Bind(10, 10);
  ASSERT_TRUE(s.Step()) << s.status().message();
  EXPECT_EQ(s.Int(0), 2);
  EXPECT_EQ(s.Text(1), "one");
  EXPECT_EQ(s.Int(2), 2);
  EXPECT_EQ(s.Text(3), "it's ?1 or ?");
  EXPECT_EQ(s.ColumnName(4), "?3");
  EXPECT_EQ(s.Int(5), 10);
  EXPECT_FALSE(s.Step());
  EXPECT_TRUE(s.status().ok()) << s.status().message();

  std::unique_ptr<SqlStatement> bare = db_->Prepare("SELECT ?");
  EXPECT_EQ(bare->status().code(), Status::Code::kDatabase);
  EXPECT_FALSE(bare->Step());
  EXPECT_EQ(bare->Run().code(), Status::Code::kDatabase);
}

TEST_F(PgConnectionTest, TypesParametersFromTheirBindings) {
  SqlStatement& minus = db_->Sql("SELECT ?1 - ?2");
  minus.Bind(1, 10).Bind(2, 3);
  ASSERT_TRUE(minus.Step()) << minus.status().message();
  EXPECT_EQ(minus.Int(0), 7);

  SqlStatement& times = db_->Sql("SELECT ?1 * 2");
  times.BindDouble(1, 1.25);
  ASSERT_TRUE(times.Step()) << times.status().message();
  EXPECT_EQ(times.Double(0), 2.5);

  static const char* const kPresent = "SELECT ?1 IS NOT NULL";
  SqlStatement& present = db_->Sql(kPresent);
  present.Bind(1, "x");
  ASSERT_TRUE(present.Step()) << present.status().message();
  EXPECT_EQ(present.Int(0), 1);
  SqlStatement& absent = db_->Sql(kPresent);
  absent.BindNull(1);
  ASSERT_TRUE(absent.Step()) << absent.status().message();
  EXPECT_EQ(absent.Int(0), 0);

  Exec(*db_, "CREATE TABLE src (address text); INSERT INTO src VALUES ('a@x'), ('b@x');"
             "CREATE TABLE dst (list int8, address text)");
  SqlStatement& copy = db_->Sql("INSERT INTO dst SELECT ?1, address FROM src");
  copy.Bind(1, 7);
  ASSERT_TRUE(copy.Run().ok());
  EXPECT_EQ(copy.Changes(), 2);
  EXPECT_EQ(Query(*db_, "SELECT sum(list) FROM dst"), "14");

  // A number the SQL skips still gets a type.
  SqlStatement& gap = db_->Sql("SELECT ?3");
  gap.Bind(3, "three");
  ASSERT_TRUE(gap.Step()) << gap.status().message();
  EXPECT_EQ(gap.Text(0), "three");
}

TEST_F(PgConnectionTest, ValuesRoundTrip) {
  Exec(*db_, "CREATE TABLE t (i int8, d float8, s text, b bytea)");
  std::string every_byte;
  for (int c = 0; c < 256; ++c) every_byte += static_cast<char>(c);
  static const char* const kInsert = "INSERT INTO t VALUES (?1, ?2, ?3, ?4)";
  ASSERT_TRUE(db_->Sql(kInsert)
                  .Bind(1, std::numeric_limits<std::int64_t>::min())
                  .BindDouble(2, 0.1)
                  .Bind(3, "é€😀 'quoted' \\x00")
                  .BindBlob(4, every_byte)
                  .Run()
                  .ok());
  // NUL is dropped; each invalid sequence (a stray byte, a truncated sequence, an overlong
  // form, a surrogate) becomes U+FFFD, one per maximal invalid part.
  ASSERT_TRUE(db_->Sql(kInsert)
                  .Bind(1, std::numeric_limits<std::int64_t>::max())
                  .BindDouble(2, -1e300)
                  .Bind(3, "a\0b\xff|\xe2\x82|\xc0\xaf|\xed\xa0\x80|\xf0\x9f\x98\x80"s)
                  .BindBlob(4, "")
                  .Run()
                  .ok());
  ASSERT_TRUE(db_->Sql(kInsert).Run().ok());  // all NULL

  SqlStatement& read = db_->Sql("SELECT i, d, s, b FROM t ORDER BY i NULLS LAST");
  ASSERT_TRUE(read.Step()) << read.status().message();
  ASSERT_EQ(read.ColumnCount(), 4);
  EXPECT_EQ(read.ColumnName(3), "b");
  EXPECT_EQ(read.Int(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(read.Double(1), 0.1);
  EXPECT_EQ(read.Text(2), "é€😀 'quoted' \\x00");
  EXPECT_EQ(read.Blob(2), "é€😀 'quoted' \\x00");
  EXPECT_EQ(read.Blob(3), every_byte);
  EXPECT_EQ(read.Blob(3).data(), read.Blob(3).data());  // decoded once
  EXPECT_EQ(read.Text(3), every_byte);
  EXPECT_EQ(read.Type(0), SqlType::kInteger);
  EXPECT_EQ(read.Type(1), SqlType::kFloat);
  EXPECT_EQ(read.Type(2), SqlType::kText);
  EXPECT_EQ(read.Type(3), SqlType::kBlob);

  ASSERT_TRUE(read.Step());
  EXPECT_EQ(read.Int(0), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(read.Double(1), -1e300);
  EXPECT_EQ(read.Text(2), "ab\uFFFD|\uFFFD|\uFFFD\uFFFD|\uFFFD\uFFFD\uFFFD|😀");
  EXPECT_FALSE(read.IsNull(3));
  EXPECT_EQ(read.Blob(3), "");

  ASSERT_TRUE(read.Step());
  for (int col = 0; col < 4; ++col) {
    EXPECT_TRUE(read.IsNull(col));
    EXPECT_EQ(read.Type(col), SqlType::kNull);
  }
  EXPECT_FALSE(read.Step());
  EXPECT_TRUE(read.status().ok());
}

TEST_F(PgConnectionTest, BooleansAndNumericsReadAsIntegers) {
  std::unique_ptr<SqlStatement> s = db_->Prepare("SELECT true, false, 2 > 1, 12.0::numeric, 12.5::float8, '12'::text");
  ASSERT_TRUE(s->Step()) << s->status().message();
  EXPECT_EQ(s->Int(0), 1);
  EXPECT_EQ(s->Int(1), 0);
  EXPECT_EQ(s->Int(2), 1);
  EXPECT_EQ(s->Type(0), SqlType::kInteger);
  EXPECT_EQ(s->Int(3), 12);
  EXPECT_EQ(s->Type(3), SqlType::kFloat);
  EXPECT_EQ(s->Int(4), 12);
  EXPECT_EQ(s->Double(4), 12.5);
  EXPECT_EQ(s->Int(5), 12);
  EXPECT_EQ(s->Type(5), SqlType::kText);
}

TEST_F(PgConnectionTest, CountsChanges) {
  Exec(*db_, "CREATE TABLE t (n int8)");
  SqlStatement& insert = db_->Sql("INSERT INTO t SELECT generate_series(1, ?1)");
  insert.Bind(1, 3);
  ASSERT_TRUE(insert.Run().ok());
  EXPECT_EQ(insert.Changes(), 3);
  SqlStatement& update = db_->Sql("UPDATE t SET n = n + 1 WHERE n >= ?1");
  update.Bind(1, 2);
  ASSERT_TRUE(update.Run().ok());
  EXPECT_EQ(update.Changes(), 2);
  std::unique_ptr<SqlStatement> none = db_->Prepare("DELETE FROM t WHERE n > 100");
  ASSERT_TRUE(none->Run().ok());
  EXPECT_EQ(none->Changes(), 0);
}

TEST_F(PgConnectionTest, OtherStatementsRunWhileOneIsRead) {
  Exec(*db_, "CREATE TABLE a (n int8); INSERT INTO a SELECT generate_series(1, 5); CREATE TABLE b (n int8)");
  SqlStatement& read = db_->Sql("SELECT n FROM a ORDER BY n");
  int seen = 0;
  while (read.Step()) {
    SqlStatement& write = db_->Sql("INSERT INTO b VALUES (?1)");
    write.Bind(1, read.Int(0) * 10);
    ASSERT_TRUE(write.Run().ok());
    EXPECT_EQ(Query(*db_, "SELECT count(*) FROM b"), std::to_string(++seen));
  }
  EXPECT_TRUE(read.status().ok()) << read.status().message();
  EXPECT_EQ(seen, 5);
  EXPECT_EQ(Query(*db_, "SELECT sum(n) FROM b"), "150");
}

TEST_F(PgConnectionTest, Transactions) {
  Exec(*db_, "CREATE TABLE t (n int8)");
  std::unique_ptr<PgConnection> other = Connect();
  ASSERT_TRUE(other);

  ASSERT_TRUE(db_->Begin(TransactionKind::kConcurrent).ok());
  Exec(*db_, "INSERT INTO t VALUES (1)");
  EXPECT_EQ(Query(*other, "SELECT count(*) FROM t"), "0");
  ASSERT_TRUE(db_->Commit().ok());
  EXPECT_EQ(Query(*other, "SELECT count(*) FROM t"), "1");

  ASSERT_TRUE(db_->Begin(TransactionKind::kArchiveWrite).ok());
  Exec(*db_, "INSERT INTO t VALUES (2)");
  db_->Rollback();
  EXPECT_EQ(Query(*other, "SELECT count(*) FROM t"), "1");

  // After a failed statement COMMIT rolls back, and that is an error.
  ASSERT_TRUE(db_->Begin(TransactionKind::kConcurrent).ok());
  Exec(*db_, "INSERT INTO t VALUES (3)");
  EXPECT_FALSE(db_->Exec("INSERT INTO t VALUES ('three')", "test").ok());
  Status commit = db_->Commit();
  EXPECT_EQ(commit.code(), Status::Code::kDatabase);
  EXPECT_EQ(Query(*db_, "SELECT count(*) FROM t"), "1");
}

TEST_F(PgConnectionTest, ExpendableTransactionsCommitWithoutWaitingForTheDisk) {
  Exec(*db_, "CREATE TABLE t (n int8)");
  ASSERT_TRUE(db_->Begin(TransactionKind::kExpendable).ok());
  EXPECT_EQ(Query(*db_, "SHOW synchronous_commit"), "off");
  Exec(*db_, "INSERT INTO t VALUES (1)");
  ASSERT_TRUE(db_->Commit().ok());
  EXPECT_EQ(Query(*db_, "SHOW synchronous_commit"), "on");
  EXPECT_EQ(Query(*db_, "SELECT count(*) FROM t"), "1");
}

TEST_F(PgConnectionTest, WritesRunLaterAreSeenByTheNextReadAndTheirFailuresFailTheTransaction) {
  Exec(*db_, "CREATE TABLE t (id BIGINT PRIMARY KEY, data BYTEA)");
  ASSERT_TRUE(db_->Begin(TransactionKind::kConcurrent).ok());
  std::string blob(70000, '\x01');
  for (int i = 1; i <= 300; ++i) {  // past the pipeline's bound, and each prepared once
    Status s = db_->Sql("INSERT INTO t (id, data) VALUES (?1, ?2)").Bind(1, i).BindBlob(2, blob).RunLater();
    ASSERT_TRUE(s.ok()) << s.message();
  }
  EXPECT_EQ(Query(*db_, "SELECT count(*) FROM t"), "300");  // the read waits for the writes
  ASSERT_TRUE(db_->Commit().ok());

  // A failing write is reported by the next statement, and the transaction is lost.
  ASSERT_TRUE(db_->Begin(TransactionKind::kConcurrent).ok());
  EXPECT_TRUE(db_->Sql("INSERT INTO t (id) VALUES (?1)").Bind(1, 301).RunLater().ok());
  EXPECT_TRUE(db_->Sql("INSERT INTO t (id) VALUES (?1)").Bind(1, 1).RunLater().ok());  // a duplicate
  Status committed = db_->Commit();
  EXPECT_EQ(committed.code(), Status::Code::kDatabase) << committed.message();
  EXPECT_NE(committed.message().find("duplicate key"), std::string::npos) << committed.message();
  EXPECT_EQ(Query(*db_, "SELECT count(*) FROM t"), "300");

  // Outside a transaction it is a plain Run().
  EXPECT_TRUE(db_->Sql("INSERT INTO t (id) VALUES (?1)").Bind(1, 302).RunLater().ok());
  EXPECT_EQ(Query(*db_, "SELECT count(*) FROM t"), "301");
}

TEST_F(PgConnectionTest, OneArchiveWriterAtATime) {
  std::unique_ptr<PgConnection> other = Connect();
  ASSERT_TRUE(other);
  auto lock_is_free = [&] {
    std::unique_ptr<SqlStatement> s = other->Prepare("SELECT pg_try_advisory_xact_lock(?1)");
    s->Bind(1, kArchiveWriteLockKey);
    EXPECT_TRUE(s->Step()) << s->status().message();
    return s->Int(0) == 1;
  };
  ASSERT_TRUE(db_->Begin(TransactionKind::kConcurrent).ok());
  ASSERT_TRUE(other->Begin(TransactionKind::kConcurrent).ok());
  EXPECT_TRUE(lock_is_free());
  other->Rollback();
  db_->Rollback();

  ASSERT_TRUE(db_->Begin(TransactionKind::kArchiveWrite).ok());
  ASSERT_TRUE(other->Begin(TransactionKind::kConcurrent).ok());
  EXPECT_FALSE(lock_is_free());
  ASSERT_TRUE(db_->Commit().ok());
  EXPECT_TRUE(lock_is_free());
  other->Rollback();
}

TEST_F(PgConnectionTest, MapsErrors) {
  Exec(*db_, "CREATE TABLE u (k text PRIMARY KEY)");
  static const char* const kInsert = "INSERT INTO u VALUES (?1)";
  ASSERT_TRUE(db_->Sql(kInsert).Bind(1, "a").Run().ok());
  Status duplicate = db_->Sql(kInsert).Bind(1, "a").Run();
  EXPECT_EQ(duplicate.code(), Status::Code::kDatabase);
  EXPECT_NE(duplicate.message().find("\"INSERT INTO u VALUES (?1)\""), std::string::npos) << duplicate.message();
  EXPECT_NE(duplicate.message().find("duplicate key"), std::string::npos) << duplicate.message();
  EXPECT_TRUE(db_->Sql(kInsert).Bind(1, "b").Run().ok());  // the statement is fine again

  std::unique_ptr<SqlStatement> divide = db_->Prepare("SELECT 1 / 0");
  EXPECT_FALSE(divide->Step());
  EXPECT_EQ(divide->status().code(), Status::Code::kDatabase);
  EXPECT_NE(divide->status().message().find("division by zero"), std::string::npos);
  EXPECT_EQ(db_->Sql("SELEC 1").Run().code(), Status::Code::kDatabase);

  // What a retry can cure is Busy: a row lock not available, a statement timeout.
  Exec(*db_, "CREATE TABLE r (n int8); INSERT INTO r VALUES (1)");
  std::unique_ptr<PgConnection> other = Connect();
  ASSERT_TRUE(other);
  ASSERT_TRUE(db_->Begin(TransactionKind::kConcurrent).ok());
  Exec(*db_, "SELECT n FROM r FOR UPDATE");
  ASSERT_TRUE(other->Begin(TransactionKind::kConcurrent).ok());
  EXPECT_EQ(other->Exec("SELECT n FROM r FOR UPDATE NOWAIT", "test").code(), Status::Code::kBusy);
  other->Rollback();
  db_->Rollback();
  Exec(*db_, "SET statement_timeout = 50");
  EXPECT_EQ(db_->Prepare("SELECT pg_sleep(5)")->Run().code(), Status::Code::kBusy);
}

TEST_F(PgConnectionTest, OpenFailuresNameTheServerButNoPassword) {
  Result<std::unique_ptr<PgConnection>> refused = PgConnection::Open("postgresql://rt:hunter2@127.0.0.1:1/archive");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kIoError);
  std::string message = refused.status().message();
  EXPECT_NE(message.find("\"archive\" on 127.0.0.1:1 as rt"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  Result<std::unique_ptr<PgConnection>> malformed = PgConnection::Open("postgresql://rt:hunter2@[::1/archive");
  EXPECT_EQ(malformed.status().code(), Status::Code::kIoError);
  EXPECT_EQ(malformed.status().message().find("hunter2"), std::string::npos) << malformed.status().message();
}

TEST_F(PgConnectionTest, ListenAndNotify) {
  std::unique_ptr<PgConnection> other = Connect();
  ASSERT_TRUE(other);
  ASSERT_TRUE(db_->Listen("rt \"changes\"").ok());
  ASSERT_TRUE(db_->TakeNotifications().ok());
  EXPECT_FALSE(db_->TakeNotifications().value());
  Exec(*other, "NOTIFY \"rt \"\"changes\"\"\"");
  bool notified = false;  // delivery is asynchronous
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       !notified && std::chrono::steady_clock::now() < deadline;) {
    pollfd socket{db_->Socket(), POLLIN, 0};
    poll(&socket, 1, 100);
    Result<bool> taken = db_->TakeNotifications();
    ASSERT_TRUE(taken.ok()) << taken.status().message();
    notified = taken.value();
  }
  EXPECT_TRUE(notified);
  EXPECT_FALSE(db_->TakeNotifications().value());
}

TEST_F(PgConnectionTest, ReconnectsOutsideTransactions) {
  Exec(*db_, "CREATE TABLE t (n int8); INSERT INTO t VALUES (1)");
  ASSERT_TRUE(db_->Listen("changes").ok());
  static const char* const kPid = "SELECT pg_backend_pid()";
  SqlStatement& first = db_->Sql(kPid);
  ASSERT_TRUE(first.Step());
  std::int64_t pid = first.Int(0);

  std::unique_ptr<PgConnection> other = Connect();
  ASSERT_TRUE(other);
  std::unique_ptr<SqlStatement> terminate = other->Prepare("SELECT pg_terminate_backend(?1::int4, 5000)");
  terminate->Bind(1, pid);
  ASSERT_TRUE(terminate->Step()) << terminate->status().message();
  ASSERT_EQ(terminate->Int(0), 1);

  Status lost = db_->Sql(kPid).Run();
  EXPECT_EQ(lost.code(), Status::Code::kIoError) << lost.message();
  SqlStatement& again = db_->Sql(kPid);  // prepared again in the new session
  ASSERT_TRUE(again.Step()) << again.status().message();
  EXPECT_NE(again.Int(0), pid);
  EXPECT_EQ(Query(*db_, "SELECT count(*) FROM t"), "1");  // same schema
  EXPECT_EQ(Query(*db_, "SELECT to_timestamp(0)::text"), "1970-01-01 00:00:00+00");
  Result<bool> missed = db_->TakeNotifications();  // some may have been lost
  ASSERT_TRUE(missed.ok()) << missed.status().message();
  EXPECT_TRUE(missed.value());
  EXPECT_EQ(Query(*db_, "SELECT count(*) FROM pg_listening_channels()"), "1");
}

}  // namespace
}  // namespace rt
