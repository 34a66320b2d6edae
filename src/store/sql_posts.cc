// Posts from the web and the mail gateway in SQLite: stored and queued in one
// transaction, or held for a moderator; the public moderation log.

#include "people/stakeholder_rules.h"
#include "store/sql_store.h"
#include "util/compression.h"

namespace rt {

Result<std::vector<PostOutcome>> SqlStore::Post(std::vector<NewPost>& posts) {
  static const StakeholderRules kRules = StakeholderRules::Defaults();
  std::vector<PostOutcome> outcomes;
  Status s = InTransaction(TransactionKind::kArchiveWrite, "storing posts", [&]() -> Status {
    UnindexedMessages stored_messages;
    for (NewPost& post : posts) {
      if (!post.item.parsed) return Status::InvalidArgument("a post must be a readable message");
      const ParsedMessage& m = *post.item.parsed;
      Result<std::int64_t> list_id = FindListId(post.forum, post.list);
      if (!list_id.ok()) return list_id.status();
      Result<std::optional<std::int64_t>> address = AddressId(m, kRules);
      if (!address.ok()) return address.status();
      std::int64_t address_id = address.value().value_or(0);
      Result<std::string> key = DedupKey(list_id.value(), post.item, address_id);
      if (!key.ok()) return key.status();
      PostOutcome outcome;
      if (key.value().empty()) {
        outcome.duplicate = true;
        Scoped find(Sql("SELECT id, thread_id FROM messages WHERE list_id = ?1 AND dedup_key IN (?2, ?3)"));
        find->Bind(1, list_id.value()).Bind(2, IdKey(m.message_id)).Bind(3, HashKey(post.item.raw_hash));
        if (find->Step()) {
          outcome.message = find->Int(0);
          outcome.thread = find->Int(1);
        }
        if (!find->status().ok()) return find->status();
        outcomes.push_back(outcome);
        continue;
      }
      Result<std::int64_t> stored = StoreMessage(list_id.value(), post.item, address_id, key.value());
      if (!stored.ok()) return stored.status();
      outcome.message = stored.value();
      stored_messages.emplace_back(outcome.message, &m);
      Status counted = RecordEvent(post.rate_event);
      if (!counted.ok()) return counted;
      {
        Scoped thread(Sql("SELECT thread_id FROM messages WHERE id = ?1"));
        thread->Bind(1, outcome.message);
        if (thread->Step()) outcome.thread = thread->Int(0);
        if (!thread->status().ok()) return thread->status();
      }
      Scoped queue(Sql("INSERT INTO outbound (kind, list_id, message, created_at) VALUES ('post', ?1, ?2, unixepoch())"
                       " RETURNING id"));
      Result<std::int64_t> queued = ReturnedId(queue->Bind(1, list_id.value()).Bind(2, outcome.message));
      if (!queued.ok()) return queued.status();
      Scoped deliveries(Sql("INSERT INTO deliveries (outbound_id, address, next_attempt_at)"
                            " SELECT ?1, address, unixepoch() FROM subscriptions"
                            " WHERE list_id = ?2 AND mode = 'each' AND disabled_at IS NULL"));
      Status s = deliveries->Bind(1, queued.value()).Bind(2, list_id.value()).Run();
      if (!s.ok()) return s;
      outcome.deliveries = deliveries->Changes();
      if (post.user_id) {
        // The account is now this person in the archive, if it was no one yet.
        Scoped user(Sql("UPDATE users SET approved_posts = approved_posts + 1,"
                        " person_id = COALESCE(person_id, (SELECT person_id FROM addresses WHERE id = ?2))"
                        " WHERE id = ?1"));
        s = user->Bind(1, post.user_id).Bind(2, address_id).Run();
        if (!s.ok()) return s;
      }
      outcomes.push_back(outcome);
    }
    return IndexStored(stored_messages);
  });
  if (!s.ok()) return s;
  return outcomes;
}

Status SqlStore::EditMessage(std::int64_t id, std::int64_t editor_id, const ParsedMessage& previous,
                               const ParsedMessage& edited, const ModerationEntry* moderation) {
  return InTransaction(TransactionKind::kArchiveWrite, "editing a post", [&]() -> Status {
    Scoped history(Sql("INSERT INTO message_edits (message, editor_id, edited_at, previous_subject, previous_text)"
                       " SELECT id, NULLIF(?2, 0), unixepoch(), subject, body_text FROM messages WHERE id = ?1"));
    Status s = history->Bind(1, id).Bind(2, editor_id).Run();
    if (!s.ok()) return s;
    if (history->Changes() == 0) return Status::NotFound("there is no message " + std::to_string(id));
    Scoped update(Sql("UPDATE messages SET subject = ?2, body_text = ?3, structure = ?4, language = ?5 WHERE id = ?1"));
    s = update->Bind(1, id)
            .Bind(2, edited.subject)
            .BindBlob(3, edited.body_text_z)
            .Bind(4, edited.structure)
            .Bind(5, edited.language)
            .Run();
    if (!s.ok()) return s;
    // The thread keeps the title its first post now has.
    Scoped title(Sql("UPDATE threads SET subject = ?2 WHERE id = (SELECT thread_id FROM messages WHERE id = ?1)"
                     " AND subject = ?3"));
    s = title->Bind(1, id).Bind(2, edited.subject).Bind(3, previous.subject).Run();
    if (!s.ok()) return s;
    s = UnindexMessage(id, previous.subject_terms, previous.body_terms);
    if (!s.ok()) return s;
    s = IndexMessage(id, edited.subject_terms, edited.body_terms);
    if (!s.ok() || !moderation) return s;
    return LogModeration(*moderation, editor_id);
  });
}

Result<std::vector<MessageVersion>> SqlStore::MessageHistory(std::int64_t id) {
  Scoped q(Sql("SELECT e.edited_at, COALESCE(NULLIF(u.display_name, ''), u.email, ''), e.previous_subject,"
               " e.previous_text FROM message_edits e LEFT JOIN users u ON u.id = e.editor_id"
               " WHERE e.message = ?1 ORDER BY e.id"));
  q->Bind(1, id);
  std::vector<MessageVersion> versions;
  while (q->Step()) {
    Result<std::string> text = Unpack(q->Blob(3));
    if (!text.ok())
      return Status::Database("message " + std::to_string(id) + ": a stored version is damaged: " + text.status().message());
    versions.push_back({q->Int(0), q->Text(1), q->Text(2), std::move(text.value())});
  }
  if (!q->status().ok()) return q->status();
  return versions;
}

Result<std::vector<std::int64_t>> SqlStore::Hold(const std::vector<HeldMessage>& held) {
  std::vector<std::int64_t> ids;
  Status s = InTransaction(TransactionKind::kArchiveWrite, "holding posts", [&]() -> Status {
    for (const HeldMessage& h : held) {
      Result<std::int64_t> list_id = FindListId(h.forum, h.list);
      if (!list_id.ok()) return list_id.status();
      Scoped add(Sql("INSERT INTO held_messages (list_id, user_id, sender, subject, message_id, raw, reason, source,"
                     " received_at) VALUES (?1, NULLIF(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, unixepoch())"
                     " ON CONFLICT (list_id, message_id) DO NOTHING"));
      Status w = add->Bind(1, list_id.value())
                     .Bind(2, h.user_id)
                     .Bind(3, h.sender)
                     .Bind(4, h.subject)
                     .Bind(5, h.message_id)
                     .BindBlob(6, Compress(h.raw))
                     .Bind(7, h.reason)
                     .Bind(8, h.source)
                     .Run();
      if (!w.ok()) return w;
      if (add->Changes() == 1) {
        w = RecordEvent(h.rate_event);
        if (!w.ok()) return w;
      }
      Scoped id(Sql("SELECT id FROM held_messages WHERE list_id = ?1 AND message_id = ?2"));
      id->Bind(1, list_id.value()).Bind(2, h.message_id);
      if (!id->Step()) return id->status().ok() ? Status::Internal("a held post vanished") : id->status();
      ids.push_back(id->Int(0));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return ids;
}

namespace {

constexpr const char* kHeldColumns =
    "SELECT h.id, f.slug, l.name, COALESCE(h.user_id, 0), h.sender, h.subject, h.message_id, h.raw, h.reason,"
    " h.source, h.received_at FROM held_messages h JOIN lists l ON l.id = h.list_id JOIN forums f ON f.id = l.forum_id";

Result<std::vector<HeldMessage>> ReadHeld(SqlStore& store, SqlStatement& q) {
  std::vector<HeldMessage> held;
  while (q.Step()) {
    Result<std::string> raw = store.Unpack(q.Blob(7));
    if (!raw.ok()) return raw.status();
    held.push_back({q.Int(0), q.Text(1), q.Text(2), q.Int(3), q.Text(4), q.Text(5), q.Text(6), std::move(raw.value()),
                    q.Text(8), q.Text(9), q.Int(10), {}});
  }
  if (!q.status().ok()) return q.status();
  return held;
}

}  // namespace

Result<std::vector<HeldMessage>> SqlStore::HeldMessages(const std::string& forum, const std::string& list) {
  static const std::string sql = std::string(kHeldColumns) + " WHERE f.slug = ?1 AND (?2 = '' OR l.name = ?2) ORDER BY h.id";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, forum).Bind(2, list);
  return ReadHeld(*this, *q);
}

Result<std::vector<std::string>> SqlStore::ModeratorAddresses(const std::string& forum, const std::string& list) {
  Scoped q(Sql("SELECT DISTINCT u.email FROM roles r JOIN users u ON u.id = r.user_id JOIN forums f ON f.id = r.forum_id"
               " LEFT JOIN lists l ON l.id = r.list_id WHERE f.slug = ?1 AND u.deleted_at IS NULL"
               " AND u.email_verified_at IS NOT NULL"
               " AND (r.role = 'secretariat' OR (r.role = 'moderator' AND l.name = ?2)) ORDER BY u.email"));
  q->Bind(1, forum).Bind(2, list);
  std::vector<std::string> addresses;
  while (q->Step()) addresses.push_back(q->Text(0));
  if (!q->status().ok()) return q->status();
  return addresses;
}

Result<HeldMessage> SqlStore::FindHeld(std::int64_t id) {
  static const std::string sql = std::string(kHeldColumns) + " WHERE h.id = ?1";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, id);
  Result<std::vector<HeldMessage>> held = ReadHeld(*this, *q);
  if (!held.ok()) return held.status();
  if (held.value().empty()) return Status::NotFound("no held post " + std::to_string(id) + " (already decided?)");
  return std::move(held.value().front());
}

Status SqlStore::ReleaseHeld(std::int64_t id, const ModerationEntry& decision, std::int64_t moderator_id) {
  return InTransaction(TransactionKind::kArchiveWrite, "deciding on a held post", [&]() -> Status {
    Scoped drop(Sql("DELETE FROM held_messages WHERE id = ?1"));
    Status s = drop->Bind(1, id).Run();
    if (!s.ok()) return s;
    // Two moderators deciding at once: the second finds nothing to decide.
    if (drop->Changes() == 0) return Status::NotFound("no held post " + std::to_string(id) + " (already decided?)");
    return LogModeration(decision, moderator_id);
  });
}

Status SqlStore::LogModeration(const ModerationEntry& entry, std::int64_t moderator_id) {
  Scoped add(Sql("INSERT INTO moderation_log (forum_id, list_id, moderator_id, action, subject, author, reason, at)"
                 " SELECT f.id, (SELECT l.id FROM lists l WHERE l.forum_id = f.id AND l.name = ?2), NULLIF(?3, 0), ?4,"
                 " ?5, ?6, ?7, unixepoch() FROM forums f WHERE f.slug = ?1"));
  Status s = add->Bind(1, entry.forum)
                 .Bind(2, entry.list)
                 .Bind(3, moderator_id)
                 .Bind(4, entry.action)
                 .Bind(5, entry.subject)
                 .Bind(6, entry.author)
                 .Bind(7, entry.reason)
                 .Run();
  if (!s.ok()) return s;
  if (add->Changes() == 0) return Status::NotFound("there is no forum \"" + entry.forum + "\"");
  return Status::Ok();
}

Result<std::vector<ModerationEntry>> SqlStore::ModerationLog(const std::string& forum, std::int64_t before,
                                                                int limit) {
  Scoped q(Sql("SELECT m.id, f.slug, COALESCE(l.name, ''), COALESCE(NULLIF(u.display_name, ''), u.email, ''), m.action,"
               " m.subject, m.author, m.reason, m.at FROM moderation_log m JOIN forums f ON f.id = m.forum_id"
               " LEFT JOIN lists l ON l.id = m.list_id LEFT JOIN users u ON u.id = m.moderator_id"
               " WHERE f.slug = ?1 AND (?2 = 0 OR m.id < ?2) ORDER BY m.id DESC LIMIT ?3"));
  q->Bind(1, forum).Bind(2, before).Bind(3, limit);
  std::vector<ModerationEntry> entries;
  while (q->Step())
    entries.push_back({q->Int(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5), q->Text(6), q->Text(7),
                       q->Int(8)});
  if (!q->status().ok()) return q->status();
  return entries;
}

Status SqlStore::RecordEvent(const RateEvent& event) {
  if (event.key.empty()) return Status::Ok();
  Scoped forget(Sql("DELETE FROM rate_events WHERE event_key = ?1 AND at <= ?2"));
  Status s = forget->Bind(1, event.key).Bind(2, event.at - event.window_seconds).Run();
  if (!s.ok()) return s;
  Scoped add(Sql("INSERT INTO rate_events (event_key, at) VALUES (?1, ?2)"));
  return add->Bind(1, event.key).Bind(2, event.at).Run();
}

Result<int> SqlStore::RecentEvents(const std::string& event_key, std::int64_t now, std::int64_t window_seconds) {
  Scoped count(Sql("SELECT count(*) FROM rate_events WHERE event_key = ?1 AND at > ?2"));
  if (!count->Bind(1, event_key).Bind(2, now - window_seconds).Step()) return count->status();
  return static_cast<int>(count->Int(0));
}

Result<int> SqlStore::CountEvent(const std::string& event_key, std::int64_t now, std::int64_t window_seconds) {
  int before = 0;
  Status s = InTransaction(TransactionKind::kExpendable, "counting for a rate limit", [&]() -> Status {
    Result<int> recent = RecentEvents(event_key, now, window_seconds);
    if (!recent.ok()) return recent.status();
    before = recent.value();
    return RecordEvent({event_key, now, window_seconds});
  });
  if (!s.ok()) return s;
  return before;
}

}  // namespace rt
