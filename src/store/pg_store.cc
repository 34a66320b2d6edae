// PostgreSQL's own parts of the store: its full-text search over the terms Roundtable
// computes, change tracking by LISTEN/NOTIFY, and session settings.
//
// Matches must be the same as on SQLite, so stemming is not left to PostgreSQL's text
// search configurations: they drop stop words and stem with their own Snowball versions.
// The importer's workers already hold each message's terms (TermNormalizer: Snowball in
// the message's language, diacritics folded), so the tsvector is built from those terms
// exactly, with their positions, and queries use the same alternatives per word as the
// SQLite tokenizer (TermNormalizer::QueryTerms).

#include <algorithm>
#include <map>

#include "search/term_normalizer.h"
#include "store/backends.h"
#include "store/migrations.h"
#include "store/pg_connection.h"
#include "store/sql_store.h"

namespace rt {

namespace {

// The archive_version triggers notify this channel, followed by ":" and the schema
// (migrations 0006 and 0008).
constexpr const char* kArchiveChannel = "roundtable_archive";
// PostgreSQL keeps positions up to 16,383 and 256 positions per lexeme; past them a
// phrase may match where SQLite's would not. A tsvector also holds at most 1 MB.
constexpr int kMaxPosition = 16383;
constexpr std::size_t kMaxPositionsPerTerm = 256;
constexpr std::size_t kMaxVectorText = 900 * 1024;

// 'it''s' with backslashes doubled: a lexeme in tsvector and tsquery text.
void AppendLexeme(std::string_view term, std::string* out) {
  out->push_back('\'');
  for (char c : term) {
    if (c == '\'' || c == '\\') out->push_back(c);
    out->push_back(c);
  }
  out->push_back('\'');
}

// Subject terms weigh A and body terms B. The body starts one position past a gap, so no
// phrase spans the two, as none spans two FTS5 columns.
std::string TsVectorText(const std::string& subject_terms, const std::string& body_terms) {
  std::map<std::string_view, std::vector<std::pair<int, char>>> positions;
  int position = 0;
  auto add = [&](std::string_view terms, char weight) {
    std::size_t i = 0;
    while (i < terms.size()) {
      while (i < terms.size() && terms[i] == ' ') ++i;
      std::size_t start = i;
      while (i < terms.size() && terms[i] != ' ') ++i;
      if (i == start) continue;
      position = std::min(position + 1, kMaxPosition);
      auto& at = positions[terms.substr(start, i - start)];
      if (at.size() < kMaxPositionsPerTerm) at.emplace_back(position, weight);
    }
  };
  add(subject_terms, 'A');
  ++position;
  add(body_terms, 'B');
  std::string out;
  for (const auto& [term, where] : positions) {
    if (out.size() > kMaxVectorText) break;
    if (!out.empty()) out.push_back(' ');
    AppendLexeme(term, &out);
    for (std::size_t i = 0; i < where.size(); ++i) {
      out += (i == 0 ? ':' : ',') + std::to_string(where[i].first);
      out.push_back(where[i].second);
    }
  }
  return out;
}

}  // namespace

class PostgresStore : public SqlStore {
 public:
  PostgresStore(std::unique_ptr<PgConnection> db, std::string name)
      : SqlStore(std::move(db), std::move(name)), pg_(static_cast<PgConnection*>(db_.get())) {}

  Status Open(const StoreOptions& options) {
    // Without durable commits a crash may lose the last moments' commits but never
    // corrupts: the same promise as SQLite's synchronous=NORMAL.
    Status s = db_->Exec(options.durable_commits ? "SET synchronous_commit = on" : "SET synchronous_commit = off",
                         name_ + ": setting up the connection");
    if (!s.ok()) return s;
    return Migrate(PostgresMigrations());
  }

  // While an import fills the tables, autovacuum may analyze them still small, and the
  // plans then cached scan a whole table for what an index finds (the reference lookups:
  // a 10,000-message import took 17-39 s or, at random, 65-83 s). Index plans only.
  Status BeginBulkImport() override {
    return db_->Exec("SET enable_seqscan = off", "preparing the connection for a bulk import");
  }
  // Fresh statistics, so the planner knows the archive's new size.
  Status FinishBulkImport() override {
    Status s = db_->Exec("RESET enable_seqscan", "restoring the connection's planner settings");
    if (!s.ok()) return s;
    return db_->Exec("ANALYZE", "updating the planner's statistics");
  }

  // Every change readers see notifies after its commit (migration 0006), so the counter
  // is this connection's count of notifications. When none is waiting, one round trip
  // settles it: a server sends the notifications committed before a query ahead of that
  // query's answer, so a change committed on any node before this call is seen by it.
  // (The sequence behind the notifications is no counter to read: nextval() moves before
  // the commit, so a reader could take an uncommitted change for a seen one.)
  Result<std::int64_t> ChangeCounter() override {
    if (!listening_) {
      std::unique_ptr<SqlStatement> schema = db_->Prepare("SELECT current_schema()");
      if (!schema->Step()) return schema->status().ok() ? Status::Database("no current schema") : schema->status();
      Status s = pg_->Listen(std::string(kArchiveChannel) + ":" + schema->Text(0));
      if (!s.ok()) return s;
      listening_ = true;
      return ++changes_seen_;
    }
    Result<bool> changed = pg_->TakeNotifications();
    if (changed.ok() && !changed.value()) {
      Status s = db_->Exec("SELECT 1", "looking for changes");
      if (!s.ok()) return s;
      changed = pg_->TakeNotifications();
    }
    if (!changed.ok()) return changed.status();
    if (changed.value()) ++changes_seen_;
    return changes_seen_;
  }

 protected:
  Status IndexMessage(std::int64_t id, const std::string& subject_terms, const std::string& body_terms) override {
    Scoped add(Sql("INSERT INTO message_index (message, terms) VALUES (?1, CAST(?2 AS tsvector))"
                   " ON CONFLICT (message) DO UPDATE SET terms = excluded.terms"));
    return add->Bind(1, id).Bind(2, TsVectorText(subject_terms, body_terms)).RunLater();
  }

  Status UnindexMessage(std::int64_t id, const std::string&, const std::string&) override {
    Scoped remove(Sql("DELETE FROM message_index WHERE message = ?1"));
    return remove->Bind(1, id).Run();
  }

  Status ClearIndex() override { return db_->Exec("DELETE FROM message_index", "emptying the search index"); }

  Status MarkArchiveChanged() override {
    return db_->Exec(std::string("SELECT pg_notify('") + kArchiveChannel +
                         ":' || current_schema(), nextval('archive_version_seq')::text)",
                     "marking the archive changed");
  }

  Result<TextMatch> MatchText(const SearchQuery& query, const ParamFn& param) override {
    std::string expr;
    bool matches_nothing = false;
    for (const QueryTerm& t : query.include) {
      std::string term = TsQueryTerm(t);
      matches_nothing = matches_nothing || term.empty();
      expr += (expr.empty() ? "" : " & ") + term;
    }
    for (const QueryTerm& t : query.exclude) {
      std::string term = TsQueryTerm(t);
      if (!term.empty()) expr += " & !" + term;
    }
    std::string q = "CAST(" + param(expr) + " AS tsquery)";
    // A term without words (punctuation alone) matches nothing, as an empty FTS5 phrase.
    std::string condition = matches_nothing ? "1 = 0" : "message_index.terms @@ " + q;
    // Subject words weigh four times body words, as in SQLite's ranking.
    return TextMatch{"message_index", "message_index.message", condition,
                     "-ts_rank('{0.1, 0.1, 0.25, 1.0}', message_index.terms, " + q + ")"};
  }

 private:
  // A term is a phrase of its words (like an FTS5 string); each word matches any of its
  // stems under the supported languages. Empty when the term has no word.
  std::string TsQueryTerm(const QueryTerm& term) {
    std::string phrase;
    for (std::string_view word : SplitWords(term.text)) {
      std::string alternatives;
      for (const std::string& stem : normalizer_.QueryTerms(word)) {
        if (!alternatives.empty()) alternatives += " | ";
        AppendLexeme(stem, &alternatives);
        if (term.subject_only) alternatives += ":A";
      }
      if (alternatives.empty()) continue;
      if (!phrase.empty()) phrase += " <-> ";
      phrase += "(" + alternatives + ")";
    }
    return phrase.empty() ? phrase : "(" + phrase + ")";
  }

  PgConnection* pg_;
  bool listening_ = false;
  std::int64_t changes_seen_ = 0;
};

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const StoreOptions& options) {
  Result<std::unique_ptr<PgConnection>> connection = PgConnection::Open(url);
  if (!connection.ok()) return connection.status();
  auto store = std::make_unique<PostgresStore>(std::move(connection.value()), DescribeDatabaseLocation(url));
  Status s = store->Open(options);
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace rt
