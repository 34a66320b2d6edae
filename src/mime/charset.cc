#include "mime/charset.h"

#include <gmime/gmime.h>

#include <map>

namespace rt {

// iconv_open costs a dlopen and a table search; a worker converts thousands of parts
// from a handful of charsets, so each thread keeps its converters open.
bool ConvertToUtf8(std::string_view text, const char* from, std::string* out) {
  struct Converters {
    std::map<std::string, GIConv> open;
    ~Converters() {
      for (auto& [name, cd] : open)
        if (cd != reinterpret_cast<GIConv>(-1)) g_iconv_close(cd);
    }
  };
  thread_local Converters converters;
  auto it = converters.open.find(from);
  if (it == converters.open.end()) it = converters.open.emplace(from, g_iconv_open("UTF-8", from)).first;
  if (it->second == reinterpret_cast<GIConv>(-1)) return false;
  gsize written = 0;
  gchar* converted = g_convert_with_iconv(text.data(), static_cast<gssize>(text.size()), it->second, nullptr,
                                          &written, nullptr);
  g_iconv(it->second, nullptr, nullptr, nullptr, nullptr);  // reset shift state for the next use
  if (!converted) return false;
  out->assign(converted, written);
  g_free(converted);
  return true;
}

std::string MakeValidUtf8(std::string_view text) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) return std::string(text);
  gchar* valid = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string out(valid);
  g_free(valid);
  return out;
}

std::string DecodeRawIso2022Jp(std::string_view text) {
  std::string out;
  // ESC $ B / ESC $ @ switch to JIS X 0208: the mark of ISO-2022-JP.
  if (text.find("\x1b$B") == std::string_view::npos && text.find("\x1b$@") == std::string_view::npos)
    return std::string(text);
  return ConvertToUtf8(text, "ISO-2022-JP", &out) ? out : std::string(text);
}

std::string ToUtf8(std::string_view text, const char* charset, bool* repaired) {
  *repaired = false;
  const char* iconv_name = charset && *charset ? g_mime_charset_iconv_name(charset) : nullptr;
  bool declared_utf8 = iconv_name && (g_ascii_strcasecmp(iconv_name, "UTF-8") == 0 || g_ascii_strcasecmp(iconv_name, "utf8") == 0);
  if ((!iconv_name || declared_utf8 || g_ascii_strcasecmp(iconv_name, "us-ascii") == 0 ||
       g_ascii_strcasecmp(iconv_name, "ANSI_X3.4-1968") == 0) &&
      g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr))
    return std::string(text);
  std::string out;
  if (iconv_name && !declared_utf8 && ConvertToUtf8(text, iconv_name, &out)) return out;
  // The declared charset is missing, unknown ("x-unknown", "unknown-8bit") or wrong. Text
  // that is valid UTF-8 almost certainly is; mail from the era of these archives is
  // overwhelmingly windows-1252 otherwise; latin-1 never fails as a last resort.
  bool valid_utf8 = g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr);
  *repaired = iconv_name != nullptr || !valid_utf8;
  if (valid_utf8) return std::string(text);
  for (const char* fallback : {"windows-1252", "ISO-8859-1"})
    if (ConvertToUtf8(text, fallback, &out)) return out;
  return MakeValidUtf8(text);
}

}  // namespace rt
