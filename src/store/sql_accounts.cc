// Participation data in SQLite: accounts, roles, list settings, subscriptions.

#include <map>

#include <sodium.h>

#include "people/stakeholder_rules.h"
#include "store/sql_store.h"
#include "util/clock.h"

namespace rt {

namespace {

bool IsMode(const std::string& mode) {
  return mode == "each" || mode == "digest" || mode == "digest-plain" || mode == "none";
}

constexpr const char* kSubscriptionColumns =
    "SELECT address, mode, created_at, digest_format, bounces, disabled_at IS NOT NULL FROM subscriptions";

Subscription ReadSubscription(SqlStatement& q) {
  return {q.Text(0), q.Text(1), q.Int(2), q.Text(3), static_cast<int>(q.Int(4)), q.Int(5) != 0};
}

// A forum's or list's scope for a role: (forum id, list id or 0).
constexpr const char* kScopeSql =
    "SELECT f.id, COALESCE((SELECT l.id FROM lists l WHERE l.forum_id = f.id AND l.name = ?2), -1)"
    " FROM forums f WHERE f.slug = ?1";

}  // namespace

Result<std::int64_t> SqlStore::AddUser(const NewUser& user) {
  if (user.email.find('@') == std::string::npos)
    return Status::InvalidArgument("\"" + user.email + "\" is not an email address");
  if (!IsStakeholderGroup(user.stakeholder_group) && user.stakeholder_group != "other")
    return Status::InvalidArgument("unknown stakeholder group \"" + user.stakeholder_group + "\"");
  Scoped have(Sql("SELECT 1 FROM users WHERE email = ?1"));
  have->Bind(1, user.email);
  if (have->Step()) return Status::InvalidArgument("an account for " + user.email + " already exists");
  if (!have->status().ok()) return have->status();
  // The person already in the archive under this address, so their history is theirs.
  Scoped add(Sql("INSERT INTO users (email, display_name, password_hash, stakeholder_group, country, affiliation,"
                 " languages, email_verified_at, created_at, person_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                 " CASE WHEN ?8 = 1 THEN ?9 END, ?9, (SELECT person_id FROM addresses WHERE address = ?1)) RETURNING id"));
  return ReturnedId(add->Bind(1, user.email)
                 .Bind(2, user.display_name)
                 .Bind(3, user.password_hash)
                 .Bind(4, user.stakeholder_group)
                 .Bind(5, user.country)
                 .Bind(6, user.affiliation)
                 .Bind(7, user.languages)
                 .Bind(8, user.email_verified ? 1 : 0)
                 .Bind(9, UnixNow()));
}

Result<std::vector<UserInfo>> SqlStore::ReadUsers(SqlStatement& rows) {
  std::vector<UserInfo> users;
  std::map<std::int64_t, std::size_t> index;
  while (rows.Step()) {
    UserInfo u;
    u.id = rows.Int(0);
    u.email = rows.Text(1);
    u.display_name = rows.Text(2);
    u.stakeholder_group = rows.Text(3);
    u.country = rows.Text(4);
    u.affiliation = rows.Text(5);
    u.languages = rows.Text(6);
    u.group_verified = rows.Int(7) != 0;
    u.email_verified = !rows.IsNull(8);
    u.has_password = rows.Int(9) != 0;
    u.created_at = rows.Int(10);
    u.person_id = rows.Int(11);
    u.approved_posts = rows.Int(12);
    u.deleted = !rows.IsNull(13);
    index[u.id] = users.size();
    users.push_back(std::move(u));
  }
  if (!rows.status().ok()) return rows.status();
  Scoped roles(Sql("SELECT r.user_id, r.role, f.slug, COALESCE(l.name, '') FROM roles r JOIN forums f ON f.id = r.forum_id"
                   " LEFT JOIN lists l ON l.id = r.list_id ORDER BY r.user_id, f.slug, l.name, r.role"));
  while (roles->Step())
    if (auto it = index.find(roles->Int(0)); it != index.end())
      users[it->second].roles.push_back({roles->Text(1), roles->Text(2), roles->Text(3)});
  if (!roles->status().ok()) return roles->status();
  return users;
}

namespace {

constexpr const char* kUserColumns =
    "SELECT id, email, display_name, stakeholder_group, country, affiliation, languages, group_verified,"
    " email_verified_at, password_hash != '', created_at, COALESCE(person_id, 0), approved_posts, deleted_at"
    " FROM users";

}  // namespace

Result<std::vector<UserInfo>> SqlStore::Users() {
  static const std::string sql = std::string(kUserColumns) + " ORDER BY email";
  Scoped q(Sql(sql.c_str()));
  return ReadUsers(*q);
}

Result<UserInfo> SqlStore::UserByEmail(const std::string& email) {
  static const std::string sql = std::string(kUserColumns) + " WHERE email = ?1";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, email);
  Result<std::vector<UserInfo>> users = ReadUsers(*q);
  if (!users.ok()) return users.status();
  if (users.value().empty()) return Status::NotFound("there is no account for " + email);
  return std::move(users.value().front());
}

Result<UserInfo> SqlStore::UserById(std::int64_t id) {
  static const std::string sql = std::string(kUserColumns) + " WHERE id = ?1";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, id);
  Result<std::vector<UserInfo>> users = ReadUsers(*q);
  if (!users.ok()) return users.status();
  if (users.value().empty()) return Status::NotFound("there is no account " + std::to_string(id));
  return std::move(users.value().front());
}

Status SqlStore::UpdateProfile(std::int64_t user_id, const ProfileUpdate& update) {
  if (update.stakeholder_group && !IsStakeholderGroup(*update.stakeholder_group) && *update.stakeholder_group != "other")
    return Status::InvalidArgument("unknown stakeholder group \"" + *update.stakeholder_group + "\"");
  // A new declaration is not the one the secretariat checked.
  Scoped q(Sql("UPDATE users SET display_name = COALESCE(?2, display_name),"
               " group_verified = CASE WHEN ?3 IS NOT NULL AND ?3 != stakeholder_group THEN 0 ELSE group_verified END,"
               " stakeholder_group = COALESCE(?3, stakeholder_group), country = COALESCE(?4, country),"
               " affiliation = COALESCE(?5, affiliation), languages = COALESCE(?6, languages) WHERE id = ?1"));
  q->Bind(1, user_id);
  if (update.display_name) q->Bind(2, *update.display_name);
  if (update.stakeholder_group) q->Bind(3, *update.stakeholder_group);
  if (update.country) q->Bind(4, *update.country);
  if (update.affiliation) q->Bind(5, *update.affiliation);
  if (update.languages) q->Bind(6, *update.languages);
  return q->Run();
}

Status SqlStore::SetPassword(std::int64_t user_id, const std::string& password_hash) {
  Scoped q(Sql("UPDATE users SET password_hash = ?2 WHERE id = ?1"));
  return q->Bind(1, user_id).Bind(2, password_hash).Run();
}

Result<std::string> SqlStore::PasswordHash(std::int64_t user_id) {
  Scoped q(Sql("SELECT password_hash FROM users WHERE id = ?1"));
  q->Bind(1, user_id);
  if (!q->Step()) return q->status().ok() ? Status::NotFound("there is no account " + std::to_string(user_id)) : q->status();
  return q->Text(0);
}

Status SqlStore::MarkEmailVerified(std::int64_t user_id) {
  Scoped q(Sql("UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?2) WHERE id = ?1"));
  return q->Bind(1, user_id).Bind(2, UnixNow()).Run();
}

Status SqlStore::ClaimAddress(std::int64_t user_id, const std::string& address) {
  return InTransaction(TransactionKind::kArchiveWrite, "claiming an address", [&]() -> Status {
    // An account that is already someone in the archive takes the address into that
    // person, so its own posts keep their author; otherwise it becomes that address's person.
    Scoped take(Sql("UPDATE addresses SET person_id = (SELECT person_id FROM users WHERE id = ?1)"
                    " WHERE address = ?2 AND (SELECT person_id FROM users WHERE id = ?1) IS NOT NULL"));
    Status s = take->Bind(1, user_id).Bind(2, address).Run();
    if (!s.ok()) return s;
    Scoped adopt(Sql("UPDATE users SET person_id = (SELECT person_id FROM addresses WHERE address = ?2)"
                     " WHERE id = ?1 AND person_id IS NULL"));
    s = adopt->Bind(1, user_id).Bind(2, address).Run();
    if (!s.ok()) return s;
    Scoped known(Sql("SELECT 1 FROM addresses WHERE address = ?1"));
    known->Bind(1, address);
    if (known->Step()) return Status::Ok();
    return known->status().ok() ? Status::NotFound("the archive has no messages from " + address) : known->status();
  });
}

Status SqlStore::DeleteUser(std::int64_t user_id, bool anonymise) {
  return InTransaction(TransactionKind::kArchiveWrite, "closing an account", [&]() -> Status {
    // The address stays unique yet frees the real one for a new account.
    Scoped user(Sql("UPDATE users SET email = 'deleted-' || id || '@invalid', password_hash = '', display_name = '',"
                    " affiliation = '', languages = '', country = '', deleted_at = ?2 WHERE id = ?1"
                    " RETURNING person_id"));
    user->Bind(1, user_id).Bind(2, UnixNow());
    if (!user->Step()) return user->status().ok() ? Status::NotFound("there is no account " + std::to_string(user_id))
                                                   : user->status();
    std::int64_t person = user->Int(0);
    user->Reset();
    for (const char* sql : {"DELETE FROM sessions WHERE user_id = ?1", "DELETE FROM roles WHERE user_id = ?1",
                            "DELETE FROM tokens WHERE user_id = ?1"}) {
      Scoped drop(Sql(sql));
      Status s = drop->Bind(1, user_id).Run();
      if (!s.ok()) return s;
    }
    if (!anonymise || person == 0) return Status::Ok();
    Scoped name(Sql("UPDATE people SET display_name = 'Former participant' WHERE id = ?1"));
    Status s = name->Bind(1, person).Run();
    if (!s.ok()) return s;
    Scoped messages(Sql("UPDATE messages SET from_name = 'Former participant'"
                        " WHERE address_id IN (SELECT id FROM addresses WHERE person_id = ?1)"));
    return messages->Bind(1, person).Run();
  });
}

Result<std::string> SqlStore::Secret(const std::string& name, std::size_t bytes) {
  std::string fresh(bytes, '\0');
  randombytes_buf(fresh.data(), fresh.size());
  // Two nodes starting at once agree: the first insert wins, both read it back.
  Scoped add(Sql("INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
  Status s = add->Bind(1, name).BindBlob(2, fresh).Run();
  if (!s.ok()) return s;
  Scoped get(Sql("SELECT value FROM settings WHERE name = ?1"));
  get->Bind(1, name);
  if (!get->Step()) return get->status().ok() ? Status::Internal("the setting " + name + " vanished") : get->status();
  return std::string(get->Blob(0));
}

Status SqlStore::SetRole(const std::string& email, const RoleGrant& role, bool grant) {
  if (role.role != "participant" && role.role != "moderator" && role.role != "secretariat")
    return Status::InvalidArgument("unknown role \"" + role.role + "\": participant, moderator or secretariat");
  if (role.role == "moderator" && role.list.empty())
    return Status::InvalidArgument("a moderator moderates a list: name it with --list");
  if (role.role == "secretariat" && !role.list.empty())
    return Status::InvalidArgument("the secretariat runs a whole forum: leave out --list");
  Result<UserInfo> user = UserByEmail(email);
  if (!user.ok()) return user.status();
  std::int64_t forum_id = 0, list_id = 0;
  {
    Scoped scope(Sql(kScopeSql));
    scope->Bind(1, role.forum).Bind(2, role.list);
    if (!scope->Step()) {
      if (!scope->status().ok()) return scope->status();
      return Status::NotFound("there is no forum \"" + role.forum + "\"");
    }
    forum_id = scope->Int(0);
    list_id = role.list.empty() ? 0 : scope->Int(1);
  }
  if (list_id < 0) return Status::NotFound("forum \"" + role.forum + "\" has no list \"" + role.list + "\"");
  if (role.role == "participant" || !grant) {
    // "participant" for a whole forum takes back its lists' roles too.
    Scoped drop(Sql("DELETE FROM roles WHERE user_id = ?1 AND forum_id = ?2"
                    " AND (COALESCE(list_id, 0) = ?3 OR (?3 = 0 AND ?4 = 'participant'))"
                    " AND (?4 = 'participant' OR role = ?4)"));
    return drop->Bind(1, user.value().id).Bind(2, forum_id).Bind(3, list_id).Bind(4, role.role).Run();
  }
  Scoped add(Sql("INSERT INTO roles (user_id, forum_id, list_id, role) VALUES (?1, ?2, NULLIF(?3, 0), ?4)"
                 " ON CONFLICT DO NOTHING"));
  return add->Bind(1, user.value().id).Bind(2, forum_id).Bind(3, list_id).Bind(4, role.role).Run();
}

Status SqlStore::SetGroupVerified(const std::string& email, bool verified) {
  Scoped update(Sql("UPDATE users SET group_verified = ?2 WHERE email = ?1"));
  Status s = update->Bind(1, email).Bind(2, verified ? 1 : 0).Run();
  if (!s.ok()) return s;
  if (update->Changes() == 0) return Status::NotFound("there is no account for " + email);
  return Status::Ok();
}

Status SqlStore::ApplyListSettings(std::int64_t list_id, const ListSettings& settings) {
  Scoped update(Sql("UPDATE lists SET address = COALESCE(?2, address), description = COALESCE(?3, description),"
                    " moderated = COALESCE(?4, moderated) WHERE id = ?1"));
  update->Bind(1, list_id);
  if (settings.address) update->Bind(2, *settings.address);
  if (settings.description) update->Bind(3, *settings.description);
  if (settings.moderated) update->Bind(4, *settings.moderated ? 1 : 0);
  return update->Run();
}

Status SqlStore::CreateList(const std::string& forum, const std::string& list, const ListSettings& settings) {
  if (forum.empty() || list.empty()) return Status::InvalidArgument("a list needs a forum and a name");
  if (FindListId(forum, list).ok()) return Status::InvalidArgument("forum \"" + forum + "\" already has a list \"" + list + "\"");
  return InTransaction(TransactionKind::kArchiveWrite, "creating a list", [&] {
    Result<std::int64_t> id = ListId(forum, list);
    return id.ok() ? ApplyListSettings(id.value(), settings) : id.status();
  });
}

Status SqlStore::UpdateList(const std::string& forum, const std::string& list, const ListSettings& settings) {
  Result<std::int64_t> id = FindListId(forum, list);
  if (!id.ok()) return id.status();
  return ApplyListSettings(id.value(), settings);
}

Status SqlStore::Subscribe(const std::string& forum, const std::string& list, const std::string& address,
                              const std::string& mode) {
  if (!IsMode(mode))
    return Status::InvalidArgument("unknown delivery mode \"" + mode + "\": each, digest, digest-plain or none");
  if (address.find('@') == std::string::npos) return Status::InvalidArgument("\"" + address + "\" is not an email address");
  Result<std::int64_t> id = FindListId(forum, list);
  if (!id.ok()) return id.status();
  // "digest-plain": the daily digest as plain text (RFC 1153) rather than MIME.
  bool plain = mode == "digest-plain";
  Scoped add(Sql("INSERT INTO subscriptions (list_id, address, mode, digest_format, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                 " ON CONFLICT (list_id, address) DO UPDATE SET mode = excluded.mode,"
                 " digest_format = excluded.digest_format, bounces = 0, last_bounce_at = NULL, disabled_at = NULL"));
  return add->Bind(1, id.value())
      .Bind(2, address)
      .Bind(3, plain ? "digest" : mode)
      .Bind(4, plain ? "plain" : "mime")
      .Bind(5, UnixNow())
      .Run();
}

Result<std::vector<Subscription>> SqlStore::Subscribers(const std::string& forum, const std::string& list) {
  Result<std::int64_t> id = FindListId(forum, list);
  if (!id.ok()) return id.status();
  static const std::string sql = std::string(kSubscriptionColumns) + " WHERE list_id = ?1 ORDER BY address";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, id.value());
  std::vector<Subscription> subscribers;
  while (q->Step()) subscribers.push_back(ReadSubscription(*q));
  if (!q->status().ok()) return q->status();
  return subscribers;
}

Result<Subscription> SqlStore::FindSubscription(const std::string& forum, const std::string& list,
                                                   const std::string& address) {
  Result<std::int64_t> id = FindListId(forum, list);
  if (!id.ok()) return id.status();
  static const std::string sql = std::string(kSubscriptionColumns) + " WHERE list_id = ?1 AND address = ?2";
  Scoped q(Sql(sql.c_str()));
  q->Bind(1, id.value()).Bind(2, address);
  if (q->Step()) return ReadSubscription(*q);
  if (!q->status().ok()) return q->status();
  return Status::NotFound(address + " is not subscribed to " + list);
}

Result<int> SqlStore::MessagesFrom(const std::string& address, int at_most) {
  Scoped q(Sql("SELECT count(*) FROM (SELECT 1 FROM messages"
               " WHERE address_id = (SELECT id FROM addresses WHERE address = ?1) LIMIT ?2) AS m"));
  q->Bind(1, address).Bind(2, std::int64_t{at_most});
  if (!q->Step()) return q->status();
  return static_cast<int>(q->Int(0));
}

Status SqlStore::Unsubscribe(const std::string& forum, const std::string& list, const std::string& address) {
  Result<std::int64_t> id = FindListId(forum, list);
  if (!id.ok()) return id.status();
  Scoped q(Sql("DELETE FROM subscriptions WHERE list_id = ?1 AND address = ?2"));
  return q->Bind(1, id.value()).Bind(2, address).Run();
}

}  // namespace rt
