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
};

}  // namespace rt
