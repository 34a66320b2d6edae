#include "web/visitor.h"

#include "accounts/tokens.h"
#include "web/request_url.h"

namespace rt {

namespace {

std::string Cookie(std::string_view name, std::string_view value, std::string_view same_site, std::int64_t max_age,
                   bool secure) {
  std::string c = std::string(name) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=" +
                  std::string(same_site) + "; Max-Age=" + std::to_string(max_age);
  if (secure) c += "; Secure";
  return c;
}

// Cookie values are ours only when they have the shape NewToken() makes.
bool LooksLikeToken(std::string_view t) {
  return t.size() == 43 &&
         t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string_view::npos;
}

}  // namespace

bool HasSessionCookie(const HttpRequest& request) {
  return request.Header("cookie").find(kSessionCookie) != std::string_view::npos;
}

Result<Visitor> IdentifyVisitor(Store& store, const HttpRequest& request, std::int64_t now, bool secure) {
  Visitor v;
  std::string_view cookies = request.Header("cookie");
  std::string session = CookieValue(cookies, kSessionCookie);
  if (LooksLikeToken(session)) {
    std::string hash = TokenHash(session);
    Result<UserInfo> user = store.SessionUser(hash, now);
    if (user.ok()) {
      v.user = std::move(user.value());
      v.session_hash = hash;
      v.csrf_binding = "session:" + hash;
      return v;
    }
    if (user.status().code() != Status::Code::kNotFound) return user.status();
  }
  std::string anonymous = CookieValue(cookies, kCsrfCookie);
  if (!LooksLikeToken(anonymous)) {
    anonymous = NewToken();
    // Strict: a form posted from another site arrives without it, so its token cannot match.
    v.new_cookie = Cookie(kCsrfCookie, anonymous, "Strict", kSessionSeconds, secure);
  }
  v.csrf_binding = "anonymous:" + anonymous;
  return v;
}

std::string CsrfToken(const Visitor& visitor, std::string_view key) { return Sign(key, "csrf\n" + visitor.csrf_binding); }

bool CsrfTokenValid(const Visitor& visitor, std::string_view key, std::string_view token) {
  return !visitor.csrf_binding.empty() && VerifySignature(key, "csrf\n" + visitor.csrf_binding, token);
}

std::string SessionCookie(std::string_view token, bool secure) {
  return Cookie(kSessionCookie, token, "Lax", kSessionSeconds, secure);
}

std::string EndSessionCookie(bool secure) { return Cookie(kSessionCookie, "", "Lax", 0, secure); }

}  // namespace rt
