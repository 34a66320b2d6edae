// Sign-in sessions and one-time tokens in SQLite. Callers hand in hashes only.

#include "store/sql_store.h"

namespace rt {

Status SqlStore::CreateSession(const std::string& token_hash, std::int64_t user_id, std::int64_t expires_at) {
  Scoped q(Sql("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, unixepoch(), ?3)"));
  return q->Bind(1, token_hash).Bind(2, user_id).Bind(3, expires_at).Run();
}

Result<UserInfo> SqlStore::SessionUser(const std::string& token_hash, std::int64_t now) {
  std::int64_t user_id = 0;
  {
    Scoped q(Sql("SELECT s.user_id FROM sessions s JOIN users u ON u.id = s.user_id"
                 " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.deleted_at IS NULL"));
    q->Bind(1, token_hash).Bind(2, now);
    if (!q->Step()) return q->status().ok() ? Status::NotFound("not signed in") : q->status();
    user_id = q->Int(0);
  }
  return UserById(user_id);
}

Status SqlStore::EndSession(const std::string& token_hash) {
  Scoped q(Sql("DELETE FROM sessions WHERE token_hash = ?1"));
  return q->Bind(1, token_hash).Run();
}

Status SqlStore::EndAllSessions(std::int64_t user_id) {
  Scoped q(Sql("DELETE FROM sessions WHERE user_id = ?1"));
  return q->Bind(1, user_id).Run();
}

Status SqlStore::CreateToken(const OneTimeToken& token) {
  std::int64_t list_id = 0;
  if (!token.list.empty()) {
    Result<std::int64_t> id = FindListId(token.forum, token.list);
    if (!id.ok()) return id.status();
    list_id = id.value();
  }
  Scoped q(Sql("INSERT INTO tokens (token_hash, purpose, user_id, address, list_id, detail, created_at, expires_at)"
               " VALUES (?1, ?2, NULLIF(?3, 0), ?4, NULLIF(?5, 0), ?6, unixepoch(), ?7)"));
  return q->Bind(1, token.token_hash)
      .Bind(2, token.purpose)
      .Bind(3, token.user_id)
      .Bind(4, token.address)
      .Bind(5, list_id)
      .Bind(6, token.detail)
      .Bind(7, token.expires_at)
      .Run();
}

Result<OneTimeToken> SqlStore::UseToken(const std::string& token_hash, const std::string& purpose,
                                           std::int64_t now) {
  // One statement marks and reads, so two clicks at once cannot both use the token.
  Scoped q(Sql("UPDATE tokens SET used_at = ?3 WHERE token_hash = ?1 AND purpose = ?2 AND used_at IS NULL"
               " AND expires_at > ?3 RETURNING COALESCE(user_id, 0), address, COALESCE(list_id, 0), detail,"
               " expires_at"));
  q->Bind(1, token_hash).Bind(2, purpose).Bind(3, now);
  if (!q->Step()) return q->status().ok() ? Status::NotFound("this link is unknown, expired or already used") : q->status();
  OneTimeToken token;
  token.token_hash = token_hash;
  token.purpose = purpose;
  token.user_id = q->Int(0);
  token.address = q->Text(1);
  std::int64_t list_id = q->Int(2);
  token.detail = q->Text(3);
  token.expires_at = q->Int(4);
  q->Reset();
  if (list_id) {
    Result<ListInfo> list = ListById(list_id);
    if (!list.ok()) return list.status();
    token.forum = list.value().forum;
    token.list = list.value().name;
  }
  return token;
}

}  // namespace rt
