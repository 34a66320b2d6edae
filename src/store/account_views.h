#pragma once
// Participation data as the store hands it out: accounts, their roles, list settings,
// subscriptions. Dates are Unix seconds, UTC.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rt {

struct NewUser {
  std::string email;  ///< normalised address
  std::string display_name;
  std::string password_hash;  ///< HashPassword() or "" (none yet)
  std::string stakeholder_group = "unknown";
  std::string country;  ///< ISO 3166-1 alpha-2, or ""
  std::string affiliation;
  std::string languages;  ///< comma-separated language tags
  bool email_verified = false;
};

/// Beyond participant: "moderator" of `list`, or "secretariat" of `forum` (list empty).
struct RoleGrant {
  std::string role;
  std::string forum;
  std::string list;
};

struct UserInfo {
  std::int64_t id = 0;
  std::string email, display_name, stakeholder_group, country, affiliation, languages;
  bool group_verified = false;
  bool email_verified = false;
  bool has_password = false;
  std::int64_t created_at = 0;
  std::int64_t person_id = 0;       ///< the archive's person this account is (0: none yet)
  std::int64_t approved_posts = 0;  ///< posts that went out; the first ones are held
  bool deleted = false;
  std::vector<RoleGrant> roles;
};

/// Changes to a list's settings; unset fields stay as they are.
struct ListSettings {
  std::optional<std::string> address;  ///< where members post, e.g. "policy@lists.example.org"
  std::optional<std::string> description;
  std::optional<bool> moderated;       ///< every post is held for a moderator
};

struct Subscription {
  std::string address;
  std::string mode;  ///< "each", "digest" or "none"
  std::int64_t created_at = 0;
  std::string digest_format = "mime";  ///< "mime" or "plain"
  int bounces = 0;
  bool disabled = false;  ///< by repeated bounces: nothing is sent until re-enabled
};

/// What a participant may change about themselves; unset fields stay as they are.
struct ProfileUpdate {
  std::optional<std::string> display_name;
  std::optional<std::string> stakeholder_group;  ///< a new declaration drops its verification
  std::optional<std::string> country;            ///< ISO 3166-1 alpha-2 or ""
  std::optional<std::string> affiliation;
  std::optional<std::string> languages;
};

/// A one-time proof of control of an address, sent by mail. The store keeps only
/// `token_hash`; the token itself is in the mail.
struct OneTimeToken {
  std::string token_hash;
  std::string purpose;  ///< "verify", "reset", "claim", "join" or "leave"
  std::int64_t user_id = 0;  ///< 0: none (joining a list by mail)
  std::string address;
  std::string forum, list;  ///< for join and leave
  std::string detail;       ///< join: the delivery mode
  std::int64_t expires_at = 0;
};

}  // namespace rt
