// The readers' views of the SQLite archive (archive_views.h): what the web pages and
// the API show. Every statement is reset before returning, so a long-lived server
// connection never holds a read snapshot (which would pin old data and stall the WAL).

#include <limits>
#include <map>

#include "archive/reply_tree.h"
#include "store/sql_store.h"
#include "util/compression.h"

namespace rt {

namespace {

// A start cursor means "before everything": the newest row first.
std::pair<std::int64_t, std::int64_t> CursorBounds(const Cursor& after) {
  if (after.IsStart()) return {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max()};
  return {after.date, after.id};
}

constexpr const char* kThreadColumns =
    "SELECT t.id, f.slug, l.name, t.subject, t.first_date, t.last_date, t.message_count,"
    " (SELECT count(DISTINCT COALESCE('a' || address_id, 'n' || from_name)) FROM messages WHERE thread_id = t.id),"
    " (SELECT COALESCE(NULLIF(m.from_name, ''), a.address, '') FROM messages m"
    "  LEFT JOIN addresses a ON a.id = m.address_id WHERE m.thread_id = t.id ORDER BY m.date, m.id LIMIT 1)"
    " FROM threads t JOIN lists l ON l.id = t.list_id JOIN forums f ON f.id = l.forum_id";

constexpr const char* kForumColumns =
    "SELECT f.id, f.slug, f.name, count(DISTINCT l.id), count(t.id), COALESCE(sum(t.message_count), 0),"
    " COALESCE(max(t.last_date), 0) FROM forums f LEFT JOIN lists l ON l.forum_id = f.id"
    " LEFT JOIN threads t ON t.list_id = l.id AND t.message_count > 0";
constexpr const char* kListColumns =
    "SELECT l.id, f.slug, l.name, count(t.id), COALESCE(sum(t.message_count), 0), COALESCE(min(t.first_date), 0),"
    " COALESCE(max(t.last_date), 0), l.address, l.description, l.moderated FROM lists l JOIN forums f ON f.id = l.forum_id"
    " LEFT JOIN threads t ON t.list_id = l.id AND t.message_count > 0";

Result<std::vector<ForumInfo>> ReadForums(SqlStatement& q) {
  std::vector<ForumInfo> forums;
  while (q.Step()) forums.push_back({q.Int(0), q.Text(1), q.Text(2), q.Int(3), q.Int(4), q.Int(5), q.Int(6)});
  if (!q.status().ok()) return q.status();
  return forums;
}

Result<std::vector<ListInfo>> ReadLists(SqlStatement& q) {
  std::vector<ListInfo> lists;
  while (q.Step())
    lists.push_back({q.Int(0), q.Text(1), q.Text(2), q.Int(3), q.Int(4), q.Int(5), q.Int(6), q.Text(7), q.Text(8),
                     q.Int(9) != 0});
  if (!q.status().ok()) return q.status();
  return lists;
}

}  // namespace

Result<std::vector<ForumInfo>> SqlStore::Forums() {
  static const std::string sql = std::string(kForumColumns) + " GROUP BY f.id ORDER BY f.slug";
  Scoped q(Sql(sql.c_str()));
  return ReadForums(*q);
}

Result<ForumInfo> SqlStore::Forum(const std::string& slug) {
  static const std::string sql = std::string(kForumColumns) + " WHERE f.slug = ?1 GROUP BY f.id";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, slug);
  Result<std::vector<ForumInfo>> rows = ReadForums(*q);
  if (!rows.ok()) return rows.status();
  if (rows.value().empty()) return Status::NotFound("there is no forum \"" + slug + "\"");
  return std::move(rows.value().front());
}

Result<std::vector<ListInfo>> SqlStore::Lists(const std::string& forum) {
  std::vector<ListInfo> lists;
  {
    static const std::string sql = std::string(kListColumns) + " WHERE f.slug = ?1 GROUP BY l.id, f.slug ORDER BY l.name";
    Scoped q(Sql(sql.c_str()));
    q->Bind(1, forum);
    Result<std::vector<ListInfo>> rows = ReadLists(*q);
    if (!rows.ok()) return rows.status();
    lists = std::move(rows.value());
  }
  if (lists.empty()) {
    Result<ForumInfo> f = Forum(forum);  // a forum without lists, or none at all
    if (!f.ok()) return f.status();
  }
  return lists;
}

Result<ListInfo> SqlStore::List(const std::string& forum, const std::string& list) {
  static const std::string sql = std::string(kListColumns) + " WHERE f.slug = ?1 AND l.name = ?2 GROUP BY l.id, f.slug";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, forum).Bind(2, list);
  Result<std::vector<ListInfo>> rows = ReadLists(*q);
  if (!rows.ok()) return rows.status();
  if (rows.value().empty()) return Status::NotFound("forum \"" + forum + "\" has no list \"" + list + "\"");
  return std::move(rows.value().front());
}

Result<ListInfo> SqlStore::ListById(std::int64_t id) {
  static const std::string sql = std::string(kListColumns) + " WHERE l.id = ?1 GROUP BY l.id, f.slug";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, id);
  Result<std::vector<ListInfo>> rows = ReadLists(*q);
  if (!rows.ok()) return rows.status();
  if (rows.value().empty()) return Status::NotFound("there is no list " + std::to_string(id));
  return std::move(rows.value().front());
}

Result<ListInfo> SqlStore::ListByAddress(const std::string& address) {
  static const std::string sql = std::string(kListColumns) + " WHERE lower(l.address) = lower(?1) GROUP BY l.id, f.slug";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, address);
  Result<std::vector<ListInfo>> rows = ReadLists(*q);
  if (!rows.ok()) return rows.status();
  if (rows.value().empty()) return Status::NotFound("no list posts at " + address);
  return std::move(rows.value().front());
}

Result<std::vector<ThreadInfo>> SqlStore::ReadThreads(SqlStatement& rows) {
  std::vector<ThreadInfo> threads;
  while (rows.Step())
    threads.push_back({rows.Int(0), rows.Text(1), rows.Text(2), rows.Text(3), rows.Int(4), rows.Int(5),
                       rows.Int(6), rows.Int(7), rows.Text(8)});
  if (!rows.status().ok()) return rows.status();
  return threads;
}

Result<std::vector<ThreadInfo>> SqlStore::ListThreads(const std::string& forum, const std::string& list,
                                                         const Cursor& after, int limit) {
  Result<std::int64_t> list_id = FindListId(forum, list);
  if (!list_id.ok()) return list_id.status();
  static const std::string sql = std::string(kThreadColumns) +
      " WHERE t.list_id = ?1 AND t.message_count > 0 AND (t.last_date, t.id) < (?2, ?3)"
      " ORDER BY t.last_date DESC, t.id DESC LIMIT ?4";
  Scoped q(Sql(sql.c_str()));
  auto [date, id] = CursorBounds(after);
  q->Bind(1, list_id.value()).Bind(2, date).Bind(3, id).Bind(4, std::max(0, limit));
  return ReadThreads(*q);
}

Result<std::int64_t> SqlStore::FindListId(const std::string& forum, const std::string& list) {
  Scoped find(Sql("SELECT l.id FROM lists l JOIN forums f ON f.id = l.forum_id WHERE f.slug = ?1 AND l.name = ?2"));
  find->Bind(1, forum).Bind(2, list);
  if (find->Step()) return find->Int(0);
  if (!find->status().ok()) return find->status();
  return Status::NotFound("forum \"" + forum + "\" has no list \"" + list + "\"");
}

Result<ThreadInfo> SqlStore::ThreadSummary(std::int64_t thread_id) {
  static const std::string sql = std::string(kThreadColumns) + " WHERE t.id = ?1 AND t.message_count > 0";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, thread_id);
  Result<std::vector<ThreadInfo>> rows = ReadThreads(*q);
  if (!rows.ok()) return rows.status();
  if (rows.value().empty()) return Status::NotFound("there is no thread " + std::to_string(thread_id));
  return std::move(rows.value().front());
}

namespace {

constexpr const char* kMessageColumns =
    "SELECT m.id, m.message_id, f.slug, l.name, m.thread_id, COALESCE(m.parent_id, 0), m.date, m.from_name,"
    " COALESCE(a.address, ''), COALESCE(a.person_id, 0),"
    // What the author declared on their account wins over what the rules guessed.
    " COALESCE(NULLIF(u.stakeholder_group, 'unknown'), p.stakeholder_group, 'unknown'),"
    " COALESCE(NULLIF(u.affiliation, ''), p.affiliation, ''), m.subject, m.structure, m.refs,"
    " CASE WHEN ?2 = 1 THEN m.body_text END, COALESCE(u.group_verified, 0), m.source_format,"
    " (SELECT count(*) FROM message_edits e WHERE e.message = m.id)"
    " FROM messages m JOIN lists l ON l.id = m.list_id JOIN forums f ON f.id = l.forum_id"
    " LEFT JOIN addresses a ON a.id = m.address_id LEFT JOIN people p ON p.id = a.person_id"
    " LEFT JOIN users u ON u.id = (SELECT id FROM users WHERE person_id = a.person_id AND deleted_at IS NULL LIMIT 1)";

Status ReadMessageView(SqlStore& store, SqlStatement& row, MessageView* out) {
  out->id = row.Int(0);
  out->message_id = row.Text(1);
  out->forum = row.Text(2);
  out->list = row.Text(3);
  out->thread_id = row.Int(4);
  out->parent_id = row.Int(5);
  out->date = row.Int(6);
  out->from_name = row.Text(7);
  out->from_address = row.Text(8);
  out->person_id = row.Int(9);
  out->stakeholder_group = row.Text(10);
  out->affiliation = row.Text(11);
  out->subject = row.Text(12);
  out->structure = row.Text(13);
  out->references = SplitRefs(row.Text(14));
  out->group_verified = row.Int(16) != 0;
  out->source_format = row.Text(17);
  out->edits = static_cast<int>(row.Int(18));
  if (row.IsNull(15)) return Status::Ok();
  Result<std::string> body = store.Unpack(row.Blob(15));
  if (!body.ok())
    return Status::Database("message " + std::to_string(out->id) + ": stored text is damaged: " + body.status().message());
  out->body_text = std::move(body.value());
  return Status::Ok();
}

}  // namespace

Result<std::vector<MessageView>> SqlStore::ThreadMessages(std::int64_t thread_id, bool with_bodies) {
  static const std::string sql = std::string(kMessageColumns) + " WHERE m.thread_id = ?1 ORDER BY m.date, m.id";
  std::vector<MessageView> by_date;
  {
    Scoped q(Sql(sql.c_str()));
    q->Bind(1, thread_id).Bind(2, with_bodies ? 1 : 0);
    while (q->Step()) {
      Status s = ReadMessageView(*this, *q, &by_date.emplace_back());
      if (!s.ok()) return s;
    }
    if (!q->status().ok()) return q->status();
  }
  if (by_date.empty()) return Status::NotFound("there is no thread " + std::to_string(thread_id));
  if (with_bodies) {
    std::map<std::int64_t, MessageView*> by_id;
    for (MessageView& m : by_date) by_id[m.id] = &m;
    Scoped q(Sql("SELECT a.message, a.position, a.filename, a.content_type, b.size FROM attachments a"
                 " JOIN attachment_blobs b ON b.hash = a.hash"
                 " WHERE a.message IN (SELECT id FROM messages WHERE thread_id = ?1) ORDER BY a.message, a.position"));
    q->Bind(1, thread_id);
    while (q->Step())
      if (auto it = by_id.find(q->Int(0)); it != by_id.end())
        it->second->attachments.push_back({static_cast<int>(q->Int(1)), q->Text(2), q->Text(3), q->Int(4)});
    if (!q->status().ok()) return q->status();
  }
  return InReplyTreeOrder(std::move(by_date));
}

Status SqlStore::ReadAttachments(MessageView* message) {
  Scoped q(Sql("SELECT a.position, a.filename, a.content_type, b.size FROM attachments a"
               " JOIN attachment_blobs b ON b.hash = a.hash WHERE a.message = ?1 ORDER BY a.position"));
  q->Bind(1, message->id);
  while (q->Step())
    message->attachments.push_back({static_cast<int>(q->Int(0)), q->Text(1), q->Text(2), q->Int(3)});
  return q->status();
}

Result<MessageView> SqlStore::Message(std::int64_t id) {
  static const std::string sql = std::string(kMessageColumns) + " WHERE m.id = ?1";
  MessageView message;
  {
    Scoped q(Sql(sql.c_str()));
    q->Bind(1, id).Bind(2, 1);
    if (!q->Step()) {
      if (!q->status().ok()) return q->status();
      return Status::NotFound("there is no message " + std::to_string(id));
    }
    Status s = ReadMessageView(*this, *q, &message);
    if (!s.ok()) return s;
  }
  Status s = ReadAttachments(&message);
  if (!s.ok()) return s;
  return message;
}

Result<std::int64_t> SqlStore::FindMessage(const std::string& message_id) {
  std::string id = message_id;
  if (!id.empty() && id.front() == '<') id.erase(0, 1);
  if (!id.empty() && id.back() == '>') id.pop_back();
  // Per list through the (list_id, dedup_key) index the importer keeps anyway: lists
  // are few, and an index on message_id would slow every import. The first stored is
  // chosen here, not by ORDER BY id LIMIT 1, which PostgreSQL may plan as a walk of the
  // whole primary key; there is a row per list at most.
  Scoped q(Sql("SELECT id FROM messages WHERE list_id IN (SELECT id FROM lists) AND dedup_key = ?1"));
  q->Bind(1, IdKey(id));
  std::int64_t first = 0;
  while (q->Step())
    if (first == 0 || q->Int(0) < first) first = q->Int(0);
  if (!q->status().ok()) return q->status();
  if (first != 0) return first;
  return Status::NotFound("no message has the Message-ID <" + id + ">");
}

Result<std::string> SqlStore::RawMessage(std::int64_t id) {
  Scoped q(Sql("SELECT data FROM raw_messages WHERE message = ?1"));
  q->Bind(1, id);
  if (!q->Step()) {
    if (!q->status().ok()) return q->status();
    return Status::NotFound("there is no message " + std::to_string(id));
  }
  Result<std::string> raw = Unpack(q->Blob(0));
  if (!raw.ok())
    return Status::Database("message " + std::to_string(id) + ": stored bytes are damaged: " + raw.status().message());
  return raw;
}

Result<AttachmentData> SqlStore::Attachment(std::int64_t message, int position) {
  Scoped q(Sql("SELECT a.filename, a.content_type, b.data FROM attachments a JOIN attachment_blobs b ON b.hash = a.hash"
               " WHERE a.message = ?1 AND a.position = ?2"));
  q->Bind(1, message).Bind(2, position);
  if (!q->Step()) {
    if (!q->status().ok()) return q->status();
    return Status::NotFound("message " + std::to_string(message) + " has no attachment " + std::to_string(position));
  }
  Result<std::string> data = Unpack(q->Blob(2));
  if (!data.ok())
    return Status::Database("an attachment of message " + std::to_string(message) + " is damaged: " + data.status().message());
  return AttachmentData{q->Text(0), q->Text(1), std::move(data.value())};
}

Result<PersonInfo> SqlStore::Person(std::int64_t id) {
  PersonInfo person;
  {
    Scoped q(Sql("SELECT id, display_name, stakeholder_group, affiliation FROM people WHERE id = ?1"));
    q->Bind(1, id);
    if (!q->Step()) {
      if (!q->status().ok()) return q->status();
      return Status::NotFound("there is no person " + std::to_string(id));
    }
    person.id = q->Int(0);
    person.display_name = q->Text(1);
    person.stakeholder_group = q->Text(2);
    person.affiliation = q->Text(3);
  }
  {
    Scoped q(Sql("SELECT address FROM addresses WHERE person_id = ?1 ORDER BY address"));
    q->Bind(1, id);
    while (q->Step()) person.addresses.push_back(q->Text(0));
    if (!q->status().ok()) return q->status();
  }
  Scoped q(Sql("SELECT f.slug, l.name, count(*), min(m.date), max(m.date) FROM addresses a"
               " JOIN messages m ON m.address_id = a.id JOIN lists l ON l.id = m.list_id"
               " JOIN forums f ON f.id = l.forum_id WHERE a.person_id = ?1 GROUP BY l.id, f.slug ORDER BY 3 DESC, 1, 2"));
  q->Bind(1, id);
  while (q->Step()) {
    person.lists.push_back({q->Text(0), q->Text(1), q->Int(2)});
    person.messages += q->Int(2);
    std::int64_t first = q->Int(3), last = q->Int(4);
    if (first && (!person.first_date || first < person.first_date)) person.first_date = first;
    person.last_date = std::max(person.last_date, last);
  }
  if (!q->status().ok()) return q->status();
  return person;
}

Result<std::vector<MessageSummary>> SqlStore::PersonMessages(std::int64_t person_id, const Cursor& after,
                                                                int limit) {
  Scoped q(Sql("SELECT m.id, m.message_id, f.slug, l.name, m.thread_id, m.date, m.subject FROM addresses a"
               " JOIN messages m ON m.address_id = a.id JOIN lists l ON l.id = m.list_id"
               " JOIN forums f ON f.id = l.forum_id WHERE a.person_id = ?1 AND (m.date, m.id) < (?2, ?3)"
               " ORDER BY m.date DESC, m.id DESC LIMIT ?4"));
  auto [date, id] = CursorBounds(after);
  q->Bind(1, person_id).Bind(2, date).Bind(3, id).Bind(4, std::max(0, limit));
  std::vector<MessageSummary> messages;
  while (q->Step())
    messages.push_back({q->Int(0), q->Text(1), q->Text(2), q->Text(3), q->Int(4), q->Int(5), q->Text(6)});
  if (!q->status().ok()) return q->status();
  return messages;
}

Result<ForumActivity> SqlStore::Activity(const std::string& forum, int top_threads) {
  Result<ForumInfo> f = Forum(forum);
  if (!f.ok()) return f.status();
  ForumActivity activity;
  auto monthly = [&](SqlStatement& q, std::vector<MonthlyCount>* out) {
    q.Bind(1, f.value().id);
    while (q.Step()) out->push_back({q.Text(0), q.Text(1), q.Int(2)});
    Status s = q.status();
    q.Reset();
    return s;
  };
  Status s = monthly(Sql("SELECT rt_month(m.date), l.name, count(*) FROM messages m"
                         " JOIN lists l ON l.id = m.list_id WHERE l.forum_id = ?1 AND m.date > 0"
                         " GROUP BY 1, 2 ORDER BY 1, 2"),
                     &activity.by_list);
  if (s.ok())
    s = monthly(Sql("SELECT rt_month(m.date), COALESCE(p.stakeholder_group, 'unknown'),"
                    " count(*) FROM messages m JOIN lists l ON l.id = m.list_id"
                    " LEFT JOIN addresses a ON a.id = m.address_id LEFT JOIN people p ON p.id = a.person_id"
                    " WHERE l.forum_id = ?1 AND m.date > 0 GROUP BY 1, 2 ORDER BY 1, 2"),
                &activity.by_group);
  if (!s.ok()) return s;
  static const std::string sql = std::string(kThreadColumns) +
      " WHERE l.forum_id = ?1 AND t.message_count > 0 ORDER BY t.message_count DESC, t.last_date DESC LIMIT ?2";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, f.value().id).Bind(2, std::max(0, top_threads));
  Result<std::vector<ThreadInfo>> top = ReadThreads(*q);
  if (!top.ok()) return top.status();
  activity.top_threads = std::move(top.value());
  return activity;
}

}  // namespace rt
