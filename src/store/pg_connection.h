#pragma once
// SqlConnection over libpq, so the store runs on PostgreSQL. Statements arrive in the
// shared dialect (`?N` parameters) and are rewritten to PostgreSQL's `$N`.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sql_connection.h"
#include "util/status.h"

namespace rt {

/// The transaction-scoped advisory lock Begin(kArchiveWrite) takes, so one archive writer
/// runs at a time across every node on the database: "Roundtab" in ASCII. It shows in
/// pg_locks as locktype 'advisory', classid 1383036270, objid 1685348706.
inline constexpr std::int64_t kArchiveWriteLockKey = 0x526f756e64746162;

class PgStatement;

/// One libpq connection. A statement's parameter types are those of its first run's
/// bindings (int64 int8, text text, double float8, blob bytea, NULL inferred by the server).
/// A connection found broken before a statement outside a transaction is re-established
/// once (IoError if that fails). Not thread-safe: one per thread.
class PgConnection final : public SqlConnection {
 public:
  /// `conninfo` as PQconnectdb takes it, e.g. "postgresql://user@host:5432/db?options=...".
  /// IoError when the server cannot be reached or refuses the connection.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& conninfo);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  SqlStatement& Sql(const char* sql) override;
  std::unique_ptr<SqlStatement> Prepare(std::string_view sql) override;
  Status Exec(std::string_view sql, std::string_view what) override;
  Status Begin(TransactionKind kind) override;
  Status Commit() override;
  void Rollback() override;

  /// Subscribes this connection to NOTIFY on `channel` (any text: it is quoted).
  Status Listen(const std::string& channel);
  /// Without waiting: whether a notification arrived since the last call (or the
  /// connection was re-established, which may have lost some).
  Result<bool> TakeNotifications();
  /// The connection's socket, to poll() for notifications; -1 when there is none.
  int Socket() const { return PQsocket(conn_); }

 private:
  friend class PgStatement;
  explicit PgConnection(PGconn* conn);

  /// Session settings every connection needs, again after a reconnect.
  Status Configure();
  /// Reads the answers to what RunLater() sent, and leaves pipeline mode: the first
  /// failure among them, if any. Everything else on the connection does this first.
  Status Drain();
  /// Outside a transaction, re-establishes a broken connection once.
  Status EnsureConnected();

  PGconn* conn_;
  bool in_transaction_ = false;
  int pipelined_ = 0;  // queries sent by RunLater() whose answers are unread
  /// Counts reconnects: a statement prepared under an earlier value must prepare again,
  /// since prepared statements live in the server session.
  int session_ = 0;
  int statements_named_ = 0;
  std::vector<std::string> channels_;  // LISTENed (quoted), to repeat after a reconnect
  bool missed_notifications_ = false;
  std::unordered_map<const char*, std::unique_ptr<PgStatement>> cache_;
};

}  // namespace rt
