#include "store/database_location.h"

#include <string_view>

#include "store/store.h"

namespace rt {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// libpq's URI decoding: %XX escapes; false when one is malformed or decodes to NUL.
bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      *out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return false;
    *out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

}  // namespace

PgUrl SplitPassword(const std::string& location) {
  PgUrl result;
  result.url = location;
  std::size_t start = location.find("://");
  if (start == std::string::npos) return result;
  start += 3;
  std::string url = location;
  // User and password: up to the first '@' that comes before any '/'.
  std::size_t stop = url.find_first_of("@/", start);
  if (stop != std::string::npos && url[stop] == '@') {
    std::size_t colon = url.find(':', start);
    if (colon != std::string::npos && colon < stop) {
      if (!PercentDecode(std::string_view(url).substr(colon + 1, stop - colon - 1), &result.password))
        result.malformed = true;
      url.erase(colon, stop - colon);
    }
  }
  // ...and a password=... parameter.
  std::size_t query = url.find('?', start);
  if (query != std::string::npos) {
    std::string kept;
    std::size_t pos = query + 1;
    while (pos <= url.size()) {
      std::size_t amp = url.find('&', pos);
      if (amp == std::string::npos) amp = url.size();
      std::string_view param = std::string_view(url).substr(pos, amp - pos);
      if (param.rfind("password=", 0) == 0) {
        if (!PercentDecode(param.substr(9), &result.password)) result.malformed = true;
      } else if (!param.empty()) {
        kept += (kept.empty() ? "" : "&") + std::string(param);
      }
      pos = amp + 1;
    }
    url = url.substr(0, query) + (kept.empty() ? "" : "?" + kept);
  }
  result.url = url;
  return result;
}


bool IsPostgresUrl(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string DescribeDatabaseLocation(const std::string& location) {
  if (IsPostgresUrl(location)) return SplitPassword(location).url;
  return location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location;
}

}  // namespace rt
