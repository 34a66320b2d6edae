#include "store/sqlite_connection.h"

#include <cstdio>
#include <ctime>
#include <mutex>

namespace rt {

Status SqliteStatus(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return Status::Busy(message + " (another roundtable process is writing to this database; wait for it to finish)");
  return Status::Database(message);
}

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) status_ = SqliteStatus(db, rc, "preparing \"" + std::string(sql.substr(0, 80)) + "\"");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqlStatement& SqliteStatement::Bind(int pos, std::int64_t value) {
  sqlite3_bind_int64(stmt_, pos, value);
  return *this;
}

SqlStatement& SqliteStatement::Bind(int pos, std::string_view text) {
  sqlite3_bind_text(stmt_, pos, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

SqlStatement& SqliteStatement::BindBlob(int pos, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, pos, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

SqlStatement& SqliteStatement::BindDouble(int pos, double value) {
  sqlite3_bind_double(stmt_, pos, value);
  return *this;
}

SqlStatement& SqliteStatement::BindNull(int pos) {
  sqlite3_bind_null(stmt_, pos);
  return *this;
}

bool SqliteStatement::Step() {
  if (!stmt_) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = SqliteStatus(db_, rc, "running \"" + std::string(sqlite3_sql(stmt_)).substr(0, 80) + "\"");
  return false;
}

Status SqliteStatement::Run() {
  if (!status_.ok()) return status_;
  while (Step()) {
  }
  changes_ = sqlite3_changes64(db_);
  Status s = status_;
  Reset();
  status_ = Status::Ok();
  return s;
}

void SqliteStatement::Reset() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string SqliteStatement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

std::string SqliteStatement::ColumnName(int col) const {
  const char* name = sqlite3_column_name(stmt_, col);
  return name ? name : "";
}

SqlType SqliteStatement::Type(int col) const {
  switch (sqlite3_column_type(stmt_, col)) {
    case SQLITE_INTEGER: return SqlType::kInteger;
    case SQLITE_FLOAT: return SqlType::kFloat;
    case SQLITE_TEXT: return SqlType::kText;
    case SQLITE_BLOB: return SqlType::kBlob;
    default: return SqlType::kNull;
  }
}

std::string_view SqliteStatement::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string_view();
}

namespace {

// greatest(a, b, ...) and least(...) over integers, NULLs ignored, as in PostgreSQL.
template <bool kGreatest>
void Extreme(sqlite3_context* context, int argc, sqlite3_value** argv) {
  bool found = false;
  sqlite3_int64 best = 0;
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) continue;
    sqlite3_int64 v = sqlite3_value_int64(argv[i]);
    if (!found || (kGreatest ? v > best : v < best)) best = v;
    found = true;
  }
  if (found)
    sqlite3_result_int64(context, best);
  else
    sqlite3_result_null(context);
}

// rt_year(unix seconds) -> 'YYYY', rt_month -> 'YYYY-MM', UTC: statistics buckets.
template <bool kMonth>
void Calendar(sqlite3_context* context, int, sqlite3_value** argv) {
  std::time_t t = static_cast<std::time_t>(sqlite3_value_int64(argv[0]));
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return sqlite3_result_null(context);
  char out[16];
  int n = kMonth ? std::snprintf(out, sizeof out, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1)
                 : std::snprintf(out, sizeof out, "%04d", tm.tm_year + 1900);
  sqlite3_result_text(context, out, n, SQLITE_TRANSIENT);
}

}  // namespace

void ConfigureSqlite() {
  static std::once_flag once;
  // Fails (SQLITE_MISUSE) once SQLite has started; then the defaults stay, only slower.
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  ConfigureSqlite();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  if (rc != SQLITE_OK) return Status::Database(path + ": cannot open the database: " + sqlite3_errstr(rc));
  sqlite3_busy_timeout(db, 3000);
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  if (sqlite3_create_function(db, "greatest", -1, kFlags, nullptr, Extreme<true>, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_create_function(db, "least", -1, kFlags, nullptr, Extreme<false>, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_create_function(db, "rt_year", 1, kFlags, nullptr, Calendar<false>, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_create_function(db, "rt_month", 1, kFlags, nullptr, Calendar<true>, nullptr, nullptr) != SQLITE_OK)
    return Status::Internal(path + ": cannot register SQL functions: " + sqlite3_errmsg(db));
  return connection;
}

SqliteConnection::~SqliteConnection() {
  statements_.clear();
  sqlite3_close_v2(db_);
}

// Statements are cached by the address of their SQL literal: each call site prepares once.
SqlStatement& SqliteConnection::Sql(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) it = statements_.emplace(sql, std::make_unique<SqliteStatement>(db_, sql)).first;
  it->second->Reset();
  return *it->second;
}

std::unique_ptr<SqlStatement> SqliteConnection::Prepare(std::string_view sql) {
  return std::make_unique<SqliteStatement>(db_, sql);
}

Status SqliteConnection::Exec(std::string_view sql, std::string_view what) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  return SqliteStatus(db_, rc, what);
}

Status SqliteConnection::Begin(TransactionKind kind) {
  if (kind == TransactionKind::kExpendable) {
    // The setting cannot change inside a transaction, so it is switched around it.
    Scoped read(Sql("PRAGMA synchronous"));
    if (!read->Step()) return read->status().ok() ? Status::Database("PRAGMA synchronous returned nothing") : read->status();
    std::int64_t synchronous = read->Int(0);
    if (synchronous > 1) {
      Status s = Exec("PRAGMA synchronous=NORMAL", "starting an expendable transaction");
      if (!s.ok()) return s;
      restore_synchronous_ = "PRAGMA synchronous=" + std::to_string(synchronous);
    }
  }
  Status s = Exec("BEGIN IMMEDIATE", "starting a transaction");
  if (!s.ok() && !restore_synchronous_.empty()) {
    Exec(restore_synchronous_, "restoring the synchronous setting");
    restore_synchronous_.clear();
  }
  return s;
}

Status SqliteConnection::End(const char* sql, std::string_view what) {
  Status s = Exec(sql, what);
  if (!restore_synchronous_.empty() && sqlite3_get_autocommit(db_)) {
    Status restored = Exec(restore_synchronous_, "restoring the synchronous setting");
    restore_synchronous_.clear();
    if (s.ok()) s = restored;
  }
  return s;
}

Status SqliteConnection::Commit() { return End("COMMIT", "committing"); }

void SqliteConnection::Rollback() { End("ROLLBACK", "rolling back"); }

}  // namespace rt
