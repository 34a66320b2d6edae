// SQLite's own parts of the store: WAL and pragmas, the FTS5 index with the roundtable
// tokenizer and BM25 ranking, and change tracking through data_version.

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "search/fts_ranking.h"
#include "search/fts_tokenizer.h"
#include "store/backends.h"
#include "store/sql_store.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_index_statistics.h"

namespace rt {

namespace {

// Matches counted exactly per query term before its document frequency is extrapolated.
constexpr int kDfSample = 500;

// FTS5 string literal: the tokenizer sees the content; quotes are doubled.
std::string FtsString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string FtsTerm(const QueryTerm& term) {
  std::string s = FtsString(term.text);
  return term.subject_only ? "subject : " + s : s;
}

std::string MatchExpression(const SearchQuery& query) {
  std::string expr;
  for (const QueryTerm& t : query.include) {
    if (!expr.empty()) expr += " AND ";
    expr += FtsTerm(t);
  }
  if (!expr.empty() && !query.exclude.empty()) expr = "(" + expr + ")";
  for (const QueryTerm& t : query.exclude) expr += " NOT " + FtsTerm(t);
  return expr;
}

class SqliteStore : public SqlStore {
 public:
  SqliteStore(std::unique_ptr<SqliteConnection> db, const std::string& path)
      : SqlStore(std::move(db), path),
        sqlite_(static_cast<SqliteConnection*>(db_.get())),
        statistics_(SqliteIndexStatistics::ForDatabase(path)) {}

  Status Open(const StoreOptions& options);

  Status BeginBulkImport() override;
  Status FinishBulkImport() override;
  Result<std::int64_t> ChangeCounter() override;

 protected:
  Status IndexMessage(std::int64_t id, const std::string& subject_terms, const std::string& body_terms) override;
  Status UnindexMessage(std::int64_t id, const std::string& subject_terms, const std::string& body_terms) override;
  Status ClearIndex() override {
    return db_->Exec("INSERT INTO message_index (message_index) VALUES ('delete-all')", "emptying the search index");
  }
  Status MarkArchiveChanged() override {
    return db_->Exec("UPDATE archive_version SET n = n + 1", "marking the archive changed");
  }
  Result<TextMatch> MatchText(const SearchQuery& query, const ParamFn& param) override;

 private:
  std::string RankArguments(const SearchQuery& query, const ParamFn& param);

  SqliteConnection* sqlite_;
  std::shared_ptr<SqliteIndexStatistics> statistics_;
  RankContext rank_context_;  // rt_bm25's, set up for each search
  std::optional<std::int64_t> seen_data_version_;  // ChangeCounter's last look
  std::int64_t archive_version_ = 0;
};

}  // namespace

Status SqliteStore::Open(const StoreOptions& options) {
  if (RegisterFtsTokenizer(sqlite_->handle()) != SQLITE_OK || RegisterRankFunction(sqlite_->handle(), &rank_context_) != SQLITE_OK)
    return Status::Internal("cannot register the FTS5 tokenizer and ranking function (SQLite without FTS5?)");
  // WAL with synchronous=NORMAL: a crashed process never corrupts or loses committed data.
  std::string pragmas = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
                        (options.durable_commits ? "FULL" : "NORMAL") + "; PRAGMA cache_size=-" +
                        std::to_string(std::max(1, options.cache_mib) * 1024) +
                        "; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;";
  Status s = db_->Exec(pragmas, name_ + ": setting up the database");
  if (!s.ok()) {
    if (s.code() == Status::Code::kDatabase)
      return Status::Database(s.message() + " (is it a Roundtable database?)");
    return s;
  }
  return Migrate(Migrations());
}

Status SqliteStore::BeginBulkImport() {
  // Segments are merged only when 16 of them share a level, instead of during every
  // commit. FTS5 keeps up to `hashsize` of pending terms in memory before writing them
  // out as a segment: at 4 MB rather than 1 MB, a batch makes one or two segments
  // instead of several, so there are fewer to merge and to search (100,000 messages: 7
  // segments left instead of 39, search p50 0.97 -> 0.73 ms). Not more: a bigger table
  // of pending terms no longer fits the CPU's caches, and text of many distinct words
  // (random tokens, encoded data) took the writer 33 s at 16 MB against 25 s at 4 MB.
  // A bigger WAL between checkpoints: the b-tree pages every batch touches (index
  // interiors, the newest leaves) are copied back into the database once per 128 MB
  // instead of once per 4 MB (import 18.2 -> 15.6 s for 100,000 messages).
  return db_->Exec("PRAGMA wal_autocheckpoint=32768;"
              "INSERT INTO message_index(message_index, rank) VALUES('automerge', 0);"
              "INSERT INTO message_index(message_index, rank) VALUES('crisismerge', 16);"
              "INSERT INTO message_index(message_index, rank) VALUES('hashsize', 4194304);",
              "preparing the index for a bulk import");
}

Status SqliteStore::FinishBulkImport() {
  Status s = db_->Exec("PRAGMA wal_autocheckpoint=1000;"
                  "INSERT INTO message_index(message_index, rank) VALUES('automerge', 4);"
                  "INSERT INTO message_index(message_index, rank) VALUES('hashsize', 1048576);",
                  "restoring index merge settings");
  if (!s.ok()) return s;
  // 'merge' with a negative budget merges everything whose level allows, without the
  // full rewrite of 'optimize', so it stays proportional to what was just imported.
  return db_->Exec("INSERT INTO message_index(message_index, rank) VALUES('merge', -2000)", "merging the search index");
}

Result<std::int64_t> SqliteStore::ChangeCounter() {
  // data_version moves with any other connection's commit and costs no table read; only
  // then is the archive's own counter read (mail queue commits leave that one alone).
  std::int64_t data_version = 0;
  {
    Scoped q(Sql("PRAGMA data_version"));
    if (!q->Step()) return q->status().ok() ? Status::Database("PRAGMA data_version returned nothing") : q->status();
    data_version = q->Int(0);
  }
  if (seen_data_version_ && *seen_data_version_ == data_version) return archive_version_;
  Scoped q(Sql("SELECT n FROM archive_version"));
  if (!q->Step()) return q->status().ok() ? Status::Database("the archive_version row is missing") : q->status();
  archive_version_ = q->Int(0);
  seen_data_version_ = data_version;
  return archive_version_;
}

// "4.0, 1.0, ?3, ?4, ...": subject and body weights, then each included term's
// document frequency, bound (the statement's text stays the same from one search of
// that shape to the next, so it is prepared once: SqlStore::Reusable). Below kDfSample matches it is exact; above, extrapolated from how
// far back in rowids the newest kDfSample matches reach (rowids follow import order, so
// a term's matches spread across them about evenly). Estimates are shared by the
// process's connections until the archive has grown (SqliteIndexStatistics).
std::string SqliteStore::RankArguments(const SearchQuery& query, const ParamFn& param) {
  std::int64_t max_rowid = 1;
  SqlStatement& last = Sql("SELECT COALESCE(max(id), 1) FROM messages");
  if (last.Step()) max_rowid = last.Int(0);
  last.Reset();
  std::string args = "4.0, 1.0";
  for (const QueryTerm& term : query.include) {
    std::string fts_term = FtsTerm(term);
    std::optional<double> df = statistics_->DocumentFrequency(fts_term, max_rowid);
    if (!df) {
      SqlStatement& q = Sql("SELECT rowid FROM message_index WHERE message_index MATCH ?1 ORDER BY rowid DESC LIMIT ?2");
      q.Bind(1, fts_term).Bind(2, kDfSample);
      std::int64_t n = 0, oldest = max_rowid;
      while (q.Step()) {
        ++n;
        oldest = q.Int(0);
      }
      q.Reset();
      df = n < kDfSample ? static_cast<double>(n)
                         : static_cast<double>(n) * static_cast<double>(max_rowid) /
                               static_cast<double>(std::max<std::int64_t>(1, max_rowid - oldest + 1));
      statistics_->RememberDocumentFrequency(fts_term, max_rowid, *df);
    }
    args += ", " + param(std::to_string(std::max(1.0, *df)));
  }
  return args;
}

Result<TextMatch> SqliteStore::MatchText(const SearchQuery& query, const ParamFn& param) {
  Result<std::int64_t> version = ChangeCounter();
  if (!version.ok()) return version.status();
  Result<std::shared_ptr<const SqliteIndexStatistics::Lengths>> lengths =
      statistics_->DocumentLengths(*db_, version.value());
  if (!lengths.ok()) return lengths.status();
  rank_context_.lengths = std::move(lengths.value());
  // BM25 over every match of a common word costs a second per million messages. FTS5
  // walks matches newest first cheaply, so only the newest ones are ranked (SqlStore::Search).
  // A filter reads each match's list, date or sender: from the narrow index of migration
  // 0008, not from the message rows (about one a page), which a selective filter on a
  // common word made SQLite read by the ten thousand ("governance list:wsis-cs": 49 -> 14 ms).
  return TextMatch{"message_index", "message_index.rowid", "message_index MATCH " + param(MatchExpression(query)),
                   "rt_bm25(message_index, " + RankArguments(query, param) + ")",
                   "messages m INDEXED BY messages_filters"};
}

Status SqliteStore::IndexMessage(std::int64_t id, const std::string& subject_terms, const std::string& body_terms) {
  Scoped add(Sql("INSERT INTO message_index (rowid, subject, body) VALUES (?1, ?2, ?3)"));
  return add->Bind(1, id).Bind(2, subject_terms).Bind(3, body_terms).Run();
}

// A contentless FTS5 table forgets a row by being told the terms it indexed.
Status SqliteStore::UnindexMessage(std::int64_t id, const std::string& subject_terms, const std::string& body_terms) {
  Scoped remove(Sql("INSERT INTO message_index (message_index, rowid, subject, body) VALUES ('delete', ?1, ?2, ?3)"));
  return remove->Bind(1, id).Bind(2, subject_terms).Bind(3, body_terms).Run();
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  Result<std::unique_ptr<SqliteConnection>> connection = SqliteConnection::Open(path);
  if (!connection.ok()) return connection.status();
  auto store = std::make_unique<SqliteStore>(std::move(connection.value()), path);
  Status s = store->Open(options);
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace rt
