#pragma once
// The list's own addresses: VERP bounce addresses and the role suffixes
// (policy-request@, policy-join@, ...) that a list answers to, as in Mailman 3.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

/// The envelope sender for one subscriber's copy of a post (VERP), so a bounce
/// names the subscriber whatever the bounce's content says:
///   VerpSender("policy@lists.example.org", "alice@example.org")
///     == "policy-bounces+alice=example.org@lists.example.org"
/// Encoding (qmail's "local=domain" form, with Courier-style escapes so every
/// address round-trips through ParseVerp): the subscriber's last '@' becomes '=';
/// in its local part and domain every byte other than A-Z a-z 0-9 '-' '_' '.' is
/// written "+XX" (two upper-case hex digits): '+' is "+2B", '=' is "+3D"; so is a '.'
/// that would follow another '.' or end the local part ("+2E"). The result is a
/// dot-atom local part, so
/// MTAs pass it unquoted. It may exceed RFC 5321's 64-octet local-part limit for long
/// addresses; common MTAs accept that (Mailman does the same).
/// InvalidArgument when list_address is not "local@domain" (local part without '+',
/// '=' or '@') or the subscriber has no '@' with text on both sides.
Result<std::string> VerpSender(std::string_view list_address, std::string_view subscriber);

/// What a VERP bounce address says.
struct VerpBounce {
  std::string list_local_part;  ///< "policy" (lower-cased)
  std::string list_domain;      ///< "lists.example.org" (lower-cased)
  std::string subscriber;       ///< "alice@example.org", exactly as encoded
};

/// Decodes an address made by VerpSender ("policy-bounces+alice=example.org@lists.example.org",
/// surrounding '<' '>' allowed; "+xx" escapes in either case). nullopt when it is not a
/// VERP bounce address or its encoding is broken (a '+' not followed by two hex
/// digits, no '=', an empty local part or domain).
std::optional<VerpBounce> ParseVerp(std::string_view recipient);

/// Which of a list's addresses a recipient is.
enum class ListRole {
  kPost,     ///< policy@: a post to the list
  kRequest,  ///< policy-request@: commands by mail
  kJoin,     ///< policy-join@ (also policy-subscribe@)
  kLeave,    ///< policy-leave@ (also policy-unsubscribe@)
  kBounces,  ///< policy-bounces@ and policy-bounces+VERP@
  kConfirm,  ///< policy-confirm+TOKEN@
  kOwner,    ///< policy-owner@
};

const char* ListRoleName(ListRole role);

/// A recipient address understood as one of a list's addresses.
struct ListAddress {
  std::string list_local_part;  ///< "policy" (lower-cased)
  std::string domain;           ///< lower-cased
  ListRole role = ListRole::kPost;
  /// After the '+': for kBounces the decoded subscriber (ParseVerp; "" when the
  /// address carries none or it does not decode), for kConfirm the token, for the
  /// other roles the sub-address as written ("" when there is none).
  std::string detail;
};

/// Splits `rcpt` ("policy-confirm+TOKEN@lists.example.org", optionally in '<' '>') by
/// the suffix of its local part: -request, -join, -subscribe, -leave, -unsubscribe,
/// -bounces, -confirm, -owner (case-insensitive); without one it is a post. A "+detail"
/// after the name is kept as detail. nullopt when rcpt is not "local@domain", the
/// list part is empty, or `list_domain` is non-empty and differs (case-insensitively)
/// from rcpt's domain.
/// A list whose own name ends in a suffix ("team-join") is read as that suffix of the
/// shorter name; use the overload below to prefer existing lists.
std::optional<ListAddress> ParseListAddress(std::string_view rcpt, std::string_view list_domain = {});

/// As above, but the whole local part (before any '+') is taken as a post to that list
/// when `list_exists(local_part)` says so, and a suffix reading is returned only when
/// `list_exists` accepts its list part; nullopt when neither names a list.
std::optional<ListAddress> ParseListAddress(std::string_view rcpt, std::string_view list_domain,
                                            const std::function<bool(std::string_view local_part)>& list_exists);

}  // namespace rt
