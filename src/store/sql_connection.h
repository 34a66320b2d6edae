#pragma once
// The few things the store needs from a SQL database, so one store implementation
// (sql_store.cc and friends) runs on SQLite and on PostgreSQL. Statements are written in
// the dialect both accept: `?N` parameters (PostgreSQL's connection rewrites them to
// `$N`), `RETURNING`, `ON CONFLICT`, `greatest()`/`least()`, `unixepoch()`; what differs
// (full-text search, change tracking, queue claims) lives in the backend's own file.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

enum class SqlDialect { kSqlite, kPostgres };

/// What a result column holds, for code that copies rows without knowing the table.
enum class SqlType { kNull, kInteger, kFloat, kText, kBlob };

/// One prepared statement of a connection. Bind() uses 1-based positions and copies its
/// argument; an unbound parameter is NULL. Not thread-safe (like its connection).
class SqlStatement {
 public:
  virtual ~SqlStatement() = default;

  /// Ok, or the error of the last prepare or step, naming the SQL.
  virtual Status status() const = 0;

  virtual SqlStatement& Bind(int pos, std::int64_t value) = 0;
  virtual SqlStatement& Bind(int pos, std::string_view text) = 0;
  virtual SqlStatement& BindDouble(int pos, double value) = 0;
  virtual SqlStatement& BindBlob(int pos, std::string_view bytes) = 0;
  virtual SqlStatement& BindNull(int pos) = 0;

  /// Steps once: true while a row is available, false when done (or on error, see status()).
  virtual bool Step() = 0;
  /// Steps to completion and resets; a Database/Busy status on failure.
  virtual Status Run() = 0;
  /// Resets and clears bindings for the next use.
  virtual void Reset() = 0;
  /// Rows inserted, updated or deleted by the last Run().
  virtual std::int64_t Changes() const = 0;
  /// Run() for a write whose outcome nothing waits for. Inside a transaction, PostgreSQL's
  /// connection sends it without waiting for the answer (pipelining: a round trip saved
  /// a statement); a failure then comes back from the connection's next statement or
  /// Commit(), which fail the transaction. Changes() is not set.
  virtual Status RunLater() { return Run(); }

  // The current row. Booleans read as 0/1 integers.
  virtual int ColumnCount() const = 0;
  virtual std::string ColumnName(int col) const = 0;
  virtual SqlType Type(int col) const = 0;
  virtual std::int64_t Int(int col) const = 0;
  virtual double Double(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  /// Valid until the next Step() or Reset().
  virtual std::string_view Blob(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
};

/// Resets a cached statement however the function using it returns: an SQLite statement
/// left on a row holds its read snapshot, and with it every WAL checkpoint.
class Scoped {
 public:
  explicit Scoped(SqlStatement& statement) : statement_(statement) {}
  ~Scoped() { statement_.Reset(); }
  Scoped(const Scoped&) = delete;
  Scoped& operator=(const Scoped&) = delete;
  SqlStatement* operator->() { return &statement_; }
  SqlStatement& operator*() { return statement_; }

 private:
  SqlStatement& statement_;
};

/// How a transaction meets others. Both kinds are serialisable with respect to the
/// archive's own writes on SQLite (one writer at a time).
enum class TransactionKind {
  /// Changes the archive (messages, threads, people, lists, accounts): one such
  /// transaction at a time in the whole database, as SQLite's single writer, so threading
  /// and deduplication never race between server nodes.
  kArchiveWrite,
  /// Touches rows others may touch at the same time (queue claims, sessions, tokens):
  /// relies on row locks alone.
  kConcurrent,
  /// As kConcurrent, for bookkeeping a crash may lose without harm (rate-limit counts):
  /// the commit does not wait for the disk. A durable mail gateway would otherwise pay
  /// one more fsync per message for it.
  kExpendable,
};

/// One database connection. Not thread-safe: one per thread.
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  virtual SqlDialect dialect() const = 0;

  /// A statement prepared once per call site and cached: `sql` must outlive the
  /// connection (a literal, or a static string), since its address is the cache key.
  /// Returned reset and unbound.
  virtual SqlStatement& Sql(const char* sql) = 0;
  /// A statement for SQL built at run time, prepared every time.
  virtual std::unique_ptr<SqlStatement> Prepare(std::string_view sql) = 0;
  /// Runs one or more statements without parameters or results.
  virtual Status Exec(std::string_view sql, std::string_view what) = 0;

  virtual Status Begin(TransactionKind kind) = 0;
  virtual Status Commit() = 0;
  /// Never fails in a way callers could act on: a failed rollback closes the transaction too.
  virtual void Rollback() = 0;
};

}  // namespace rt
