// The SQLite implementation of Store: WAL, one writer, FTS5 with the roundtable tokenizer.

#include <sqlite3.h>

#include <algorithm>
#include <ctime>
#include <limits>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "archive/body_structure.h"
#include "archive/reply_tree.h"
#include "archive/subject.h"
#include "people/address.h"
#include "search/fts_ranking.h"
#include "search/fts_tokenizer.h"
#include "search/language.h"
#include "search/snippet.h"
#include "search/term_normalizer.h"
#include "store/migrations.h"
#include "store/sqlite_statement.h"
#include "store/sqlite_store.h"
#include "util/compression.h"

namespace rt {

namespace {

// A reply without references joins a same-subject thread only if that thread was
// active this recently: subjects like "Agenda" recur every month.
constexpr std::int64_t kSubjectWindowSeconds = 60 * 24 * 3600;
// How many of the newest matches BM25 ranks (see Search).
constexpr int kRankWindow = 2000;
// Matches counted exactly per query term before its document frequency is extrapolated.
constexpr int kDfSample = 500;
// How much of a hit's own text is searched for the snippet.
constexpr std::size_t kSnippetScanBytes = 3000;
// Bounds the writer's address cache so memory stays flat on any archive.
constexpr std::size_t kMaxCachedAddresses = 200000;

// yyyymm of a Unix time, UTC: the key of message_months.
std::int64_t MonthOf(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return 0;
  return (tm.tm_year + 1900LL) * 100 + tm.tm_mon + 1;
}

std::string JoinRefs(const std::vector<std::string>& refs) {
  std::string out;
  for (const std::string& r : refs) {
    if (!out.empty()) out.push_back(' ');
    out += r;
  }
  return out;
}


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

}  // namespace

std::vector<std::string> SplitRefs(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string r;
  while (in >> r) out.push_back(r);
  return out;
}


Status SqliteStore::Exec(const char* sql, std::string_view what) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  sqlite3_free(error);
  return SqliteStatus(db_, rc, what);
}

Status SqliteStore::InTransaction(const char* what, const std::function<Status()>& body) {
  Status s = Exec("BEGIN IMMEDIATE", what);
  if (!s.ok()) return s;
  s = body();
  if (s.ok()) s = Exec("COMMIT", what);
  if (!s.ok()) {
    Exec("ROLLBACK", "rolling back");
    // Cached ids may name rows the rollback removed.
    list_ids_.clear();
    address_ids_.clear();
  }
  return s;
}

// Statements are cached by the address of their SQL literal: each call site prepares once.
Statement& SqliteStore::Sql(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) it = statements_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
  it->second->Reset();
  return *it->second;
}

Status SqliteStore::Open(const StoreOptions& options) {
  std::filesystem::path p(path_);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) return Status::Database(path_ + ": cannot open the database: " + sqlite3_errstr(rc));
  sqlite3_busy_timeout(db_, 3000);
  if (RegisterFtsTokenizer(db_) != SQLITE_OK || RegisterRankFunction(db_) != SQLITE_OK)
    return Status::Internal("cannot register the FTS5 tokenizer and ranking function (SQLite without FTS5?)");
  // WAL with synchronous=NORMAL: a crashed process never corrupts or loses committed data.
  std::string pragmas = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
                        (options.durable_commits ? "FULL" : "NORMAL") + "; PRAGMA cache_size=-" +
                        std::to_string(std::max(1, options.cache_mib) * 1024) +
                        "; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;";
  Status s = Exec(pragmas.c_str(), path_ + ": setting up the database");
  if (!s.ok()) {
    if (s.code() == Status::Code::kDatabase)
      return Status::Database(s.message() + " (is it a Roundtable database?)");
    return s;
  }
  return Migrate();
}

Status SqliteStore::Migrate() {
  // Up to date: checked without the write lock, so opening a connection beside a running
  // import (a server's reader) does not wait for the importer's next commit.
  {
    Statement applied(db_, "SELECT count(*) FROM schema_migrations");
    if (applied.status().ok() && applied.Step() && applied.Int(0) == static_cast<std::int64_t>(Migrations().size()))
      return Status::Ok();
  }
  Status s = Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                  " applied_at INTEGER NOT NULL)",
                  path_ + ": reading the schema version");
  if (!s.ok()) return s;
  for (const Migration& m : Migrations()) {
    // Checked inside the write lock: another process may be migrating the same file.
    s = Exec("BEGIN IMMEDIATE", "starting a migration");
    if (!s.ok()) return s;
    Statement& have = Sql("SELECT 1 FROM schema_migrations WHERE version = ?1");
    have.Bind(1, m.version);
    bool applied = have.Step();
    have.Reset();
    if (applied) {
      Exec("COMMIT", "ending a migration check");
      continue;
    }
    std::string sql = m.sql;
    // The first migration also creates the bookkeeping table, created above already.
    std::size_t at = sql.find("CREATE TABLE schema_migrations");
    if (at != std::string::npos) sql.resize(at);
    s = Exec(sql.c_str(), std::string("applying migration ") + m.name);
    if (s.ok()) {
      Statement& done = Sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      s = done.Bind(1, m.version).Bind(2, m.name).Bind(3, static_cast<std::int64_t>(time(nullptr))).Run();
    }
    if (!s.ok()) {
      Exec("ROLLBACK", "rolling back");
      return s;
    }
    s = Exec("COMMIT", "committing a migration");
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status SqliteStore::BeginBulkImport() {
  // Segments are merged once at the end instead of during every commit.
  return Exec("INSERT INTO message_index(message_index, rank) VALUES('automerge', 0);"
              "INSERT INTO message_index(message_index, rank) VALUES('crisismerge', 64);",
              "preparing the index for a bulk import");
}

Status SqliteStore::FinishBulkImport() {
  Status s = Exec("INSERT INTO message_index(message_index, rank) VALUES('automerge', 4);"
                  "INSERT INTO message_index(message_index, rank) VALUES('crisismerge', 16);",
                  "restoring index merge settings");
  if (!s.ok()) return s;
  // 'merge' with a negative budget merges everything whose level allows, without the
  // full rewrite of 'optimize', so it stays proportional to what was just imported.
  return Exec("INSERT INTO message_index(message_index, rank) VALUES('merge', -2000)", "merging the search index");
}

Result<std::int64_t> SqliteStore::ListId(const std::string& forum, const std::string& list) {
  std::string key = forum + '/' + list;
  if (auto it = list_ids_.find(key); it != list_ids_.end()) return it->second;
  Statement& f = Sql("INSERT INTO forums (slug, name) VALUES (?1, ?1) ON CONFLICT (slug) DO NOTHING");
  Status s = f.Bind(1, forum).Run();
  if (!s.ok()) return s;
  Statement& l = Sql("INSERT INTO lists (forum_id, name) SELECT id, ?2 FROM forums WHERE slug = ?1 "
                     "ON CONFLICT (forum_id, name) DO NOTHING");
  s = l.Bind(1, forum).Bind(2, list).Run();
  if (!s.ok()) return s;
  Statement& q = Sql("SELECT l.id FROM lists l JOIN forums f ON f.id = l.forum_id WHERE f.slug = ?1 AND l.name = ?2");
  q.Bind(1, forum).Bind(2, list);
  if (!q.Step()) return Status::Database("cannot create list " + key);
  std::int64_t id = q.Int(0);
  // A statement left on a row holds its read snapshot, and with it every WAL checkpoint.
  q.Reset();
  list_ids_[key] = id;
  return id;
}

Result<std::optional<std::int64_t>> SqliteStore::AddressId(const ParsedMessage& m, const StakeholderRules& rules) {
  if (m.from_address.empty()) return std::optional<std::int64_t>();
  if (auto it = address_ids_.find(m.from_address); it != address_ids_.end()) return std::optional(it->second);
  if (address_ids_.size() > kMaxCachedAddresses) address_ids_.clear();
  Statement& find = Sql("SELECT id FROM addresses WHERE address = ?1");
  find.Bind(1, m.from_address);
  if (find.Step()) {
    std::int64_t id = find.Int(0);
    find.Reset();
    address_ids_[m.from_address] = id;
    return std::optional(id);
  }
  // A new address joins the person who already writes under the same full name from the
  // same domain (people move from jdoe@ to jane.doe@); otherwise a new person.
  std::int64_t person = 0;
  std::string_view domain = AddressDomain(m.from_address);
  if (m.from_name.find(' ') != std::string::npos) {
    Statement& same = Sql("SELECT person_id, address FROM addresses WHERE display_name = ?1 LIMIT 50");
    same.Bind(1, m.from_name);
    while (same.Step()) {
      std::string other = same.Text(1);
      if (AddressDomain(other) == domain) {
        person = same.Int(0);
        break;
      }
    }
    same.Reset();
  }
  if (person == 0) {
    StakeholderMatch group = rules.Classify(m.from_address);
    Statement& add = Sql("INSERT INTO people (display_name, stakeholder_group, affiliation) VALUES (?1, ?2, ?3)");
    Status s = add.Bind(1, m.from_name).Bind(2, group.group).Bind(3, group.affiliation).Run();
    if (!s.ok()) return s;
    person = sqlite3_last_insert_rowid(db_);
  }
  Statement& add = Sql("INSERT INTO addresses (address, person_id, display_name) VALUES (?1, ?2, ?3)");
  Status s = add.Bind(1, m.from_address).Bind(2, person).Bind(3, m.from_name).Run();
  if (!s.ok()) return s;
  std::int64_t id = sqlite3_last_insert_rowid(db_);
  address_ids_[m.from_address] = id;
  return std::optional(id);
}

Result<std::string> SqliteStore::DedupKey(std::int64_t list_id, const ImportItem& item, std::int64_t address_id) {
  const ParsedMessage& m = *item.parsed;
  std::string hash_key = "hash:" + item.raw_hash;
  auto exists = [&](const std::string& key) {
    Statement& q = Sql("SELECT 1 FROM messages WHERE list_id = ?1 AND dedup_key = ?2");
    q.Bind(1, list_id).Bind(2, key);
    bool found = q.Step();
    q.Reset();
    return found;
  };
  if (m.message_id.empty()) return exists(hash_key) ? std::string() : hash_key;
  std::string id_key = "<" + m.message_id + ">";
  Statement& q = Sql("SELECT raw_hash, date, subject, address_id, body_text FROM messages"
                     " WHERE list_id = ?1 AND dedup_key = ?2");
  q.Bind(1, list_id).Bind(2, id_key);
  if (!q.Step()) return id_key;
  // The same Message-ID with other bytes: the same message delivered twice (other
  // Received lines) if date, subject, sender and text agree; otherwise a reused ID.
  bool same = q.Text(0) == item.raw_hash;
  if (!same && q.Int(1) == m.date.value_or(0) && q.Text(2) == m.subject && q.Int(3) == address_id) {
    Result<std::string> body = Decompress(q.Blob(4));
    same = body.ok() && body.value() == m.body_text;
  }
  q.Reset();
  if (same) return std::string();
  return exists(hash_key) ? std::string() : hash_key;
}

Status SqliteStore::MergeThreads(std::int64_t into, std::int64_t from) {
  Statement& move = Sql("UPDATE messages SET thread_id = ?1 WHERE thread_id = ?2");
  Status s = move.Bind(1, into).Bind(2, from).Run();
  if (!s.ok()) return s;
  Statement& sum = Sql(
      "UPDATE threads SET message_count = message_count + (SELECT message_count FROM threads WHERE id = ?2),"
      " subject = CASE WHEN (SELECT first_date FROM threads WHERE id = ?2) < first_date"
      "   THEN (SELECT subject FROM threads WHERE id = ?2) ELSE subject END,"
      " first_date = MIN(first_date, (SELECT first_date FROM threads WHERE id = ?2)),"
      " last_date = MAX(last_date, (SELECT last_date FROM threads WHERE id = ?2)),"
      " rooted_in_reply = 0 WHERE id = ?1");
  s = sum.Bind(1, into).Bind(2, from).Run();
  if (!s.ok()) return s;
  Statement& drop = Sql("DELETE FROM threads WHERE id = ?1");
  return drop.Bind(1, from).Run();
}

Result<SqliteStore::Placement> SqliteStore::PlaceInThread(std::int64_t list_id, const ParsedMessage& m,
                                                         std::int64_t date) {
  Placement place;
  std::set<std::int64_t> threads;
  // The nearest existing ancestor named in References is the parent (JWZ skips the
  // missing ones); every thread the references touch becomes one.
  for (auto r = m.references.rbegin(); r != m.references.rend(); ++r) {
    Statement& q = Sql("SELECT id, thread_id FROM messages WHERE list_id = ?1 AND message_id = ?2 LIMIT 1");
    q.Bind(1, list_id).Bind(2, *r);
    if (q.Step()) {
      if (place.parent_id == 0) place.parent_id = q.Int(0);
      threads.insert(q.Int(1));
    }
    q.Reset();
  }
  // Messages naming the same references, or this message, share its thread. All
  // messages sharing a reference are already in one thread, so one row per name suffices.
  auto linked = [&](const std::string& ref) {
    Statement& q = Sql("SELECT m.thread_id FROM message_refs r JOIN messages m ON m.id = r.message"
                       " WHERE r.ref = ?1 AND m.list_id = ?2 LIMIT 1");
    q.Bind(1, ref).Bind(2, list_id);
    if (q.Step()) threads.insert(q.Int(0));
    q.Reset();
  };
  for (const std::string& r : m.references) linked(r);
  if (!m.message_id.empty()) linked(m.message_id);

  std::string base = BaseSubject(m.subject);
  bool reply = IsReplySubject(m.subject);
  if (threads.empty() && m.references.empty() && !base.empty()) {
    Statement& q = Sql(reply ? "SELECT id FROM threads WHERE list_id = ?1 AND base_subject = ?2"
                               " AND last_date >= ?3 - ?4 AND first_date <= ?3 + ?4 ORDER BY last_date DESC LIMIT 1"
                             : "SELECT id FROM threads WHERE list_id = ?1 AND base_subject = ?2"
                               " AND rooted_in_reply = 1 AND first_date >= ?3 AND first_date <= ?3 + ?4 LIMIT 1");
    q.Bind(1, list_id).Bind(2, base).Bind(3, date).Bind(4, kSubjectWindowSeconds);
    if (q.Step()) threads.insert(q.Int(0));
    q.Reset();
    if (!threads.empty() && reply) {
      Statement& root = Sql("SELECT id FROM messages WHERE thread_id = ?1 ORDER BY date LIMIT 1");
      root.Bind(1, *threads.begin());
      if (root.Step()) place.parent_id = root.Int(0);
      root.Reset();
    }
  }
  if (threads.empty()) {
    Statement& add = Sql("INSERT INTO threads (list_id, subject, base_subject, rooted_in_reply, first_date,"
                         " last_date, message_count) VALUES (?1, ?2, ?3, ?4, ?5, ?5, 0)");
    Status s = add.Bind(1, list_id).Bind(2, m.subject).Bind(3, base).Bind(4, reply && m.references.empty()).Bind(5, date).Run();
    if (!s.ok()) return s;
    place.thread_id = sqlite3_last_insert_rowid(db_);
    return place;
  }
  place.thread_id = *threads.begin();
  for (auto it = std::next(threads.begin()); it != threads.end(); ++it) {
    Status s = MergeThreads(place.thread_id, *it);
    if (!s.ok()) return s;
  }
  return place;
}

// Replies imported before this message were attached to an older ancestor or to
// nothing; those that name this message as a nearer ancestor move under it.
Status SqliteStore::AdoptOrphans(std::int64_t list_id, std::int64_t id, const std::string& message_id,
                                 std::int64_t thread_id, bool is_original) {
  if (message_id.empty()) return Status::Ok();
  Statement& q = Sql("SELECT m.id, m.refs, COALESCE(p.message_id, '') FROM message_refs r"
                     " JOIN messages m ON m.id = r.message LEFT JOIN messages p ON p.id = m.parent_id"
                     " WHERE r.ref = ?1 AND m.list_id = ?2 AND m.id <> ?3");
  q.Bind(1, message_id).Bind(2, list_id).Bind(3, id);
  std::vector<std::int64_t> adopt;
  while (q.Step()) {
    std::vector<std::string> refs = SplitRefs(q.Text(1));
    std::string current = q.Text(2);
    auto mine = std::find(refs.begin(), refs.end(), message_id);
    auto theirs = std::find(refs.begin(), refs.end(), current);
    if (current.empty() || (theirs != refs.end() && mine > theirs)) adopt.push_back(q.Int(0));
  }
  Status s = q.status();
  q.Reset();
  if (!s.ok()) return s;
  for (std::int64_t child : adopt) {
    // References can lie (A answers B, B answers A): never adopt one's own ancestor.
    if (IsAncestor(child, id)) continue;
    Statement& u = Sql("UPDATE messages SET parent_id = ?1 WHERE id = ?2");
    s = u.Bind(1, id).Bind(2, child).Run();
    if (!s.ok()) return s;
  }
  // An original (a root itself) arriving after same-subject replies becomes their root.
  if (!is_original) return Status::Ok();
  Statement& roots = Sql("UPDATE messages SET parent_id = ?1 WHERE thread_id = ?2 AND parent_id IS NULL AND id <> ?1"
                         " AND refs = '' AND (SELECT refs FROM messages WHERE id = ?1) = ''"
                         " AND (SELECT parent_id FROM messages WHERE id = ?1) IS NULL"
                         " AND date >= (SELECT date FROM messages WHERE id = ?1)");
  return roots.Bind(1, id).Bind(2, thread_id).Run();
}

bool SqliteStore::IsAncestor(std::int64_t candidate, std::int64_t of) {
  std::int64_t at = of;
  // Bounded: a corrupt chain must not loop forever.
  for (int steps = 0; steps < 100000 && at != 0; ++steps) {
    if (at == candidate) return true;
    Statement& up = Sql("SELECT COALESCE(parent_id, 0) FROM messages WHERE id = ?1");
    up.Bind(1, at);
    at = up.Step() ? up.Int(0) : 0;
    up.Reset();
  }
  return false;
}

Result<std::int64_t> SqliteStore::StoreMessage(std::int64_t list_id, ImportItem& item, std::int64_t address_id,
                                               const std::string& key) {
  ParsedMessage& m = *item.parsed;
  std::int64_t date = m.date.value_or(0);
  Result<Placement> place = PlaceInThread(list_id, m, date);
  if (!place.ok()) return place.status();
  Statement& ins = Sql(
      "INSERT INTO messages (list_id, thread_id, parent_id, dedup_key, message_id, refs, date, address_id, from_name,"
      " subject, language, source_format, envelope, raw_size, raw_hash, structure, body_text, body_html, warnings)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");
  ins.Bind(1, list_id).Bind(2, place.value().thread_id);
  if (place.value().parent_id) ins.Bind(3, place.value().parent_id);
  ins.Bind(4, key).Bind(5, m.message_id).Bind(6, JoinRefs(m.references)).Bind(7, date);
  if (address_id) ins.Bind(8, address_id);
  std::string warnings;
  for (const std::string& w : m.warnings) warnings += (warnings.empty() ? "" : "; ") + w;
  ins.Bind(9, m.from_name).Bind(10, m.subject).Bind(11, m.language).Bind(12, SourceFormatName(item.raw.format));
  ins.Bind(13, item.raw.envelope).Bind(14, static_cast<std::int64_t>(item.raw.bytes.size())).Bind(15, item.raw_hash);
  ins.Bind(16, m.structure).BindBlob(17, m.body_text_z);
  if (!m.body_html_z.empty()) ins.BindBlob(18, m.body_html_z);
  ins.Bind(19, warnings);
  Status s = ins.Run();
  if (!s.ok()) return s;
  std::int64_t id = sqlite3_last_insert_rowid(db_);

  Statement& month = Sql("INSERT INTO message_months (month, min_id, max_id) VALUES (?1, ?2, ?2) ON CONFLICT (month)"
                         " DO UPDATE SET min_id = MIN(min_id, ?2), max_id = MAX(max_id, ?2)");
  s = month.Bind(1, MonthOf(date)).Bind(2, id).Run();
  if (!s.ok()) return s;
  Statement& raw = Sql("INSERT INTO raw_messages (message, data) VALUES (?1, ?2)");
  s = raw.Bind(1, id).BindBlob(2, item.compressed_raw).Run();
  if (!s.ok()) return s;
  for (const std::string& r : m.references) {
    Statement& ref = Sql("INSERT INTO message_refs (ref, message) VALUES (?1, ?2)");
    s = ref.Bind(1, r).Bind(2, id).Run();
    if (!s.ok()) return s;
  }
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    const ParsedAttachment& a = m.attachments[i];
    Statement& blob = Sql("INSERT INTO attachment_blobs (hash, size, data) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    s = blob.Bind(1, a.hash).Bind(2, static_cast<std::int64_t>(a.size)).BindBlob(3, a.compressed).Run();
    if (!s.ok()) return s;
    Statement& att = Sql("INSERT INTO attachments (message, position, filename, content_type, hash)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)");
    s = att.Bind(1, id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, a.filename).Bind(4, a.content_type).Bind(5, a.hash).Run();
    if (!s.ok()) return s;
  }
  Statement& fts = Sql("INSERT INTO message_index (rowid, subject, body) VALUES (?1, ?2, ?3)");
  s = fts.Bind(1, id).Bind(2, m.subject_terms).Bind(3, m.body_terms).Run();
  if (!s.ok()) return s;
  Statement& thread = Sql(
      "UPDATE threads SET message_count = message_count + 1,"
      " subject = CASE WHEN ?2 < first_date OR message_count = 0 THEN ?3 ELSE subject END,"
      " first_date = CASE WHEN message_count = 0 THEN ?2 ELSE MIN(first_date, ?2) END,"
      " last_date = CASE WHEN message_count = 0 THEN ?2 ELSE MAX(last_date, ?2) END WHERE id = ?1");
  s = thread.Bind(1, place.value().thread_id).Bind(2, date).Bind(3, m.subject).Run();
  if (!s.ok()) return s;
  s = AdoptOrphans(list_id, id, m.message_id, place.value().thread_id,
                   place.value().parent_id == 0 && !IsReplySubject(m.subject));
  if (!s.ok()) return s;
  return id;
}

Status SqliteStore::Quarantine(const ImportItem& item, ImportCounts* counts) {
  Statement& q = Sql("INSERT INTO quarantine (source, position, reason, raw_hash, data, created_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (raw_hash) DO NOTHING");
  Status s = q.Bind(1, item.raw.source)
                 .Bind(2, static_cast<std::int64_t>(item.raw.offset))
                 .Bind(3, item.quarantine_reason)
                 .Bind(4, item.raw_hash)
                 .BindBlob(5, item.compressed_raw)
                 .Bind(6, static_cast<std::int64_t>(time(nullptr)))
                 .Run();
  if (!s.ok()) return s;
  if (sqlite3_changes(db_) == 1) ++counts->quarantined;
  else ++counts->duplicates;
  return Status::Ok();
}

Status SqliteStore::WriteBatch(std::vector<ImportItem>& items, const ImportTarget& target, ImportCounts* counts) {
  static const StakeholderRules kDefaults = StakeholderRules::Defaults();
  const StakeholderRules& rules = target.rules ? *target.rules : kDefaults;
  Status s = Exec("BEGIN IMMEDIATE", path_ + ": starting a write");
  if (!s.ok()) return s;
  ImportCounts batch;
  auto store_all = [&]() -> Status {
    for (ImportItem& item : items) {
      if (!item.parsed) {
        Status q = Quarantine(item, &batch);
        if (!q.ok()) return q;
        continue;
      }
      const ParsedMessage& m = *item.parsed;
      std::string list = !target.list.empty() ? target.list : !m.list_hint.empty() ? m.list_hint : "unsorted";
      Result<std::int64_t> list_id = ListId(target.forum, list);
      if (!list_id.ok()) return list_id.status();
      Result<std::optional<std::int64_t>> address = AddressId(m, rules);
      if (!address.ok()) return address.status();
      std::int64_t address_id = address.value().value_or(0);
      Result<std::string> key = DedupKey(list_id.value(), item, address_id);
      if (!key.ok()) return key.status();
      if (key.value().empty()) {
        ++batch.duplicates;
        continue;
      }
      Result<std::int64_t> stored = StoreMessage(list_id.value(), item, address_id, key.value());
      if (!stored.ok()) return stored.status();
      ++batch.imported;
    }
    return Status::Ok();
  };
  s = store_all();
  if (s.ok()) s = Exec("COMMIT", path_ + ": committing");
  if (!s.ok()) {
    Exec("ROLLBACK", "rolling back");
    // Cached ids may name rows the rollback removed.
    list_ids_.clear();
    address_ids_.clear();
    return s;
  }
  counts->imported += batch.imported;
  counts->duplicates += batch.duplicates;
  counts->quarantined += batch.quarantined;
  return Status::Ok();
}

// "4.0, 1.0, df0, df1, ...": subject and body weights, then each included term's
// document frequency. Below kDfSample matches it is exact; above, extrapolated from how
// far back in rowids the newest kDfSample matches reach (rowids follow import order, so
// a term's matches spread across them about evenly).
std::string SqliteStore::RankArguments(const SearchQuery& query) {
  std::int64_t max_rowid = 1;
  Statement& last = Sql("SELECT COALESCE(max(id), 1) FROM messages");
  if (last.Step()) max_rowid = last.Int(0);
  last.Reset();
  std::string args = "4.0, 1.0";
  for (const QueryTerm& term : query.include) {
    Statement& q = Sql("SELECT rowid FROM message_index WHERE message_index MATCH ?1 ORDER BY rowid DESC LIMIT ?2");
    q.Bind(1, FtsTerm(term)).Bind(2, kDfSample);
    std::int64_t n = 0, oldest = max_rowid;
    while (q.Step()) {
      ++n;
      oldest = q.Int(0);
    }
    q.Reset();
    double df = n < kDfSample ? static_cast<double>(n)
                              : static_cast<double>(n) * static_cast<double>(max_rowid) /
                                    static_cast<double>(std::max<std::int64_t>(1, max_rowid - oldest + 1));
    args += ", " + std::to_string(std::max(1.0, df));
  }
  return args;
}

Result<SearchResults> SqliteStore::Search(const SearchQuery& query, const SearchPage& page) {
  std::string where;
  std::vector<std::string> params;
  auto param = [&](std::string value) {
    params.push_back(std::move(value));
    return "?" + std::to_string(params.size());
  };
  if (query.HasText()) where += " AND message_index MATCH " + param(MatchExpression(query));
  if (!query.lists.empty()) {
    where += " AND (";
    for (std::size_t i = 0; i < query.lists.size(); ++i)
      where += (i ? " OR " : "") + std::string("l.name = ") + param(query.lists[i]);
    where += ")";
  }
  for (const std::string& from : query.from) {
    std::string pattern = "%";
    for (char c : from) {
      if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
      pattern.push_back(c);
    }
    std::string like = param(pattern + "%") + " ESCAPE '\\'";
    where += " AND (m.from_name LIKE " + like + " OR a.address LIKE " + like +
             " OR a.person_id IN (SELECT id FROM people WHERE display_name LIKE " + like + "))";
  }
  if (query.after) where += " AND m.date >= " + std::to_string(*query.after);
  if (query.before) where += " AND m.date < " + std::to_string(*query.before);
  // The filters run in an inner query that yields only ids and scores; rows are widened
  // (names, bodies for snippets) for the page alone.
  bool needs_message = !query.lists.empty() || !query.from.empty() || query.after || query.before;
  std::string filter_from = !query.HasText() ? " FROM messages m"
                            : needs_message  ? " FROM message_index JOIN messages m ON m.id = message_index.rowid"
                                             : " FROM message_index";
  std::string id_column = query.HasText() ? "message_index.rowid" : "m.id";
  if (!query.lists.empty()) filter_from += " JOIN lists l ON l.id = m.list_id";
  if (!query.from.empty()) filter_from += " LEFT JOIN addresses a ON a.id = m.address_id";
  if (query.HasText() && (query.after || query.before)) {
    // Rowids follow import order, which is close to date order: bounding them by the
    // date range lets FTS5 skip the rest of each doclist instead of filtering it.
    Statement& range = Sql("SELECT min(min_id), max(max_id) FROM message_months WHERE month BETWEEN ?1 AND ?2");
    range.Bind(1, query.after ? MonthOf(*query.after) : 0).Bind(2, query.before ? MonthOf(*query.before - 1) : 999999);
    if (range.Step() && !range.IsNull(0))
      where += " AND message_index.rowid BETWEEN " + std::to_string(range.Int(0)) + " AND " + std::to_string(range.Int(1));
    else
      where += " AND 0";  // no message in those months
    range.Reset();
  }
  std::string cond = where.empty() ? "" : " WHERE " + where.substr(5);
  std::string limit = " LIMIT " + std::to_string(std::max(page.limit, 0)) + " OFFSET " +
                      std::to_string(std::max(page.offset, 0));
  // BM25 over every match of a common word costs a second per million messages. FTS5
  // walks matches newest first cheaply, so BM25 ranks the newest kRankWindow matches:
  // exact for all but the broadest queries, which dates or more words narrow.
  // The ranked window also gives the count: exact below kRankWindow matches, a lower
  // bound above, without a second pass over the index.
  std::string inner = query.HasText()
      ? "SELECT id, score, count(*) OVER () AS matched FROM (SELECT " + id_column + " AS id, rt_bm25(message_index, " +
            RankArguments(query) + ") AS score" + filter_from + cond + " ORDER BY message_index.rowid DESC LIMIT " +
            std::to_string(kRankWindow) + ")"
      : "SELECT m.id AS id, 0 AS score, -1 AS matched" + filter_from + cond + " ORDER BY m.date DESC" + limit;
  std::string sql = "SELECT m.id, m.message_id, f.slug, l.name, m.thread_id, m.date, m.from_name,"
                    " COALESCE(a.address, ''), m.subject, m.body_text, m.structure, m.language, r.score, r.matched FROM (" +
                    inner + ") r JOIN messages m ON m.id = r.id JOIN lists l ON l.id = m.list_id"
                    " JOIN forums f ON f.id = l.forum_id LEFT JOIN addresses a ON a.id = m.address_id" +
                    (query.HasText() ? " ORDER BY r.score" + limit : " ORDER BY m.date DESC");
  Statement stmt(db_, sql);
  if (!stmt.status().ok()) return stmt.status();
  for (std::size_t i = 0; i < params.size(); ++i) stmt.Bind(static_cast<int>(i + 1), params[i]);

  std::set<std::string> terms;
  for (const QueryTerm& t : query.include)
    for (std::string_view word : SplitWords(t.text))
      for (std::string& term : normalizer_.QueryTerms(word)) terms.insert(std::move(term));

  SearchResults results;
  std::int64_t matched = -1;
  while (stmt.Step()) {
    matched = stmt.Int(13);
    SearchHit hit;
    hit.id = stmt.Int(0);
    hit.message_id = stmt.Text(1);
    hit.forum = stmt.Text(2);
    hit.list = stmt.Text(3);
    hit.thread_id = stmt.Int(4);
    hit.date = stmt.Int(5);
    hit.from_name = stmt.Text(6);
    hit.from_address = stmt.Text(7);
    hit.subject = stmt.Text(8);
    hit.score = stmt.Double(12);
    Result<std::string> body = Decompress(stmt.Blob(9));
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
    results.hits.push_back(std::move(hit));
  }
  if (!stmt.status().ok()) {
    std::string message = stmt.status().message();
    if (message.find("fts5") != std::string::npos || message.find("syntax") != std::string::npos)
      return Status::InvalidArgument("the search could not be understood: " + message);
    return stmt.status();
  }
  if (page.count_total && matched >= 0) {
    results.total = matched;
    results.total_is_lower_bound = matched >= kRankWindow;
  } else if (page.count_total) {
    Statement count(db_, "SELECT count(*)" + filter_from + cond);
    for (std::size_t i = 0; i < params.size(); ++i) count.Bind(static_cast<int>(i + 1), params[i]);
    if (count.Step()) results.total = count.Int(0);
    if (!count.status().ok()) return count.status();
  }
  return results;
}

Result<ArchiveStats> SqliteStore::Stats() {
  ArchiveStats stats;
  auto scalar = [&](const char* sql, std::int64_t* out) {
    Statement& q = Sql(sql);
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
    Statement& q = Sql(sql);
    while (q.Step()) out->push_back({q.Text(0), q.Int(1)});
    Status s = q.status();
    q.Reset();
    return s;
  };
  Status s = rows("SELECT f.slug || '/' || l.name, count(m.id) FROM lists l JOIN forums f ON f.id = l.forum_id"
                  " LEFT JOIN messages m ON m.list_id = l.id GROUP BY l.id ORDER BY 1",
                  &stats.per_list);
  if (s.ok())
    s = rows("SELECT CASE WHEN date = 0 THEN 'undated' ELSE strftime('%Y', date, 'unixepoch') END, count(*)"
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

Result<std::vector<ThreadEntry>> SqliteStore::Thread(const std::string& message_id) {
  std::string id = message_id;
  if (!id.empty() && id.front() == '<') id.erase(0, 1);
  if (!id.empty() && id.back() == '>') id.pop_back();
  Statement& find = Sql("SELECT thread_id FROM messages WHERE list_id IN (SELECT id FROM lists) AND message_id = ?1"
                        " ORDER BY id LIMIT 1");
  find.Bind(1, id);
  if (!find.Step()) return Status::NotFound("no message has the Message-ID <" + id + ">");
  std::int64_t thread = find.Int(0);
  find.Reset();
  Statement& q = Sql("SELECT m.id, COALESCE(m.parent_id, 0), m.message_id, m.from_name, COALESCE(a.address, ''),"
                     " m.subject, m.date FROM messages m LEFT JOIN addresses a ON a.id = m.address_id"
                     " WHERE m.thread_id = ?1 ORDER BY m.date, m.id");
  q.Bind(1, thread);
  std::vector<ThreadEntry> all;
  while (q.Step())
    all.push_back({q.Int(0), q.Int(1), 0, q.Text(2), q.Text(3), q.Text(4), q.Text(5), q.Int(6)});
  if (!q.status().ok()) return q.status();
  return InReplyTreeOrder(std::move(all));
}

Status SqliteStore::ReadMessage(Statement& row, StoredMessage* out) {
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
  Result<std::string> body = Decompress(row.Blob(15));
  Result<std::string> raw = Decompress(row.Blob(16));
  if (!raw.ok() || !body.ok())
    return Status::Database("message " + std::to_string(out->id) + ": stored data is damaged");
  out->body_text = std::move(body.value());
  out->raw = std::move(raw.value());
  return Status::Ok();
}

Status SqliteStore::ForEachMessage(const ExportFilter& filter,
                                   const std::function<Status(const StoredMessage&)>& visit) {
  Statement q(db_,
              "SELECT m.id, m.message_id, f.slug, l.name, m.thread_id, m.parent_id, m.date, m.from_name,"
              " COALESCE(a.address, ''), m.subject, m.language, m.source_format, m.envelope, m.structure, m.refs,"
              " m.body_text, r.data FROM messages m JOIN lists l ON l.id = m.list_id JOIN forums f ON f.id = l.forum_id"
              " LEFT JOIN addresses a ON a.id = m.address_id JOIN raw_messages r ON r.message = m.id"
              " WHERE (?1 = '' OR f.slug = ?1) AND (?2 = '' OR l.name = ?2) ORDER BY m.id");
  if (!q.status().ok()) return q.status();
  q.Bind(1, filter.forum).Bind(2, filter.list);
  StoredMessage message;
  while (q.Step()) {
    Status s = ReadMessage(q, &message);
    if (s.ok()) s = visit(message);
    if (!s.ok()) return s;
  }
  return q.status();
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& location, const StoreOptions& options) {
  std::string path = location;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.rfind("postgres", 0) == 0)
    return Status::InvalidArgument("PostgreSQL is not supported by this build yet; use a SQLite path");
  auto store = std::make_unique<SqliteStore>(path);
  Status s = store->Open(options);
  if (!s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace rt
