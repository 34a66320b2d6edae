#include "web/display.h"

#include <algorithm>

#include "mime/charset.h"
#include "mime/mail_date.h"

namespace rt {

// The calendar arithmetic is FormatIsoUtc's (mime/mail_date.h); 0 means undated here.
std::string DisplayDate(std::int64_t unix_seconds) {
  if (unix_seconds == 0) return "";
  std::string iso = FormatIsoUtc(unix_seconds);  // 2007-01-09T09:22:30Z
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

std::string IsoDate(std::int64_t unix_seconds) { return unix_seconds == 0 ? "" : FormatIsoUtc(unix_seconds); }

std::string MonthOfDate(std::int64_t unix_seconds) {
  return unix_seconds == 0 ? "" : FormatIsoUtc(unix_seconds).substr(0, 7);
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
