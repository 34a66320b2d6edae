// The outbound mail queue in SQLite: notices, deliveries claimed under a lease, bounces.

#include <map>

#include "store/sqlite_store.h"

namespace rt {

Status SqliteStore::QueueNotice(const Notice& notice) {
  return InTransaction("queueing a notice", [&]() -> Status {
    Scoped add(Sql("INSERT INTO outbound (kind, dedup_key, envelope_from, raw, created_at)"
                   " VALUES ('notice', NULLIF(?1, ''), ?2, ?3, unixepoch()) ON CONFLICT DO NOTHING"));
    Status s = add->Bind(1, notice.dedup_key).Bind(2, notice.envelope_from).BindBlob(3, notice.raw).Run();
    if (!s.ok() || sqlite3_changes(db_) == 0) return s;  // queued before
    std::int64_t id = sqlite3_last_insert_rowid(db_);
    for (const std::string& address : notice.recipients) {
      Scoped to(Sql("INSERT INTO deliveries (outbound_id, address, next_attempt_at) VALUES (?1, ?2, unixepoch())"
                    " ON CONFLICT DO NOTHING"));
      s = to->Bind(1, id).Bind(2, address).Run();
      if (!s.ok()) return s;
    }
    return Status::Ok();
  });
}

Result<std::vector<DueDelivery>> SqliteStore::ClaimDeliveries(std::int64_t now, std::int64_t lease_seconds, int limit) {
  std::vector<DueDelivery> due;
  Status s = InTransaction("claiming deliveries", [&]() -> Status {
    Scoped claim(Sql("UPDATE deliveries SET next_attempt_at = ?1 + ?2, attempts = attempts + 1"
                     " WHERE (outbound_id, address) IN (SELECT outbound_id, address FROM deliveries"
                     " WHERE state = 'queued' AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?3)"
                     " RETURNING outbound_id, address, attempts"));
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

Status SqliteStore::FinishDelivery(const DueDelivery& delivery, DeliveryResult result, const std::string& error,
                                   std::int64_t retry_at) {
  Scoped q(Sql("UPDATE deliveries SET state = ?3, last_error = ?4, next_attempt_at = ?5,"
               " done_at = CASE WHEN ?3 = 'queued' THEN NULL ELSE unixepoch() END"
               " WHERE outbound_id = ?1 AND address = ?2"));
  const char* state = result == DeliveryResult::kSent ? "sent" : result == DeliveryResult::kFailed ? "failed" : "queued";
  return q->Bind(1, delivery.outbound_id).Bind(2, delivery.address).Bind(3, state).Bind(4, error).Bind(5, retry_at).Run();
}

Result<std::string> SqliteStore::OutboundRaw(std::int64_t outbound_id) {
  Scoped q(Sql("SELECT raw FROM outbound WHERE id = ?1 AND raw IS NOT NULL"));
  q->Bind(1, outbound_id);
  if (!q->Step()) return q->status().ok() ? Status::NotFound("no outbound message " + std::to_string(outbound_id)) : q->status();
  return std::string(q->Blob(0));
}

Result<QueueCounts> SqliteStore::CountDeliveries() {
  Scoped q(Sql("SELECT COALESCE(sum(state = 'queued'), 0), COALESCE(sum(state = 'sent'), 0),"
               " COALESCE(sum(state = 'failed'), 0) FROM deliveries"));
  if (!q->Step()) return q->status();
  return QueueCounts{q->Int(0), q->Int(1), q->Int(2)};
}

Result<bool> SqliteStore::RecordBounce(std::int64_t list_id, const std::string& address, int disable_after) {
  Scoped q(Sql("UPDATE subscriptions SET bounces = bounces + 1,"
               " disabled_at = CASE WHEN disabled_at IS NULL AND bounces + 1 >= ?3 THEN unixepoch() ELSE disabled_at END"
               " WHERE list_id = ?1 AND address = ?2 RETURNING disabled_at IS NOT NULL AND bounces = ?3"));
  q->Bind(1, list_id).Bind(2, address).Bind(3, disable_after);
  if (!q->Step()) return q->status().ok() ? Status::NotFound(address + " is not subscribed") : q->status();
  return q->Int(0) != 0;
}

}  // namespace rt
