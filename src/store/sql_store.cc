// The parts of SqlStore that read across the archive (search, statistics, threads,
// export) and its bookkeeping (transactions, migrations).

#include <sodium.h>

#include <algorithm>
#include <ctime>
#include <set>
#include <sstream>

#include "archive/body_structure.h"
#include "archive/message_processor.h"
#include "archive/reply_tree.h"
#include "people/address.h"
#include "search/language.h"
#include "search/snippet.h"
#include "store/sql_store.h"
#include "util/compression.h"

namespace rt {

namespace {

// How many of the newest matches are ranked (see Search).
constexpr int kRankWindow = 2000;
// How much of a hit's own text is searched for the snippet.
constexpr std::size_t kSnippetScanBytes = 3000;
// Run-time statements kept prepared per connection (see SqlStore::Reusable).
constexpr std::size_t kReusableStatements = 32;
// Messages read at a time while the index is rebuilt: memory stays flat on PostgreSQL,
// whose client holds a whole result.
constexpr std::int64_t kRebuildChunk = 1000;

}  // namespace

std::int64_t MonthOf(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return 0;
  return (tm.tm_year + 1900LL) * 100 + tm.tm_mon + 1;
}

std::string IdKey(std::string_view message_id) {
  std::string key;
  key.reserve(message_id.size() + 2);
  key.append(1, '<').append(message_id).append(1, '>');
  return key;
}

std::string HashKey(std::string_view raw_hash) { return "hash:" + std::string(raw_hash); }

std::vector<std::string> SplitRefs(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string r;
  while (in >> r) out.push_back(r);
  return out;
}


Result<std::int64_t> ReturnedId(SqlStatement& insert) {
  if (!insert.Step()) {
    Status s = insert.status();
    insert.Reset();
    return s.ok() ? Status::Database("an insert returned no id") : s;
  }
  std::int64_t id = insert.Int(0);
  insert.Reset();
  return id;
}

SqlStatement& SqlStore::Reusable(const std::string& sql) {
  auto it = reusable_.find(sql);
  if (it != reusable_.end() && it->second->status().ok()) return *it->second;
  if (reusable_.size() >= kReusableStatements) reusable_.clear();
  std::unique_ptr<SqlStatement>& slot = reusable_[sql];
  slot = db_->Prepare(sql);
  return *slot;
}

Status SqlStore::InTransaction(TransactionKind kind, const char* what, const std::function<Status()>& body) {
  Status s = db_->Begin(kind);
  if (!s.ok()) return s.WithContext(name_ + ": " + what);
  s = body();
  if (s.ok()) s = db_->Commit();
  if (!s.ok()) {
    db_->Rollback();
    // Cached ids may name rows the rollback removed.
    list_ids_.clear();
    address_ids_.clear();
  }
  return s;
}

Status SqlStore::Migrate(const std::vector<Migration>& migrations) {
  // Up to date: checked without a transaction, so opening a connection beside a running
  // import (a server's reader) does not wait for the importer's next commit.
  {
    std::unique_ptr<SqlStatement> applied =
        db_->Prepare("SELECT count(*), COALESCE(max(version), 0) FROM schema_migrations");
    if (applied->status().ok() && applied->Step()) {
      std::int64_t known = migrations.empty() ? 0 : migrations.back().version;
      // A newer version's data may be unreadable here (compression dictionaries, from 9).
      if (applied->Int(1) > known)
        return Status::Database(name_ + ": the database is at schema version " + std::to_string(applied->Int(1)) +
                                ", newer than this roundtable knows (" + std::to_string(known) +
                                "): run the newer version");
      if (applied->Int(0) == static_cast<std::int64_t>(migrations.size())) return Status::Ok();
    }
  }
  Status s = InTransaction(TransactionKind::kArchiveWrite, "reading the schema version", [&] {
    return db_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at BIGINT NOT NULL)",
                     "creating the schema version table");
  });
  if (!s.ok()) return s;
  for (const Migration& m : migrations) {
    // Checked inside the transaction: another process may be migrating the same database.
    s = InTransaction(TransactionKind::kArchiveWrite, m.name, [&] {
      SqlStatement& have = Sql("SELECT 1 FROM schema_migrations WHERE version = ?1");
      bool applied = have.Bind(1, std::int64_t{m.version}).Step();
      have.Reset();
      if (applied) return Status::Ok();
      std::string sql = m.sql;
      // SQLite's first migration also creates the bookkeeping table, created above already.
      std::size_t at = sql.find("CREATE TABLE schema_migrations");
      if (at != std::string::npos) sql.resize(at);
      Status applying = db_->Exec(sql, std::string("applying migration ") + m.name);
      if (!applying.ok()) return applying;
      SqlStatement& done = Sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      return done.Bind(1, std::int64_t{m.version}).Bind(2, m.name).Bind(3, static_cast<std::int64_t>(time(nullptr))).Run();
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<SearchResults> SqlStore::Search(const SearchQuery& query, const SearchPage& page) {
  std::string where;
  std::vector<std::string> params;
  auto param = [&](std::string value) {
    params.push_back(std::move(value));
    return "?" + std::to_string(params.size());
  };
  TextMatch match;
  if (query.HasText()) {
    Result<TextMatch> m = MatchText(query, param);
    if (!m.ok()) return m.status();
    match = std::move(m.value());
    where += " AND " + match.condition;
  }
  if (!query.lists.empty()) {
    where += " AND (";
    for (std::size_t i = 0; i < query.lists.size(); ++i)
      where += (i ? " OR " : "") + std::string("l.name = ") + param(query.lists[i]);
    where += ")";
    // A name no list has would otherwise test every match of the words against it: a
    // common word took 185 ms at a million messages to find nothing.
    SqlStatement& named = Sql("SELECT 1 FROM lists WHERE name = ?1");
    bool any = false;
    for (std::size_t i = 0; i < query.lists.size() && !any; ++i) {
      any = named.Bind(1, query.lists[i]).Step();
      Status s = named.status();
      named.Reset();
      if (!s.ok()) return s;
    }
    if (!any) where += " AND 1 = 0";
  }
  for (const std::string& from : query.from) {
    std::string pattern = "%";
    for (char c : from) {
      if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
      pattern.push_back(c);
    }
    std::string like = "lower(" + param(pattern + "%") + ") ESCAPE '\\'";
    // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
    where += " AND (lower(m.from_name) LIKE " + like + " OR lower(a.address) LIKE " + like +
             " OR a.person_id IN (SELECT id FROM people WHERE lower(display_name) LIKE " + like + "))";
  }
  if (query.after) where += " AND m.date >= " + std::to_string(*query.after);
  if (query.before) where += " AND m.date < " + std::to_string(*query.before);
  // The filters run in an inner query that yields only ids and scores; rows are widened
  // (names, bodies for snippets) for the page alone.
  bool needs_message = !query.lists.empty() || !query.from.empty() || query.after || query.before;
  std::string filter_from = !query.HasText() ? " FROM messages m"
                            : needs_message  ? " FROM " + match.from + " JOIN " + match.filtered_messages +
                                                   " ON m.id = " + match.id_column
                                             : " FROM " + match.from;
  std::string id_column = query.HasText() ? match.id_column : "m.id";
  if (!query.lists.empty()) filter_from += " JOIN lists l ON l.id = m.list_id";
  if (!query.from.empty()) filter_from += " LEFT JOIN addresses a ON a.id = m.address_id";
  if (query.HasText() && (query.after || query.before)) {
    // Rowids follow import order, which is close to date order: bounding them by the
    // date range lets FTS5 skip the rest of each doclist instead of filtering it.
    SqlStatement& range = Sql("SELECT min(min_id), max(max_id) FROM message_months WHERE month BETWEEN ?1 AND ?2");
    range.Bind(1, query.after ? MonthOf(*query.after) : 0).Bind(2, query.before ? MonthOf(*query.before - 1) : 999999);
    if (range.Step() && !range.IsNull(0))
      where += " AND " + id_column + " BETWEEN " + std::to_string(range.Int(0)) + " AND " + std::to_string(range.Int(1));
    else
      where += " AND 1 = 0";  // no message in those months
    range.Reset();
  }
  std::string cond = where.empty() ? "" : " WHERE " + where.substr(5);
  auto bind_params = [&](SqlStatement& stmt) {
    for (std::size_t i = 0; i < params.size(); ++i) stmt.Bind(static_cast<int>(i + 1), params[i]);
  };
  auto query_error = [](const Status& s) {
    const std::string& message = s.message();
    if (message.find("fts5") != std::string::npos || message.find("syntax") != std::string::npos)
      return Status::InvalidArgument("the search could not be understood: " + message);
    return s;
  };

  // First the page: ids (and scores) alone. Rows are widened (names, bodies for
  // snippets) for the page's hits only.
  struct PageHit {
    std::int64_t id;
    double score;
  };
  std::vector<PageHit> hits;
  SearchResults results;
  std::size_t offset = static_cast<std::size_t>(std::max(page.offset, 0));
  std::size_t limit = static_cast<std::size_t>(std::max(page.limit, 0));
  if (query.HasText()) {
    // BM25 over every match of a common word costs a second per million messages. FTS5
    // walks matches newest first cheaply, so BM25 ranks the newest kRankWindow matches:
    // exact for all but the broadest queries, which dates or more words narrow. The
    // window also gives the count: exact below kRankWindow matches, a lower bound above,
    // without a second pass over the index. Ordering and counting the window here costs
    // a partial sort of numbers; in SQL (a window function and a sorter) it took a third
    // of a search.
    Scoped ranked(Reusable("SELECT " + id_column + ", " + match.score + filter_from + cond + " ORDER BY " +
                           id_column + " DESC LIMIT " + std::to_string(kRankWindow)));
    if (!ranked->status().ok()) return query_error(ranked->status());
    bind_params(*ranked);
    while (ranked->Step()) hits.push_back({ranked->Int(0), ranked->Double(1)});
    if (!ranked->status().ok()) return query_error(ranked->status());
    if (page.count_total) {
      results.total = static_cast<std::int64_t>(hits.size());
      results.total_is_lower_bound = hits.size() >= static_cast<std::size_t>(kRankWindow);
    }
    auto better = [](const PageHit& a, const PageHit& b) { return a.score < b.score || (a.score == b.score && a.id > b.id); };
    std::size_t end = std::min(hits.size(), offset + limit);
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(end), hits.end(), better);
    hits.resize(end);
    hits.erase(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(std::min(offset, end)));
  } else {
    std::unique_ptr<SqlStatement> newest = db_->Prepare("SELECT m.id" + filter_from + cond + " ORDER BY m.date DESC LIMIT " +
                                                        std::to_string(limit) + " OFFSET " + std::to_string(offset));
    bind_params(*newest);
    while (newest->Step()) hits.push_back({newest->Int(0), 0});
    if (!newest->status().ok()) return newest->status();
    if (page.count_total) {
      std::unique_ptr<SqlStatement> count = db_->Prepare("SELECT count(*)" + filter_from + cond);
      bind_params(*count);
      if (count->Step()) results.total = count->Int(0);
      if (!count->status().ok()) return count->status();
    }
  }
  if (hits.empty()) return results;

  std::string ids;
  for (std::size_t i = 1; i <= hits.size(); ++i) ids += (i > 1 ? ", ?" : "?") + std::to_string(i);
  Scoped rows(Reusable("SELECT m.id, m.message_id, f.slug, l.name, m.thread_id, m.date, m.from_name,"
                       " COALESCE(a.address, ''), m.subject, m.body_text, m.structure, m.language FROM messages m"
                       " JOIN lists l ON l.id = m.list_id JOIN forums f ON f.id = l.forum_id"
                       " LEFT JOIN addresses a ON a.id = m.address_id WHERE m.id IN (" + ids + ")"));
  SqlStatement& stmt = *rows;
  if (!stmt.status().ok()) return stmt.status();
  for (std::size_t i = 0; i < hits.size(); ++i) stmt.Bind(static_cast<int>(i + 1), hits[i].id);

  std::set<std::string> terms;
  for (const QueryTerm& t : query.include)
    for (std::string_view word : SplitWords(t.text))
      for (std::string& term : normalizer_.QueryTerms(word)) terms.insert(std::move(term));

  results.hits.resize(hits.size());
  while (stmt.Step()) {
    std::size_t at = 0;
    while (at < hits.size() && hits[at].id != stmt.Int(0)) ++at;
    if (at == hits.size()) continue;
    SearchHit& hit = results.hits[at];
    hit.id = stmt.Int(0);
    hit.message_id = stmt.Text(1);
    hit.forum = stmt.Text(2);
    hit.list = stmt.Text(3);
    hit.thread_id = stmt.Int(4);
    hit.date = stmt.Int(5);
    hit.from_name = stmt.Text(6);
    hit.from_address = stmt.Text(7);
    hit.subject = stmt.Text(8);
    hit.score = hits[at].score;
    Result<std::string> body = Unpack(stmt.Blob(9));
    if (body.ok()) {
      std::vector<Segment> segments = DecodeSegments(stmt.Text(10));
      std::string own = segments.empty() ? body.value() : TextOfKind(body.value(), segments, SegmentKind::kOwn);
      // The snippet comes from the start of the author's text: long messages need not
      // be normalised whole for it.
      if (own.size() > kSnippetScanBytes) own.resize(kSnippetScanBytes);
      own = MaskAddresses(own);  // snippets are shown to the public
      Language lang = Language::kUnknown;
      for (Language l : {Language::kEnglish, Language::kFrench, Language::kSpanish, Language::kPortuguese,
                         Language::kRussian, Language::kGerman})
        if (LanguageCode(l) == stmt.Text(11)) lang = l;
      std::string scratch;
      hit.snippet = MakeSnippet(own, [&](std::string_view word) {
        scratch.clear();
        normalizer_.AppendTerms(word, lang, &scratch);
        if (!scratch.empty()) scratch.pop_back();
        return terms.count(scratch) > 0;
      });
    }
  }
  if (!stmt.status().ok()) return stmt.status();
  // An index entry without its message row (a damaged database) is left out, not shown empty.
  std::erase_if(results.hits, [](const SearchHit& hit) { return hit.id == 0; });
  return results;
}

Result<std::int64_t> SqlStore::RebuildSearchIndex(const std::function<void(std::int64_t done)>& progress) {
  MessageProcessor processor;
  std::int64_t done = 0;
  Status s = InTransaction(TransactionKind::kArchiveWrite, "rebuilding the search index", [&] {
    Status cleared = ClearIndex();
    if (!cleared.ok()) return cleared;
    for (std::int64_t after = 0;;) {
      SqlStatement& chunk = Sql("SELECT id, subject, body_text FROM messages WHERE id > ?1 ORDER BY id LIMIT ?2");
      chunk.Bind(1, after).Bind(2, kRebuildChunk);
      std::vector<ParsedMessage> messages;
      std::vector<std::int64_t> ids;
      while (chunk.Step()) {
        // No stored text (a message of attachments alone) indexes its subject only.
        Result<std::string> body = chunk.IsNull(2) ? Result<std::string>(std::string()) : Unpack(chunk.Blob(2));
        if (!body.ok()) {
          Status failed = body.status().WithContext("message " + std::to_string(chunk.Int(0)));
          chunk.Reset();
          return failed;
        }
        ids.push_back(chunk.Int(0));
        messages.emplace_back();
        messages.back().subject = chunk.Text(1);
        messages.back().body_text = std::move(body.value());
      }
      Status read = chunk.status();
      chunk.Reset();
      if (!read.ok()) return read;
      if (ids.empty()) break;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        processor.Analyze(&messages[i]);
        Status indexed = IndexMessage(ids[i], messages[i].subject_terms, messages[i].body_terms);
        if (!indexed.ok()) return indexed;
        if (++done % 10000 == 0 && progress) progress(done);
      }
      after = ids.back();
    }
    // Every reader starts again: cached pages, and what SqliteIndexStatistics keeps.
    Status bumped = MarkArchiveChanged();
    if (!bumped.ok()) return bumped;
    Scoped mark(Sql("INSERT INTO settings (name, value) VALUES ('search_index_rebuilt', ?1)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value"));
    std::string stamp(16, '\0');
    randombytes_buf(stamp.data(), stamp.size());
    return mark->BindBlob(1, stamp).Run();
  });
  if (!s.ok()) return s;
  return done;
}

Result<ArchiveStats> SqlStore::Stats() {
  ArchiveStats stats;
  auto scalar = [&](const char* sql, std::int64_t* out) {
    SqlStatement& q = Sql(sql);
    if (q.Step()) *out = q.Int(0);
    Status s = q.status();
    q.Reset();
    return s;
  };
  for (auto [sql, out] : {std::pair{"SELECT count(*) FROM messages", &stats.messages},
                          std::pair{"SELECT count(*) FROM threads", &stats.threads},
                          std::pair{"SELECT count(*) FROM people", &stats.people},
                          std::pair{"SELECT count(*) FROM quarantine", &stats.quarantined},
                          std::pair{"SELECT count(*) FROM lists", &stats.lists},
                          std::pair{"SELECT count(*) FROM forums", &stats.forums}}) {
    Status s = scalar(sql, out);
    if (!s.ok()) return s;
  }
  auto rows = [&](const char* sql, std::vector<CountRow>* out) {
    SqlStatement& q = Sql(sql);
    while (q.Step()) out->push_back({q.Text(0), q.Int(1)});
    Status s = q.status();
    q.Reset();
    return s;
  };
  Status s = rows("SELECT f.slug || '/' || l.name, count(m.id) FROM lists l JOIN forums f ON f.id = l.forum_id"
                  " LEFT JOIN messages m ON m.list_id = l.id GROUP BY l.id, f.slug ORDER BY 1",
                  &stats.per_list);
  if (s.ok())
    s = rows("SELECT CASE WHEN date = 0 THEN 'undated' ELSE rt_year(date) END, count(*)"
             " FROM messages GROUP BY 1 ORDER BY 1",
             &stats.per_year);
  if (s.ok())
    s = rows("SELECT COALESCE(p.stakeholder_group, 'unknown'), count(*) FROM messages m"
             " LEFT JOIN addresses a ON a.id = m.address_id LEFT JOIN people p ON p.id = a.person_id"
             " GROUP BY 1 ORDER BY 2 DESC",
             &stats.per_group);
  if (!s.ok()) return s;
  return stats;
}

Result<std::vector<ThreadEntry>> SqlStore::Thread(const std::string& message_id) {
  Result<std::int64_t> found = FindMessage(message_id);
  if (!found.ok()) return found.status();
  SqlStatement& find = Sql("SELECT thread_id FROM messages WHERE id = ?1");
  find.Bind(1, found.value());
  std::int64_t thread = find.Step() ? find.Int(0) : 0;
  Status s = find.status();
  find.Reset();
  if (!s.ok()) return s;
  SqlStatement& q = Sql("SELECT m.id, COALESCE(m.parent_id, 0), m.message_id, m.from_name, COALESCE(a.address, ''),"
                     " m.subject, m.date FROM messages m LEFT JOIN addresses a ON a.id = m.address_id"
                     " WHERE m.thread_id = ?1 ORDER BY m.date, m.id");
  q.Bind(1, thread);
  std::vector<ThreadEntry> all;
  while (q.Step())
    all.push_back({q.Int(0), q.Int(1), 0, q.Text(2), q.Text(3), q.Text(4), q.Text(5), q.Int(6)});
  if (!q.status().ok()) return q.status();
  return InReplyTreeOrder(std::move(all));
}

Status SqlStore::ReadMessage(SqlStatement& row, StoredMessage* out) {
  out->id = row.Int(0);
  out->message_id = row.Text(1);
  out->forum = row.Text(2);
  out->list = row.Text(3);
  out->thread_id = row.Int(4);
  out->parent_id = row.IsNull(5) ? std::nullopt : std::optional(row.Int(5));
  out->date = row.Int(6);
  out->from_name = row.Text(7);
  out->from_address = row.Text(8);
  out->subject = row.Text(9);
  out->language = row.Text(10);
  out->source_format = row.Text(11);
  out->envelope = row.Text(12);
  out->structure = row.Text(13);
  out->references = SplitRefs(row.Text(14));
  Result<std::string> body = Unpack(row.Blob(15));
  Result<std::string> raw = Unpack(row.Blob(16));
  if (!raw.ok() || !body.ok())
    return Status::Database("message " + std::to_string(out->id) + ": stored data is damaged: " +
                            (raw.ok() ? body : raw).status().message());
  out->body_text = std::move(body.value());
  out->raw = std::move(raw.value());
  return Status::Ok();
}

Status SqlStore::ForEachMessage(const ExportFilter& filter,
                                const std::function<Status(const StoredMessage&)>& visit) {
  // In pages by id: a PostgreSQL result is held whole in memory, and an archive's raw
  // messages must not be.
  constexpr int kPage = 200;
  SqlStatement& q =
      Sql("SELECT m.id, m.message_id, f.slug, l.name, m.thread_id, m.parent_id, m.date, m.from_name,"
          " COALESCE(a.address, ''), m.subject, m.language, m.source_format, m.envelope, m.structure, m.refs,"
          " m.body_text, r.data FROM messages m JOIN lists l ON l.id = m.list_id JOIN forums f ON f.id = l.forum_id"
          " LEFT JOIN addresses a ON a.id = m.address_id JOIN raw_messages r ON r.message = m.id"
          " WHERE (?1 = '' OR f.slug = ?1) AND (?2 = '' OR l.name = ?2) AND m.id > ?3 ORDER BY m.id LIMIT ?4");
  Scoped reset(q);
  StoredMessage message;
  for (std::int64_t after = 0;;) {
    q.Bind(1, filter.forum).Bind(2, filter.list).Bind(3, after).Bind(4, std::int64_t{kPage});
    int rows = 0;
    while (q.Step()) {
      ++rows;
      Status s = ReadMessage(q, &message);
      if (s.ok()) s = visit(message);
      if (!s.ok()) return s;
      after = message.id;
    }
    if (!q.status().ok()) return q.status();
    q.Reset();
    if (rows < kPage) return Status::Ok();
  }
}

}  // namespace rt
