#pragma once
// Who is asking: a signed-in account (by its session cookie) or an anonymous reader, and
// the CSRF token their forms must carry. Sessions live in the database, so any server
// node knows them; cookies hold a random token whose hash the store keeps.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"
#include "web/http.h"

namespace rt {

constexpr const char* kSessionCookie = "rt_session";
constexpr const char* kCsrfCookie = "rt_csrf";
constexpr std::int64_t kSessionSeconds = 30 * 24 * 3600;

struct Visitor {
  std::optional<UserInfo> user;  ///< signed in
  std::string session_hash;      ///< TokenHash of the session cookie, when signed in
  /// What CSRF tokens are bound to: the session, or the anonymous rt_csrf cookie.
  std::string csrf_binding;
  /// A Set-Cookie value to send: the anonymous rt_csrf cookie made for this visitor.
  std::string new_cookie;
};

/// Whether the request carries a session cookie at all (no database look-up): pages for
/// such requests are personal and bypass the shared page cache.
bool HasSessionCookie(const HttpRequest& request);

/// Reads the cookies; looks the session up when there is one. `secure`: the site is
/// served over TLS, so new cookies get the Secure attribute.
Result<Visitor> IdentifyVisitor(Store& store, const HttpRequest& request, std::int64_t now, bool secure);

/// The token a form of this visitor carries as "csrf"; `key` is the site's signing key.
std::string CsrfToken(const Visitor& visitor, std::string_view key);
bool CsrfTokenValid(const Visitor& visitor, std::string_view key, std::string_view token);

/// Set-Cookie values: a new session (HttpOnly, SameSite=Lax, Secure over TLS), and its end.
std::string SessionCookie(std::string_view token, bool secure);
std::string EndSessionCookie(bool secure);

}  // namespace rt
