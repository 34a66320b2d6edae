#pragma once
// The parts of a request target a page reads: decoded path segments, query
// parameters and cookies. Parsed with Boost.URL; invalid targets are an error value.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace rt {

struct RequestUrl {
  std::string path;                   ///< decoded, e.g. "/f/igf/l/policy/"
  std::string encoded_path;           ///< as sent: safe to put back into a URL
  std::vector<std::string> segments;  ///< decoded; a trailing slash adds no empty segment
  bool trailing_slash = false;
  std::vector<std::pair<std::string, std::string>> params;  ///< decoded query, in order

  /// The first value of a parameter, or "".
  std::string Param(std::string_view name) const;
  /// A non-negative integer parameter, or `fallback` when absent or not a number.
  std::int64_t IntParam(std::string_view name, std::int64_t fallback) const;
};

/// InvalidArgument for a target that is not an origin-form URL ("/path?query").
Result<RequestUrl> ParseRequestUrl(std::string_view target);

/// One path segment, percent-encoded ("a b/c" -> "a%20b%2Fc").
std::string EncodeSegment(std::string_view segment);
/// A query parameter value, percent-encoded.
std::string EncodeQueryValue(std::string_view value);

/// The value of a cookie in a Cookie header, or "".
std::string CookieValue(std::string_view cookie_header, std::string_view name);

/// A path on this site, safe to redirect to: "/" then visible ASCII only. Browsers drop
/// tabs and newlines from URLs and read '\\' as '/', so "/\t/evil.example" would leave it.
bool IsSafeBackPath(std::string_view back);

/// A decimal integer covering the whole of `text`, or nothing.
std::optional<std::int64_t> ParseInt(std::string_view text);

}  // namespace rt
