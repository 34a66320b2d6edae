#include "store/pg_connection.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace rt {

namespace {

// Type OIDs, from catalog/pg_type_d.h (which only the server headers ship).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kTextOid = 25,
              kOidOid = 26, kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

struct ClearResult {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ClearResult>;

// A libpq message on one line, for logs ("...: Connection refused\n\tIs the server...").
std::string OneLine(const char* s) {
  std::string out = s ? s : "";
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  for (std::size_t at; (at = out.find('\n')) != std::string::npos;)
    out.replace(at, out.find_first_not_of(" \t\n", at) - at, " ");
  return out;
}

// Ok for a successful result; otherwise the error naming `what`. Busy for what a retry can
// cure (a conflict, a lock or statement timeout), IoError for a lost connection.
Status Check(PGconn* conn, const PGresult* result, std::string_view what) {
  ExecStatusType status = PQresultStatus(result);  // PGRES_FATAL_ERROR without a result
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::Ok();
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  // Errors libpq itself raises (a lost connection) have no fields, only a message.
  if (!primary) primary = *PQresultErrorMessage(result) ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  std::string message = std::string(what) + ": " + OneLine(primary);
  const char* field = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string_view state = field ? field : "";
  // However it was lost (network, server restart, pg_terminate_backend), libpq knows.
  if (PQstatus(conn) == CONNECTION_BAD)
    return Status::IoError(message + " (the connection to PostgreSQL failed)");
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014")
    return Status::Busy(message + " (a concurrent transaction or a timeout got in the way; try again)");
  return Status::Database(message);
}

std::string ConnectionError(PGconn* conn) {
  if (!PQdb(conn)) {
    // The connection string did not parse, and libpq quotes it, password and all.
    std::string message = OneLine(PQerrorMessage(conn));
    return "connecting to PostgreSQL: " + message.substr(0, message.find(": \""));
  }
  return std::string("connecting to PostgreSQL database \"") + PQdb(conn) + "\" on " + PQhost(conn) + ":" +
         PQport(conn) + " as " + (PQuser(conn) ? PQuser(conn) : "") + ": " + OneLine(PQerrorMessage(conn));
}

// The SQL with `?N` rewritten to `$N`, and which numbers it uses (PostgreSQL wants a
// type for each parameter up to the highest, used or not).
struct Rewritten {
  std::string sql;
  std::vector<bool> used;
};

// Skips string literals, quoted identifiers and comments, which may hold a '?'. A
// doubled quote inside a literal ends it and opens another, which copies the same.
// E'' strings and dollar quoting are PostgreSQL's alone, so the shared dialect has none.
Result<Rewritten> RewriteParameters(std::string_view sql, std::string_view what) {
  Rewritten out;
  out.sql.reserve(sql.size());
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    std::size_t end = i;
    if (c == '\'' || c == '"') end = sql.find(c, i + 1);
    else if (sql.substr(i, 2) == "--") end = sql.find('\n', i);
    if (end != i) {
      end = std::min(end, sql.size() - 1);  // unterminated: the server will say so
      out.sql.append(sql.substr(i, end - i + 1));
      i = end;
      continue;
    }
    if (c != '?') {
      out.sql += c;
      continue;
    }
    int n = 0;
    auto [digits_end, error] = std::from_chars(sql.data() + i + 1, sql.data() + sql.size(), n);
    if (error != std::errc() || n < 1 || n > 65535)  // PostgreSQL's limit
      return Status::Database(std::string(what) + ": parameters must be numbered ?1 to ?65535");
    if (out.used.size() < static_cast<std::size_t>(n)) out.used.resize(n);
    out.used[n - 1] = true;
    out.sql += '$';
    out.sql.append(sql.data() + i + 1, digits_end);
    i = digits_end - sql.data() - 1;
  }
  return out;
}

// PostgreSQL text holds neither NUL nor invalid UTF-8, and mail has both: NULs are dropped
// and each maximal invalid sequence becomes U+FFFD (Unicode's recommended practice).
std::string ValidUtf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    auto lead = static_cast<unsigned char>(in[i]);
    if (lead < 0x80) {
      if (lead != 0) out += static_cast<char>(lead);
      ++i;
      continue;
    }
    std::size_t length = 0;  // of the sequence `lead` starts; 0 when it starts none
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) length = 3;
    else if (lead >= 0xf0 && lead <= 0xf4) length = 4;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    unsigned char low = lead == 0xe0 ? 0xa0 : lead == 0xf0 ? 0x90 : 0x80;
    unsigned char high = lead == 0xed ? 0x9f : lead == 0xf4 ? 0x8f : 0xbf;
    std::size_t n = 1;
    for (; n < length && i + n < in.size(); ++n) {
      auto b = static_cast<unsigned char>(in[i + n]);
      if (n == 1 ? b < low || b > high : b < 0x80 || b > 0xbf) break;
    }
    out.append(n == length ? in.substr(i, n) : "\xef\xbf\xbd");
    i += n;
  }
  return out;
}

double ParseDouble(std::string_view s) {
  double value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

// Integers, booleans ("t"/"f") and numerics ("12.0") all read as integers, as in SQLite.
std::int64_t ParseInt(std::string_view s) {
  if (s == "t" || s == "f") return s == "t";
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error == std::errc() && end == s.data() + s.size()) return value;
  return static_cast<std::int64_t>(std::clamp(ParseDouble(s), -9.2e18, 9.2e18));
}

}  // namespace

/// A statement of a PgConnection. The whole result is fetched at once, so other statements
/// may run on the connection while this one's rows are read.
class PgStatement final : public SqlStatement {
 public:
  /// With a `name`, prepared once per session under it; without, prepared every run.
  PgStatement(PgConnection& connection, std::string_view sql, std::string name)
      : connection_(connection), name_(std::move(name)), what_("running \"" + std::string(sql.substr(0, 80)) + "\"") {
    Result<Rewritten> rewritten = RewriteParameters(sql, what_);
    if (!rewritten.ok()) {
      invalid_ = status_ = rewritten.status();
      return;
    }
    sql_ = std::move(rewritten.value().sql);
    used_ = std::move(rewritten.value().used);
    params_.resize(used_.size());
  }

  Status status() const override { return status_; }

  SqlStatement& Bind(int pos, std::int64_t value) override { return Set(pos, kInt8Oid, std::to_string(value)); }
  SqlStatement& Bind(int pos, std::string_view text) override { return Set(pos, kTextOid, ValidUtf8(text)); }
  SqlStatement& BindDouble(int pos, double value) override {
    char buffer[32];
    char* end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;  // shortest exact form
    return Set(pos, kFloat8Oid, std::string(buffer, end));
  }
  SqlStatement& BindBlob(int pos, std::string_view bytes) override { return Set(pos, kByteaOid, std::string(bytes)); }
  SqlStatement& BindNull(int pos) override { return Set(pos, 0, std::string()); }

  bool Step() override {
    if (!result_) {
      if (!status_.ok()) return false;
      status_ = Execute();
      if (!status_.ok()) return false;
    }
    blobs_.clear();
    if (row_ < PQntuples(result_.get())) ++row_;
    return row_ < PQntuples(result_.get());
  }

  // Sends the statement inside the open pipeline (entered here), preparing it in the same
  // breath when this session has not yet: nothing is read until PgConnection::Drain.
  Status RunLater() override {
    if (!connection_.in_transaction_ || !status_.ok()) return Run();
    PGconn* conn = connection_.conn_;
    if (PQpipelineStatus(conn) == PQ_PIPELINE_OFF && !PQenterPipelineMode(conn))
      return Run();  // a pending result in the way: no saving this time
    Arguments args = LibpqArguments();
    int sent = 1;
    if (name_.empty()) {
      sent = PQsendQueryParams(conn, sql_.c_str(), args.n, args.types.data(), args.values.data(), args.lengths.data(),
                               args.formats.data(), 0);
    } else {
      if (prepared_in_session_ != connection_.session_) {
        sent = PQsendPrepare(conn, name_.c_str(), sql_.c_str(), args.n, args.types.data());
        connection_.pipelined_ += sent;
        prepared_in_session_ = connection_.session_;
      }
      if (sent)
        sent = PQsendQueryPrepared(conn, name_.c_str(), args.n, args.values.data(), args.lengths.data(),
                                   args.formats.data(), 0);
    }
    Reset();
    if (!sent) return Status::IoError(what_ + ": " + OneLine(PQerrorMessage(conn)));
    ++connection_.pipelined_;
    // Bounded, so the answers never fill the socket's buffers while both sides write.
    return connection_.pipelined_ >= 256 ? connection_.Drain() : Status::Ok();
  }

  Status Run() override {
    if (!result_ && status_.ok()) status_ = Execute();
    Status status = status_;
    if (status.ok()) changes_ = ParseInt(PQcmdTuples(result_.get()));  // "" for commands without a count
    Reset();
    return status;
  }

  void Reset() override {
    result_.reset();
    row_ = -1;
    blobs_.clear();
    std::fill(params_.begin(), params_.end(), Param{});
    status_ = invalid_;
  }

  std::int64_t Changes() const override { return changes_; }

  int ColumnCount() const override { return PQnfields(result_.get()); }
  std::string ColumnName(int col) const override {
    const char* name = PQfname(result_.get(), col);
    return name ? name : "";
  }
  SqlType Type(int col) const override {
    if (IsNull(col)) return SqlType::kNull;
    switch (PQftype(result_.get(), col)) {
      case kBoolOid: case kInt2Oid: case kInt4Oid: case kInt8Oid: case kOidOid: return SqlType::kInteger;
      case kFloat4Oid: case kFloat8Oid: case kNumericOid: return SqlType::kFloat;
      case kByteaOid: return SqlType::kBlob;
      default: return SqlType::kText;
    }
  }
  std::int64_t Int(int col) const override { return ParseInt(Cell(col)); }
  double Double(int col) const override { return ParseDouble(Cell(col)); }
  // Bytes for a bytea column, as SQLite gives a blob's bytes as text.
  std::string Text(int col) const override { return std::string(Blob(col)); }
  std::string_view Blob(int col) const override {
    if (PQftype(result_.get(), col) != kByteaOid) return Cell(col);
    if (blobs_.size() <= static_cast<std::size_t>(col)) blobs_.resize(col + 1);
    std::optional<std::string>& blob = blobs_[col];
    if (!blob) {  // results come as text: bytea in hex, decoded on first use
      std::size_t length = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(Cell(col).data()), &length);
      blob.emplace(bytes ? std::string(reinterpret_cast<char*>(bytes), length) : std::string());
      PQfreemem(bytes);
    }
    return *blob;
  }
  bool IsNull(int col) const override { return PQgetisnull(result_.get(), row_, col); }

 private:
  struct Param {
    Oid type = 0;  // 0: NULL
    std::string value;
  };

  // Positions the SQL does not have are ignored, as SQLite does.
  SqlStatement& Set(int pos, Oid type, std::string value) {
    if (pos >= 1 && static_cast<std::size_t>(pos) <= params_.size()) params_[pos - 1] = {type, std::move(value)};
    return *this;
  }

  // Runs with the current bindings, leaving every row in result_. The parameter types come
  // from the bindings (NULL: the server infers it), so that `?1 - ?2` or `?1 IS NULL`
  // prepare; a named statement keeps those of its first run. Values go as text, blobs
  // as binary.
  // libpq's view of the bindings; the pointers are into params_.
  struct Arguments {
    int n = 0;
    std::vector<Oid> types;
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
  };
  Arguments LibpqArguments() const {
    Arguments a;
    a.n = static_cast<int>(params_.size());
    a.types.resize(a.n);
    a.values.resize(a.n);
    a.lengths.resize(a.n);
    a.formats.resize(a.n);
    for (int i = 0; i < a.n; ++i) {
      const Param& p = params_[i];
      a.types[i] = used_[i] ? p.type : kTextOid;  // an unused number needs a type too
      a.values[i] = p.type == 0 ? nullptr : p.value.c_str();
      a.lengths[i] = static_cast<int>(p.value.size());
      a.formats[i] = p.type == kByteaOid;
    }
    return a;
  }

  Status Execute() {
    if (Status s = connection_.Drain(); !s.ok()) return s;
    if (Status s = connection_.EnsureConnected(); !s.ok()) return s;
    PGconn* conn = connection_.conn_;
    Arguments args = LibpqArguments();
    int n = args.n;
    if (name_.empty()) {
      result_.reset(PQexecParams(conn, sql_.c_str(), n, args.types.data(), args.values.data(), args.lengths.data(),
                                 args.formats.data(), 0));
    } else {
      if (prepared_in_session_ != connection_.session_) {
        PgResult prepared(PQprepare(conn, name_.c_str(), sql_.c_str(), n, args.types.data()));
        if (Status s = Check(conn, prepared.get(), what_); !s.ok()) return s;
        prepared_in_session_ = connection_.session_;
      }
      result_.reset(PQexecPrepared(conn, name_.c_str(), n, args.values.data(), args.lengths.data(),
                                   args.formats.data(), 0));
    }
    Status s = Check(conn, result_.get(), what_);
    if (!s.ok()) result_.reset();
    return s;
  }

  std::string_view Cell(int col) const {
    const char* value = PQgetvalue(result_.get(), row_, col);  // NULL when out of range
    return value ? std::string_view(value, PQgetlength(result_.get(), row_, col)) : std::string_view();
  }

  PgConnection& connection_;
  std::string name_;
  std::string what_;  // "running \"<the SQL's start>\"", for messages
  std::string sql_;   // with $N
  std::vector<bool> used_;
  Status invalid_;  // why the SQL could not be rewritten, for good
  std::vector<Param> params_;
  int prepared_in_session_ = -1;
  PgResult result_;
  int row_ = -1;
  std::int64_t changes_ = 0;
  Status status_;
  mutable std::vector<std::optional<std::string>> blobs_;  // the current row's decoded bytea cells
};

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn) return Status::IoError("connecting to PostgreSQL: out of memory");
  std::unique_ptr<PgConnection> connection(new PgConnection(conn));
  if (PQstatus(conn) != CONNECTION_OK) return Status::IoError(ConnectionError(conn));
  // Notices (e.g. "relation already exists, skipping") are not for users.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  if (Status s = connection->Configure(); !s.ok()) return s;
  return connection;
}

PgConnection::PgConnection(PGconn* conn) : conn_(conn) {}

PgConnection::~PgConnection() { PQfinish(conn_); }

Status PgConnection::Configure() {
  std::string sql = "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'";
  for (const std::string& quoted : channels_) sql += "; LISTEN " + quoted;
  PgResult result(PQexec(conn_, sql.c_str()));
  return Check(conn_, result.get(), "setting up the PostgreSQL session");
}

Status PgConnection::EnsureConnected() {
  // Inside a transaction a new session would silently drop its earlier statements.
  if (PQstatus(conn_) == CONNECTION_OK || in_transaction_) return Status::Ok();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK)
    return Status::IoError("re" + ConnectionError(conn_));
  ++session_;
  missed_notifications_ = !channels_.empty();
  return Configure();
}

SqlStatement& PgConnection::Sql(const char* sql) {
  std::unique_ptr<PgStatement>& statement = cache_[sql];
  if (!statement) statement = std::make_unique<PgStatement>(*this, sql, "s" + std::to_string(++statements_named_));
  else statement->Reset();
  return *statement;
}

std::unique_ptr<SqlStatement> PgConnection::Prepare(std::string_view sql) {
  return std::make_unique<PgStatement>(*this, sql, std::string());
}

Status PgConnection::Drain() {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return Status::Ok();
  Status first;
  if (!PQpipelineSync(conn_)) first = Status::IoError("sending to PostgreSQL: " + OneLine(PQerrorMessage(conn_)));
  // Each query's answer ends with a null result; the sync's answer comes last.
  while (first.ok() || PQstatus(conn_) != CONNECTION_BAD) {
    PGresult* result = PQgetResult(conn_);
    if (!result) {
      if (PQstatus(conn_) != CONNECTION_BAD) continue;
      if (first.ok()) first = Status::IoError("reading from PostgreSQL: " + OneLine(PQerrorMessage(conn_)));
      break;
    }
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_FATAL_ERROR && first.ok()) first = Check(conn_, result, "running a queued statement");
    PQclear(result);
    if (status == PGRES_PIPELINE_SYNC) break;
  }
  pipelined_ = 0;
  PQexitPipelineMode(conn_);
  return first;
}

Status PgConnection::Exec(std::string_view sql, std::string_view what) {
  if (Status s = Drain(); !s.ok()) return s;
  if (Status s = EnsureConnected(); !s.ok()) return s;
  PgResult result(PQexec(conn_, std::string(sql).c_str()));
  return Check(conn_, result.get(), what);
}

Status PgConnection::Begin(TransactionKind kind) {
  // The lock is released when the transaction ends, however it ends.
  std::string sql = kind == TransactionKind::kArchiveWrite
                        ? "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kArchiveWriteLockKey) + ")"
                    : kind == TransactionKind::kExpendable ? "BEGIN; SET LOCAL synchronous_commit = off"
                                                           : "BEGIN";
  if (Status s = Exec(sql, "beginning a transaction"); !s.ok()) {
    Rollback();
    return s;
  }
  in_transaction_ = true;
  return Status::Ok();
}

Status PgConnection::Commit() {
  if (Status s = Drain(); !s.ok()) {
    Rollback();
    return s;
  }
  in_transaction_ = false;
  PgResult result(PQexec(conn_, "COMMIT"));
  if (Status s = Check(conn_, result.get(), "committing"); !s.ok()) return s;
  // COMMIT of a transaction in which a statement failed rolls back, and does not fail.
  if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK")
    return Status::Database("committing: a statement of the transaction had failed, so PostgreSQL rolled it back");
  return Status::Ok();
}

void PgConnection::Rollback() {
  Drain();  // its failures are this rollback's reason
  in_transaction_ = false;
  PgResult result(PQexec(conn_, "ROLLBACK"));
}

Status PgConnection::Listen(const std::string& channel) {
  char* quoted = PQescapeIdentifier(conn_, channel.data(), channel.size());
  if (!quoted) return Status::Database("quoting channel \"" + channel + "\": " + OneLine(PQerrorMessage(conn_)));
  std::string identifier = quoted;
  PQfreemem(quoted);
  if (Status s = Exec("LISTEN " + identifier, "listening on channel \"" + channel + "\""); !s.ok()) return s;
  if (std::find(channels_.begin(), channels_.end(), identifier) == channels_.end()) channels_.push_back(identifier);
  return Status::Ok();
}

Result<bool> PgConnection::TakeNotifications() {
  if (Status s = EnsureConnected(); !s.ok()) return s;
  if (!PQconsumeInput(conn_))
    return Status::IoError("reading notifications from PostgreSQL: " + OneLine(PQerrorMessage(conn_)));
  bool any = missed_notifications_;
  missed_notifications_ = false;
  while (PGnotify* notification = PQnotifies(conn_)) {
    any = true;
    PQfreemem(notification);
  }
  return any;
}

}  // namespace rt
