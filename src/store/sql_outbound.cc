// The outbound mail queue in SQLite: notices, deliveries claimed under a lease, bounces.

#include <map>
#include <optional>

#include "store/sql_store.h"
#include "util/compression.h"

namespace rt {

Status SqlStore::QueueNotice(const Notice& notice) {
  return InTransaction(TransactionKind::kConcurrent, "queueing a notice", [&]() -> Status {
    Scoped add(Sql("INSERT INTO outbound (kind, dedup_key, envelope_from, raw, created_at)"
                   " VALUES ('notice', NULLIF(?1, ''), ?2, ?3, unixepoch()) ON CONFLICT DO NOTHING RETURNING id"));
    add->Bind(1, notice.dedup_key).Bind(2, notice.envelope_from).BindBlob(3, notice.raw);
    if (!add->Step()) return add->status();  // ok: queued before
    std::int64_t id = add->Int(0);
    add->Reset();
    Status s;
    for (const std::string& address : notice.recipients) {
      Scoped to(Sql("INSERT INTO deliveries (outbound_id, address, next_attempt_at) VALUES (?1, ?2, unixepoch())"
                    " ON CONFLICT DO NOTHING"));
      s = to->Bind(1, id).Bind(2, address).Run();
      if (!s.ok()) return s;
    }
    return Status::Ok();
  });
}

namespace {

std::string ClaimSql(const std::string& lock) {
  return "UPDATE deliveries SET next_attempt_at = ?1 + ?2, attempts = attempts + 1 WHERE (outbound_id, address) IN"
         " (SELECT outbound_id, address FROM deliveries WHERE state = 'queued' AND next_attempt_at <= ?1"
         " ORDER BY next_attempt_at LIMIT ?3" + lock + ") RETURNING outbound_id, address, attempts";
}

}  // namespace

Result<std::vector<DueDelivery>> SqlStore::ClaimDeliveries(std::int64_t now, std::int64_t lease_seconds, int limit) {
  std::vector<DueDelivery> due;
  Status s = InTransaction(TransactionKind::kConcurrent, "claiming deliveries", [&]() -> Status {
    // On PostgreSQL, senders on other nodes skip the rows this one is claiming instead of
    // waiting for them (and then finding them taken).
    static const std::string kSql[] = {ClaimSql(""), ClaimSql(" FOR UPDATE SKIP LOCKED")};
    Scoped claim(Sql(kSql[db_->dialect() == SqlDialect::kPostgres].c_str()));
    claim->Bind(1, now).Bind(2, lease_seconds).Bind(3, limit);
    while (claim->Step()) {
      DueDelivery d;
      d.outbound_id = claim->Int(0);
      d.address = claim->Text(1);
      d.attempts = static_cast<int>(claim->Int(2));
      due.push_back(std::move(d));
    }
    if (!claim->status().ok()) return claim->status();
    claim->Reset();
    std::map<std::int64_t, DueDelivery> outbound;
    for (DueDelivery& d : due) {
      auto it = outbound.find(d.outbound_id);
      if (it == outbound.end()) {
        Scoped q(Sql("SELECT kind, COALESCE(list_id, 0), COALESCE(message, 0), envelope_from FROM outbound WHERE id = ?1"));
        q->Bind(1, d.outbound_id);
        if (!q->Step()) return q->status().ok() ? Status::Internal("a delivery names no outbound message") : q->status();
        DueDelivery info;
        info.kind = q->Text(0);
        info.list_id = q->Int(1);
        info.message = q->Int(2);
        info.envelope_from = q->Text(3);
        it = outbound.emplace(d.outbound_id, std::move(info)).first;
      }
      d.kind = it->second.kind;
      d.list_id = it->second.list_id;
      d.message = it->second.message;
      d.envelope_from = it->second.envelope_from;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return due;
}

Status SqlStore::FinishDeliveries(const std::vector<DeliveryReport>& reports) {
  return InTransaction(TransactionKind::kConcurrent, "recording deliveries", [&]() -> Status {
    for (const DeliveryReport& r : reports) {
      Scoped q(Sql("UPDATE deliveries SET state = ?3, last_error = ?4, next_attempt_at = ?5,"
                   " done_at = CASE WHEN ?3 = 'queued' THEN NULL ELSE unixepoch() END"
                   " WHERE outbound_id = ?1 AND address = ?2"));
      const char* state = r.result == DeliveryResult::kSent     ? "sent"
                          : r.result == DeliveryResult::kFailed ? "failed"
                                                                : "queued";
      Status s = q->Bind(1, r.delivery.outbound_id)
                     .Bind(2, r.delivery.address)
                     .Bind(3, state)
                     .Bind(4, r.error)
                     .Bind(5, r.retry_at)
                     .Run();
      if (!s.ok()) return s;
    }
    return Status::Ok();
  });
}

Result<std::string> SqlStore::OutboundRaw(std::int64_t outbound_id) {
  Scoped q(Sql("SELECT raw FROM outbound WHERE id = ?1 AND raw IS NOT NULL"));
  q->Bind(1, outbound_id);
  if (!q->Step()) return q->status().ok() ? Status::NotFound("no outbound message " + std::to_string(outbound_id)) : q->status();
  return std::string(q->Blob(0));
}

Result<QueueCounts> SqlStore::CountDeliveries() {
  Scoped q(Sql("SELECT count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'sent'),"
               " count(*) FILTER (WHERE state = 'failed') FROM deliveries"));
  if (!q->Step()) return q->status();
  return QueueCounts{q->Int(0), q->Int(1), q->Int(2)};
}

Result<BounceScore> SqlStore::RecordBounce(std::int64_t list_id, const std::string& address, const BounceRules& rules,
                                           std::int64_t now) {
  BounceScore score;
  Status done = InTransaction(TransactionKind::kConcurrent, "recording a bounce", [&]() -> Status {
    std::optional<std::int64_t> last;
    {
      // On PostgreSQL, two bounces for one address at once (LMTP and a sender, two nodes)
      // take turns, so one of them counts.
      static const std::string kSelect =
          "SELECT bounces, last_bounce_at, COALESCE(disabled_at, 0) FROM subscriptions WHERE list_id = ?1 AND address = ?2";
      static const std::string kSql[] = {kSelect, kSelect + " FOR UPDATE"};
      Scoped q(Sql(kSql[db_->dialect() == SqlDialect::kPostgres].c_str()));
      q->Bind(1, list_id).Bind(2, address);
      if (!q->Step()) return q->status().ok() ? Status::NotFound(address + " is not subscribed") : q->status();
      score.bounces = static_cast<int>(q->Int(0));
      if (!q->IsNull(1)) last = q->Int(1);
      score.disabled_at = q->Int(2);
    }
    if (last && now - *last < BounceRules::kCountEvery) return Status::Ok();
    score.counted = true;
    score.bounces = last && now - *last < rules.forget_after ? score.bounces + 1 : 1;
    score.disabled_now = score.disabled_at == 0 && score.bounces >= rules.disable_after;
    if (score.disabled_now) score.disabled_at = now;
    Scoped update(Sql("UPDATE subscriptions SET bounces = ?3, last_bounce_at = ?4,"
                      " disabled_at = CASE WHEN ?5 = 1 THEN ?4 ELSE disabled_at END WHERE list_id = ?1 AND address = ?2"));
    return update->Bind(1, list_id)
        .Bind(2, address)
        .Bind(3, std::int64_t{score.bounces})
        .Bind(4, now)
        .Bind(5, std::int64_t{score.disabled_now ? 1 : 0})
        .Run();
  });
  if (!done.ok()) return done;
  return score;
}

Result<std::vector<DigestDue>> SqlStore::DigestsDue(std::int64_t sent_before) {
  Scoped q(Sql("SELECT l.id, l.digest_last_message, l.digest_volume, l.digest_number FROM lists l"
               " WHERE l.digest_sent_at < ?1"
               " AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.list_id = l.id AND s.mode = 'digest'"
               " AND s.disabled_at IS NULL)"
               " AND EXISTS (SELECT 1 FROM outbound o WHERE o.list_id = l.id AND o.kind = 'post'"
               " AND o.message > l.digest_last_message)"));
  q->Bind(1, sent_before);
  std::vector<DigestDue> due;
  while (q->Step())
    due.push_back({q->Int(0), q->Int(1), static_cast<int>(q->Int(2)), static_cast<int>(q->Int(3))});
  if (!q->status().ok()) return q->status();
  return due;
}

Result<std::vector<DigestPost>> SqlStore::DigestPosts(std::int64_t list_id, std::int64_t after, int limit) {
  // The posts that went out to the list: an imported archive's messages never did.
  Scoped q(Sql("SELECT m.id, r.data, COALESCE(NULLIF(m.from_name, ''), a.address, ''), m.subject, m.date"
               " FROM outbound o JOIN messages m ON m.id = o.message JOIN raw_messages r ON r.message = m.id"
               " LEFT JOIN addresses a ON a.id = m.address_id"
               " WHERE o.list_id = ?1 AND o.kind = 'post' AND o.message > ?2 ORDER BY o.message LIMIT ?3"));
  q->Bind(1, list_id).Bind(2, after).Bind(3, limit);
  std::vector<DigestPost> posts;
  while (q->Step()) {
    Result<std::string> raw = Unpack(q->Blob(1));
    if (!raw.ok()) return Status::Database("message " + std::to_string(q->Int(0)) + ": stored bytes are damaged");
    posts.push_back({q->Int(0), std::move(raw.value()), q->Text(2), q->Text(3), q->Int(4)});
  }
  if (!q->status().ok()) return q->status();
  return posts;
}

Status SqlStore::QueueDigest(const QueuedDigest& digest) {
  return InTransaction(TransactionKind::kConcurrent, "queueing a digest", [&]() -> Status {
    Scoped mark(Sql("UPDATE lists SET digest_last_message = ?3, digest_volume = ?4, digest_number = ?5,"
                    " digest_sent_at = unixepoch() WHERE id = ?1 AND digest_last_message = ?2"));
    Status s = mark->Bind(1, digest.list_id)
                   .Bind(2, digest.previous_last_message)
                   .Bind(3, digest.last_message)
                   .Bind(4, digest.volume)
                   .Bind(5, digest.number)
                   .Run();
    if (!s.ok() || mark->Changes() == 0) return s;
    for (const auto& [format, raw] : {std::pair{"mime", &digest.mime_raw}, std::pair{"plain", &digest.plain_raw}}) {
      Scoped add(Sql("INSERT INTO outbound (kind, list_id, envelope_from, raw, created_at)"
                     " VALUES ('digest', ?1, ?2, ?3, unixepoch()) RETURNING id"));
      Result<std::int64_t> queued = ReturnedId(add->Bind(1, digest.list_id).Bind(2, digest.envelope_from).BindBlob(3, *raw));
      if (!queued.ok()) return queued.status();
      Scoped to(Sql("INSERT INTO deliveries (outbound_id, address, next_attempt_at) SELECT ?1, address, unixepoch()"
                    " FROM subscriptions WHERE list_id = ?2 AND mode = 'digest' AND digest_format = ?3"
                    " AND disabled_at IS NULL"));
      s = to->Bind(1, queued.value()).Bind(2, digest.list_id).Bind(3, format).Run();
      if (!s.ok()) return s;
    }
    return Status::Ok();
  });
}

}  // namespace rt
