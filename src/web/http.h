#pragma once
// HTTP requests and responses as plain data, so handlers never see the networking library.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rt {

/// One request, fully read (headers and body) before the handler sees it.
struct HttpRequest {
  std::string method;  ///< "GET", "HEAD", "POST"... as sent (case-sensitive token)
  std::string target;  ///< as sent, origin-form: "/t/12?view=nested" (or "*" for OPTIONS)
  std::string client;  ///< remote IP address as text: "203.0.113.7", "2001:db8::1"
  /// What per-client limits count: `client`, or its /64 for IPv6 (ClientAddress::rate_key).
  std::string client_key;
  std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-cased, in order sent
  std::string body;                                           ///< de-chunked; at most max_body_bytes

  /// The value of the first header named `lower_name` (which must be lower-case), or "" when
  /// absent. The view points into this request and lives as long as it does.
  std::string_view Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return {};
  }
};

/// What a handler answers. The server adds Date, Content-Length and, when it closes the
/// connection, Connection: close; extra headers with those names (or Transfer-Encoding)
/// are ignored. A status outside [200, 599], or a header name or value that is not valid
/// HTTP (CR, LF or NUL in a value, a name that is not a token), makes the server answer 500.
/// For 204 and 304 no body, Content-Type or Content-Length is sent.
struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";  ///< "" sends no Content-Type
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra: ETag, Cache-Control, Location, Set-Cookie, Vary...
  bool body_is_gzip = false;  ///< body is already gzip-encoded: the server sends Content-Encoding: gzip
  /// When set, sent instead of `body` without copying it: for bodies the handler keeps
  /// (a page cache). Must not change while the response is written.
  std::shared_ptr<const std::string> shared_body;

  const std::string& Body() const { return shared_body ? *shared_body : body; }
};

/// Called on a server thread, possibly on several threads at once: must be thread-safe.
/// It may throw; the client then gets a generic 500 and the server keeps serving.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

/// Answers at once when it can without blocking (a cache hit), on a network thread;
/// nullopt hands the request to the HttpHandler on the render threads. So slow pages
/// (an unseen search) never hold up the quick ones. Thread-safe; it may throw (500).
using HttpFastHandler = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

/// One line of the access log, reported after a response was written (or failed to be).
struct AccessLogEntry {
  std::int64_t unix_ms;    ///< when the request's first byte was read (wall clock)
  std::string client;      ///< remote IP address
  std::string method;      ///< "" when the request was unreadable (431, 503)
  std::string target;      ///< "" likewise
  std::string user_agent;  ///< "" when absent
  int status;
  std::size_t bytes;       ///< bytes written for this response, status line and headers included
  std::int64_t micros;     ///< from the request's first byte to the response's last byte
};

}  // namespace rt
