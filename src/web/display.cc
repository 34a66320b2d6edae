#include "web/display.h"

#include <ctime>

#include <fmt/format.h>

#include "mime/charset.h"

namespace rt {

namespace {

bool ToUtc(std::int64_t unix_seconds, std::tm* tm) {
  if (unix_seconds == 0) return false;
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  return gmtime_r(&t, tm) != nullptr;
}

}  // namespace

std::string DisplayDate(std::int64_t unix_seconds) {
  std::tm tm{};
  if (!ToUtc(unix_seconds, &tm)) return "";
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min);
}

std::string IsoDate(std::int64_t unix_seconds) {
  std::tm tm{};
  if (!ToUtc(unix_seconds, &tm)) return "";
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

std::string MonthOfDate(std::int64_t unix_seconds) {
  std::tm tm{};
  if (!ToUtc(unix_seconds, &tm)) return "";
  return fmt::format("{:04}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1);
}

std::string XmlSafe(std::string_view text) {
  std::string valid = MakeValidUtf8(text);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(valid[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out.push_back(' ');
    } else if (c == 0xEF && i + 2 < valid.size() && static_cast<unsigned char>(valid[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(valid[i + 2]) & 0xFE) == 0xBE) {
      out += "\uFFFD";  // U+FFFE and U+FFFF are not XML characters
      i += 2;
    } else {
      out.push_back(valid[i]);
    }
  }
  return out;
}

std::string ObfuscateAddress(std::string_view address) {
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return std::string(address.substr(0, 3)) + "…";
  std::string_view local = address.substr(0, at);
  // Whole UTF-8 characters only: stop before a continuation byte.
  std::size_t keep = std::min<std::size_t>(3, local.size() / 2);
  while (keep > 0 && keep < local.size() && (static_cast<unsigned char>(local[keep]) & 0xC0) == 0x80) --keep;
  return std::string(local.substr(0, keep)) + "…" + std::string(address.substr(at));
}

std::string AuthorName(std::string_view name, std::string_view address) {
  // Some senders put their address in the name too.
  if (!name.empty()) return name.find('@') == std::string_view::npos ? std::string(name) : ObfuscateAddress(name);
  if (!address.empty()) return ObfuscateAddress(address);
  return "";
}

}  // namespace rt
