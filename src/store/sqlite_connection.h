#pragma once
// SQLite's SqlStatement and SqlConnection: prepared statements cached per call site, and
// the functions the portable SQL expects (greatest, least, rt_year, rt_month).

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "store/sql_connection.h"
#include "util/status.h"

namespace rt {

/// Owns one sqlite3_stmt. SQLite copies bound text and blobs.
class SqliteStatement : public SqlStatement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql);
  ~SqliteStatement() override;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  Status status() const override { return status_; }
  SqlStatement& Bind(int pos, std::int64_t value) override;
  SqlStatement& Bind(int pos, std::string_view text) override;
  SqlStatement& BindDouble(int pos, double value) override;
  SqlStatement& BindBlob(int pos, std::string_view bytes) override;
  SqlStatement& BindNull(int pos) override;
  bool Step() override;
  Status Run() override;
  void Reset() override;
  std::int64_t Changes() const override { return changes_; }

  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int col) const override;
  SqlType Type(int col) const override;
  std::int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const override { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const override;
  std::string_view Blob(int col) const override;
  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
  std::int64_t changes_ = 0;
};

/// Process-wide SQLite settings; call before any other use of SQLite (main does;
/// SqliteConnection::Open does too, for programs that do not). SQLite counts every
/// allocation under one process-wide mutex unless told not to: with a connection per
/// server thread, that mutex was a quarter of a busy search page's time.
void ConfigureSqlite();

class SqliteConnection : public SqlConnection {
 public:
  /// Opens (creating) the file and registers the portable SQL functions.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path);
  ~SqliteConnection() override;

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }
  SqlStatement& Sql(const char* sql) override;
  std::unique_ptr<SqlStatement> Prepare(std::string_view sql) override;
  Status Exec(std::string_view sql, std::string_view what) override;
  /// BEGIN IMMEDIATE for every kind: SQLite has one writer at a time anyway, and taking
  /// the lock first means a transaction never fails halfway for want of it. kExpendable
  /// commits with synchronous=NORMAL (no fsync in WAL mode), whatever the connection's own.
  Status Begin(TransactionKind kind) override;
  Status Commit() override;
  void Rollback() override;

  sqlite3* handle() { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  /// Ends a transaction; then puts back the connection's synchronous setting if
  /// an expendable transaction changed it.
  Status End(const char* sql, std::string_view what);

  sqlite3* db_ = nullptr;
  std::string restore_synchronous_;  ///< "PRAGMA synchronous=N" while kExpendable runs
  std::map<const char*, std::unique_ptr<SqliteStatement>> statements_;
};

/// Maps an SQLite result code to a Status naming what was being done.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what);

}  // namespace rt
