#pragma once
// The web application: routes a request to a page or the API, answers from the page
// cache when it can, and adds what every response needs (validators, compression,
// security headers). Thread-safe: one instance serves every server thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/notices.h"
#include "gateway/post_rules.h"
#include "web/http.h"

namespace rt {

struct WebOptions {
  std::string db;        ///< database location, as for every command
  std::string base_url;  ///< "http://127.0.0.1:8080": absolute links in feeds
  std::size_t cache_bytes = 32 << 20;  ///< page cache budget
  int store_cache_mib = 8;             ///< SQLite page cache per connection
  MailSite mail;                       ///< who the site is in the mail it sends
  PostPolicy policy;                   ///< when posts wait for a moderator
};

/// The headers every response carries: Content-Security-Policy, nosniff, Referrer-Policy,
/// no framing. Also for the responses the HTTP server makes itself.
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

class WebApp {
 public:
  /// Opens the database once to check it (throws std::runtime_error with the reason when
  /// it cannot be opened) and prepares templates and assets.
  explicit WebApp(WebOptions options);
  ~WebApp();
  WebApp(const WebApp&) = delete;
  WebApp& operator=(const WebApp&) = delete;

  HttpResponse Handle(const HttpRequest& request);
  /// The answer when it is ready without rendering (a static file, a cached page), for
  /// the server's network threads; nullopt: call Handle.
  std::optional<HttpResponse> TryCached(const HttpRequest& request);
  /// The site's signing key (store Secret): CSRF and unsubscribe tokens.
  const std::string& SigningKey() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rt
