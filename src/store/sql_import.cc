// Import into any SQL backend: deduplication, people, incremental JWZ threading, and
// storing a message with its raw bytes, references, attachments and index terms.

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <set>

#include "archive/subject.h"
#include "people/address.h"
#include "store/sql_store.h"
#include "util/compression.h"

namespace rt {

namespace {

// A reply without references joins a same-subject thread only if that thread was
// active this recently: subjects like "Agenda" recur every month.
constexpr std::int64_t kSubjectWindowSeconds = 60 * 24 * 3600;
// Bounds the writer's address cache so memory stays flat on any archive.
constexpr std::size_t kMaxCachedAddresses = 200000;

std::string JoinRefs(const std::vector<std::string>& refs) {
  std::string out;
  for (const std::string& r : refs) {
    if (!out.empty()) out.push_back(' ');
    out += r;
  }
  return out;
}

// A message's text as its copies in other archives agree on it: pipermail's text archives
// replace attachments (HTML alternatives included) by notes after a "next part" line, and
// mbox writers and readers add or take away '>' before "From " lines.
std::string ComparableText(std::string_view text) {
  std::size_t scrubbed = text.find("\n-------------- next part --------------\n");
  if (scrubbed != std::string_view::npos) text = text.substr(0, scrubbed + 1);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size());
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size() - 1) + 1;
    std::string_view line = text.substr(start, end - start);
    std::size_t quotes = line.find_first_not_of('>');
    if (quotes != std::string_view::npos && quotes > 0 && line.substr(quotes, 5) == "From ") line.remove_prefix(quotes);
    out += line;
    start = end;
  }
  return out;
}

}  // namespace

Result<std::int64_t> SqlStore::ListId(const std::string& forum, const std::string& list) {
  std::string key = forum + '/' + list;
  if (auto it = list_ids_.find(key); it != list_ids_.end()) return it->second;
  SqlStatement& f = Sql("INSERT INTO forums (slug, name) VALUES (?1, ?1) ON CONFLICT (slug) DO NOTHING");
  Status s = f.Bind(1, forum).Run();
  if (!s.ok()) return s;
  SqlStatement& l = Sql("INSERT INTO lists (forum_id, name) SELECT id, ?2 FROM forums WHERE slug = ?1 "
                     "ON CONFLICT (forum_id, name) DO NOTHING");
  s = l.Bind(1, forum).Bind(2, list).Run();
  if (!s.ok()) return s;
  SqlStatement& q = Sql("SELECT l.id FROM lists l JOIN forums f ON f.id = l.forum_id WHERE f.slug = ?1 AND l.name = ?2");
  q.Bind(1, forum).Bind(2, list);
  if (!q.Step()) return Status::Database("cannot create list " + key);
  std::int64_t id = q.Int(0);
  // A statement left on a row holds its read snapshot, and with it every WAL checkpoint.
  q.Reset();
  list_ids_[key] = id;
  return id;
}

Result<std::optional<std::int64_t>> SqlStore::AddressId(const ParsedMessage& m, const StakeholderRules& rules) {
  if (m.from_address.empty()) return std::optional<std::int64_t>();
  if (auto it = address_ids_.find(m.from_address); it != address_ids_.end()) return std::optional(it->second);
  if (address_ids_.size() > kMaxCachedAddresses) address_ids_.clear();
  SqlStatement& find = Sql("SELECT id FROM addresses WHERE address = ?1");
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
    SqlStatement& same = Sql("SELECT person_id, address FROM addresses WHERE display_name = ?1 LIMIT 50");
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
    SqlStatement& add =
        Sql("INSERT INTO people (display_name, stakeholder_group, affiliation) VALUES (?1, ?2, ?3) RETURNING id");
    Result<std::int64_t> id = ReturnedId(add.Bind(1, m.from_name).Bind(2, group.group).Bind(3, group.affiliation));
    if (!id.ok()) return id.status();
    person = id.value();
  }
  SqlStatement& add = Sql("INSERT INTO addresses (address, person_id, display_name) VALUES (?1, ?2, ?3) RETURNING id");
  Result<std::int64_t> id = ReturnedId(add.Bind(1, m.from_address).Bind(2, person).Bind(3, m.from_name));
  if (!id.ok()) return id.status();
  address_ids_[m.from_address] = id.value();
  return std::optional(id.value());
}

Result<std::string> SqlStore::ChooseList(const ImportTarget& target, const ImportItem& item) {
  const ParsedMessage& m = *item.parsed;
  if (!target.list.empty()) return target.list;
  // A pipermail archive takes its list from its first message that names one itself;
  // never from where the database holds a message, so a re-run after an interruption
  // chooses as the first run did.
  std::string archive = item.raw.format == SourceFormat::kPipermailText ? item.raw.source
                        : item.raw.format == SourceFormat::kPipermailHtml
                            ? std::filesystem::path(item.raw.source).parent_path().string()
                            : std::string();
  const std::string& named = !m.list_hint.empty() ? m.list_hint : m.list_tag;
  if (!archive.empty() && !named.empty()) pipermail_lists_.emplace(archive, named);
  if (!m.list_hint.empty()) return m.list_hint;

  auto first_row = [&](SqlStatement& q) {
    std::string list = q.Step() ? q.Text(0) : std::string();
    q.Reset();
    return list;
  };
  // Already in the forum (a re-import): its exact bytes first, as a Message-ID may be reused.
  std::string list;
  if (m.message_id.empty()) {
    SqlStatement& q = Sql("SELECT l.name FROM lists l JOIN forums f ON f.id = l.forum_id JOIN messages m"
                          " ON m.list_id = l.id AND m.dedup_key = ?2 WHERE f.slug = ?1 LIMIT 1");
    q.Bind(1, target.forum).Bind(2, HashKey(item.raw_hash));
    list = first_row(q);
  } else {
    // The first with this Message-ID in each list, or these bytes stored under a reused one.
    SqlStatement& q = Sql("SELECT l.name FROM lists l JOIN forums f ON f.id = l.forum_id JOIN messages m"
                          " ON m.list_id = l.id AND m.dedup_key IN (?2, ?4) WHERE f.slug = ?1"
                          " ORDER BY m.raw_hash = ?3 DESC, m.id LIMIT 1");
    q.Bind(1, target.forum).Bind(2, IdKey(m.message_id)).Bind(3, item.raw_hash).Bind(4, HashKey(item.raw_hash));
    list = first_row(q);
  }
  // A reply joins the list of the message it answers (stored first, if in several lists).
  // The first is chosen here, not by ORDER BY m.id LIMIT 1, which PostgreSQL may plan as a
  // walk of the whole primary key; there is a row per list at most.
  for (auto ref = m.references.rbegin(); list.empty() && ref != m.references.rend(); ++ref) {
    SqlStatement& q = Sql("SELECT l.name, m.id FROM lists l JOIN forums f ON f.id = l.forum_id JOIN messages m"
                          " ON m.list_id = l.id AND m.dedup_key = ?2 WHERE f.slug = ?1");
    q.Bind(1, target.forum).Bind(2, IdKey(*ref));
    std::int64_t first = 0;
    while (q.Step()) {
      if (first == 0 || q.Int(1) < first) {
        first = q.Int(1);
        list = q.Text(0);
      }
    }
    q.Reset();
  }
  if (!list.empty()) return list;
  if (auto known = pipermail_lists_.find(archive); !archive.empty() && known != pipermail_lists_.end())
    return known->second;
  return !m.list_tag.empty() ? m.list_tag : std::string("unsorted");
}

Result<std::string> SqlStore::DedupKey(std::int64_t list_id, const ImportItem& item, std::int64_t address_id) {
  const ParsedMessage& m = *item.parsed;
  std::string hash_key = HashKey(item.raw_hash);
  auto exists = [&](const std::string& key) {
    SqlStatement& q = Sql("SELECT 1 FROM messages WHERE list_id = ?1 AND dedup_key = ?2");
    q.Bind(1, list_id).Bind(2, key);
    bool found = q.Step();
    q.Reset();
    return found;
  };
  if (m.message_id.empty()) return exists(hash_key) ? std::string() : hash_key;
  std::string id_key = IdKey(m.message_id);
  SqlStatement& q = Sql("SELECT raw_hash, date, subject, address_id, body_text FROM messages"
                     " WHERE list_id = ?1 AND dedup_key = ?2");
  q.Bind(1, list_id).Bind(2, id_key);
  if (!q.Step()) return id_key;
  // The same Message-ID with other bytes: the same message delivered twice (other
  // Received lines), or the list's mbox and its pipermail copy, if date, subject, sender
  // and text agree; otherwise a reused ID.
  bool same = q.Text(0) == item.raw_hash;
  if (!same && q.Int(1) == m.date.value_or(0) && q.Text(2) == m.subject && q.Int(3) == address_id) {
    Result<std::string> body = Unpack(q.Blob(4));
    // A damaged text cannot match; failing to read it (the database, a missing
    // dictionary) must not store the message a second time.
    if (!body.ok() && body.status().code() != Status::Code::kBadFormat) {
      q.Reset();
      return body.status();
    }
    // The importer keeps only the compressed text of a message waiting to be written.
    Result<std::string> text = Unpack(m.body_text_z);
    if (!text.ok()) {
      q.Reset();
      return text.status();
    }
    same = body.ok() && ComparableText(body.value()) == ComparableText(text.value());
  }
  q.Reset();
  if (same) return std::string();
  return exists(hash_key) ? std::string() : hash_key;
}

Status SqlStore::MergeThreads(std::int64_t into, std::int64_t from) {
  SqlStatement& move = Sql("UPDATE messages SET thread_id = ?1 WHERE thread_id = ?2");
  Status s = move.Bind(1, into).Bind(2, from).Run();
  if (!s.ok()) return s;
  SqlStatement& sum = Sql(
      "UPDATE threads SET message_count = message_count + (SELECT message_count FROM threads WHERE id = ?2),"
      " subject = CASE WHEN (SELECT first_date FROM threads WHERE id = ?2) < first_date"
      "   THEN (SELECT subject FROM threads WHERE id = ?2) ELSE subject END,"
      " first_date = least(first_date, (SELECT first_date FROM threads WHERE id = ?2)),"
      " last_date = greatest(last_date, (SELECT last_date FROM threads WHERE id = ?2)),"
      " rooted_in_reply = 0 WHERE id = ?1");
  s = sum.Bind(1, into).Bind(2, from).Run();
  if (!s.ok()) return s;
  SqlStatement& drop = Sql("DELETE FROM threads WHERE id = ?1");
  return drop.Bind(1, from).Run();
}

Result<SqlStore::Placement> SqlStore::PlaceInThread(std::int64_t list_id, const ParsedMessage& m,
                                                         std::int64_t date) {
  Placement place;
  std::set<std::int64_t> threads;
  std::vector<const std::string*> missing;  // references no stored message answers
  // The nearest existing ancestor named in References is the parent (JWZ skips the
  // missing ones); every thread the references touch becomes one.
  for (auto r = m.references.rbegin(); r != m.references.rend(); ++r) {
    // Of messages sharing a reused Message-ID, the first stored (IdKey).
    SqlStatement& q = Sql("SELECT id, thread_id FROM messages WHERE list_id = ?1 AND dedup_key = ?2");
    q.Bind(1, list_id).Bind(2, IdKey(*r));
    std::int64_t first = 0, thread = 0;
    if (q.Step()) {
      first = q.Int(0);
      thread = q.Int(1);
    }
    Status s = q.status();
    q.Reset();
    if (!s.ok()) return s;
    if (first == 0) {
      missing.push_back(&*r);
      continue;
    }
    if (place.parent_id == 0) place.parent_id = first;
    threads.insert(thread);
  }
  // Messages naming the same missing references, or this message, share its thread.
  // This function keeps every message and all messages naming its Message-ID or sharing
  // a reference in one thread, so one row per name suffices, and a reference answered
  // above needs no second look (a reply usually names only stored messages).
  auto linked = [&](const std::string& ref) {
    SqlStatement& q = Sql("SELECT m.thread_id FROM message_refs r JOIN messages m ON m.id = r.message"
                       " WHERE r.ref = ?1 AND m.list_id = ?2 LIMIT 1");
    q.Bind(1, ref).Bind(2, list_id);
    if (q.Step()) threads.insert(q.Int(0));
    q.Reset();
  };
  for (const std::string* r : missing) linked(*r);
  if (!m.message_id.empty()) linked(m.message_id);

  std::string base = BaseSubject(m.subject);
  bool reply = IsReplySubject(m.subject);
  if (threads.empty() && m.references.empty() && !base.empty()) {
    SqlStatement& q = Sql(reply ? "SELECT id FROM threads WHERE list_id = ?1 AND base_subject = ?2"
                               " AND last_date >= ?3 - ?4 AND first_date <= ?3 + ?4 ORDER BY last_date DESC LIMIT 1"
                             : "SELECT id FROM threads WHERE list_id = ?1 AND base_subject = ?2"
                               " AND rooted_in_reply = 1 AND first_date >= ?3 AND first_date <= ?3 + ?4 LIMIT 1");
    q.Bind(1, list_id).Bind(2, base).Bind(3, date).Bind(4, kSubjectWindowSeconds);
    if (q.Step()) threads.insert(q.Int(0));
    q.Reset();
    if (!threads.empty() && reply) {
      SqlStatement& root = Sql("SELECT id FROM messages WHERE thread_id = ?1 ORDER BY date LIMIT 1");
      root.Bind(1, *threads.begin());
      if (root.Step()) place.parent_id = root.Int(0);
      root.Reset();
    }
  }
  if (threads.empty()) {
    SqlStatement& add = Sql("INSERT INTO threads (list_id, subject, base_subject, rooted_in_reply, first_date,"
                            " last_date, message_count) VALUES (?1, ?2, ?3, ?4, ?5, ?5, 0) RETURNING id");
    Result<std::int64_t> id =
        ReturnedId(add.Bind(1, list_id).Bind(2, m.subject).Bind(3, base).Bind(4, reply && m.references.empty()).Bind(5, date));
    if (!id.ok()) return id.status();
    place.thread_id = id.value();
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
Status SqlStore::AdoptOrphans(std::int64_t list_id, std::int64_t id, const std::string& message_id,
                                 std::int64_t thread_id, bool is_original) {
  if (message_id.empty()) return Status::Ok();
  SqlStatement& q = Sql("SELECT m.id, m.refs, COALESCE(p.message_id, '') FROM message_refs r"
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
    SqlStatement& u = Sql("UPDATE messages SET parent_id = ?1 WHERE id = ?2");
    s = u.Bind(1, id).Bind(2, child).Run();
    if (!s.ok()) return s;
  }
  // An original (a root itself) arriving after same-subject replies becomes their root.
  if (!is_original) return Status::Ok();
  SqlStatement& roots = Sql("UPDATE messages SET parent_id = ?1 WHERE thread_id = ?2 AND parent_id IS NULL AND id <> ?1"
                         " AND refs = '' AND (SELECT refs FROM messages WHERE id = ?1) = ''"
                         " AND (SELECT parent_id FROM messages WHERE id = ?1) IS NULL"
                         " AND date >= (SELECT date FROM messages WHERE id = ?1)");
  return roots.Bind(1, id).Bind(2, thread_id).Run();
}

bool SqlStore::IsAncestor(std::int64_t candidate, std::int64_t of) {
  std::int64_t at = of;
  // Bounded: a corrupt chain must not loop forever.
  for (int steps = 0; steps < 100000 && at != 0; ++steps) {
    if (at == candidate) return true;
    SqlStatement& up = Sql("SELECT COALESCE(parent_id, 0) FROM messages WHERE id = ?1");
    up.Bind(1, at);
    at = up.Step() ? up.Int(0) : 0;
    up.Reset();
  }
  return false;
}

Result<std::int64_t> SqlStore::StoreMessage(std::int64_t list_id, ImportItem& item, std::int64_t address_id,
                                               const std::string& key) {
  ParsedMessage& m = *item.parsed;
  std::int64_t date = m.date.value_or(0);
  Result<Placement> place = PlaceInThread(list_id, m, date);
  if (!place.ok()) return place.status();
  SqlStatement& ins = Sql(
      "INSERT INTO messages (list_id, thread_id, parent_id, dedup_key, message_id, refs, date, address_id, from_name,"
      " subject, language, source_format, envelope, raw_size, raw_hash, structure, body_text, body_html, warnings)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
      " RETURNING id");
  ins.Bind(1, list_id).Bind(2, place.value().thread_id);
  if (place.value().parent_id) ins.Bind(3, place.value().parent_id);
  ins.Bind(4, key).Bind(5, m.message_id).Bind(6, JoinRefs(m.references)).Bind(7, date);
  if (address_id) ins.Bind(8, address_id);
  std::string warnings;
  for (const std::string& w : m.warnings) warnings += (warnings.empty() ? "" : "; ") + w;
  ins.Bind(9, m.from_name).Bind(10, m.subject).Bind(11, m.language).Bind(12, SourceFormatName(item.raw.format));
  ins.Bind(13, item.raw.envelope).Bind(14, static_cast<std::int64_t>(item.raw_size)).Bind(15, item.raw_hash);
  ins.Bind(16, m.structure).BindBlob(17, m.body_text_z);
  if (!m.body_html_z.empty()) ins.BindBlob(18, m.body_html_z);
  ins.Bind(19, warnings);
  Result<std::int64_t> inserted = ReturnedId(ins);
  if (!inserted.ok()) return inserted.status();
  std::int64_t id = inserted.value();

  SqlStatement& month = Sql("INSERT INTO message_months (month, min_id, max_id) VALUES (?1, ?2, ?2) ON CONFLICT (month)"
                         " DO UPDATE SET min_id = least(message_months.min_id, ?2), max_id = greatest(message_months.max_id, ?2)");
  // Writes whose answers nothing needs go without waiting (RunLater); whatever reads next
  // on the connection waits for them first, so it sees them.
  Status s = month.Bind(1, MonthOf(date)).Bind(2, id).RunLater();
  if (!s.ok()) return s;
  SqlStatement& raw = Sql("INSERT INTO raw_messages (message, data) VALUES (?1, ?2)");
  s = raw.Bind(1, id).BindBlob(2, item.compressed_raw).RunLater();
  if (!s.ok()) return s;
  for (const std::string& r : m.references) {
    SqlStatement& ref = Sql("INSERT INTO message_refs (ref, message) VALUES (?1, ?2)");
    s = ref.Bind(1, r).Bind(2, id).RunLater();
    if (!s.ok()) return s;
  }
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    const ParsedAttachment& a = m.attachments[i];
    SqlStatement& blob = Sql("INSERT INTO attachment_blobs (hash, size, data) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    s = blob.Bind(1, a.hash).Bind(2, static_cast<std::int64_t>(a.size)).BindBlob(3, a.compressed).RunLater();
    if (!s.ok()) return s;
    SqlStatement& att = Sql("INSERT INTO attachments (message, position, filename, content_type, hash)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)");
    s = att.Bind(1, id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, a.filename).Bind(4, a.content_type).Bind(5, a.hash).RunLater();
    if (!s.ok()) return s;
  }
  SqlStatement& thread = Sql(
      "UPDATE threads SET message_count = message_count + 1,"
      " subject = CASE WHEN ?2 < first_date OR message_count = 0 THEN ?3 ELSE subject END,"
      " first_date = CASE WHEN message_count = 0 THEN ?2 ELSE least(first_date, ?2) END,"
      " last_date = CASE WHEN message_count = 0 THEN ?2 ELSE greatest(last_date, ?2) END WHERE id = ?1");
  s = thread.Bind(1, place.value().thread_id).Bind(2, date).Bind(3, m.subject).RunLater();
  if (!s.ok()) return s;
  s = AdoptOrphans(list_id, id, m.message_id, place.value().thread_id,
                   place.value().parent_id == 0 && !IsReplySubject(m.subject));
  if (!s.ok()) return s;
  return id;
}

Status SqlStore::IndexStored(const UnindexedMessages& messages) {
  for (const auto& [id, m] : messages) {
    Status s = IndexMessage(id, m->subject_terms, m->body_terms);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status SqlStore::Quarantine(const ImportItem& item, ImportCounts* counts) {
  SqlStatement& q = Sql("INSERT INTO quarantine (source, position, reason, raw_hash, data, created_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (raw_hash) DO NOTHING");
  Status s = q.Bind(1, item.raw.source)
                 .Bind(2, static_cast<std::int64_t>(item.raw.offset))
                 .Bind(3, item.quarantine_reason)
                 .Bind(4, item.raw_hash)
                 .BindBlob(5, item.compressed_raw)
                 .Bind(6, static_cast<std::int64_t>(time(nullptr)))
                 .Run();
  if (!s.ok()) return s;
  if (q.Changes() == 1) ++counts->quarantined;
  else ++counts->duplicates;
  return Status::Ok();
}

Status SqlStore::WriteBatch(std::vector<ImportItem>& items, const ImportTarget& target, ImportCounts* counts) {
  static const StakeholderRules kDefaults = StakeholderRules::Defaults();
  const StakeholderRules& rules = target.rules ? *target.rules : kDefaults;
  ImportCounts batch;
  auto store_all = [&]() -> Status {
    UnindexedMessages stored_messages;
    for (ImportItem& item : items) {
      if (!item.parsed) {
        Status q = Quarantine(item, &batch);
        if (!q.ok()) return q;
        continue;
      }
      const ParsedMessage& m = *item.parsed;
      Result<std::string> list = ChooseList(target, item);
      if (!list.ok()) return list.status();
      Result<std::int64_t> list_id = ListId(target.forum, list.value());
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
      stored_messages.emplace_back(stored.value(), &m);
      ++batch.imported;
    }
    return IndexStored(stored_messages);
  };
  Status s = InTransaction(TransactionKind::kArchiveWrite, "storing messages", store_all);
  if (!s.ok()) return s;
  counts->imported += batch.imported;
  counts->duplicates += batch.duplicates;
  counts->quarantined += batch.quarantined;
  return Status::Ok();
}

}  // namespace rt
