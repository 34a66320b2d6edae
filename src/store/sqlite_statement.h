#pragma once
// A prepared SQLite statement with typed binding, reset on every Run/Step cycle.

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

/// Owns one sqlite3_stmt. Not copyable; not thread-safe (like its connection).
/// Bind() uses 1-based positions; SQLite copies bound text and blobs.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;

  /// Ok, or the prepare error with the SQL in the message.
  Status status() const { return status_; }

  Statement& Bind(int pos, std::int64_t value);
  Statement& Bind(int pos, std::string_view text);
  Statement& BindBlob(int pos, std::string_view bytes);
  Statement& BindNull(int pos);

  /// Steps once: true while a row is available, false when done (or on error, see status()).
  bool Step();
  /// Steps to completion and resets; Database/Busy status on failure.
  Status Run();
  /// Resets and clears bindings for the next use.
  void Reset();

  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const;
  std::string_view Blob(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
};

/// Resets a cached statement however the function using it returns: a statement left on
/// a row holds its read snapshot, and with it every WAL checkpoint.
class Scoped {
 public:
  explicit Scoped(Statement& statement) : statement_(statement) {}
  ~Scoped() { statement_.Reset(); }
  Scoped(const Scoped&) = delete;
  Scoped& operator=(const Scoped&) = delete;
  Statement* operator->() { return &statement_; }
  Statement& operator*() { return statement_; }

 private:
  Statement& statement_;
};

/// Maps an SQLite result code to a Status naming what was being done.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what);

}  // namespace rt
