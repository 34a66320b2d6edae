#include "cli/terminal_text.h"

namespace rt {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// The length of a sequence to replace at `i`, or 0.
std::size_t UnsafeAt(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7F) return 1;
  auto byte = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  if (c == 0xC2 && byte(1) >= 0x80 && byte(1) <= 0x9F) return 2;  // C1 controls, U+0080..U+009F
  if (c == 0xE2 && byte(1) == 0x80 && byte(2) >= 0xAA && byte(2) <= 0xAE) return 3;  // U+202A..U+202E
  if (c == 0xE2 && byte(1) == 0x81 && byte(2) >= 0xA6 && byte(2) <= 0xA9) return 3;  // U+2066..U+2069
  return 0;
}

}  // namespace

std::string TerminalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (std::size_t n = UnsafeAt(text, i)) {
      out += kReplacement;
      i += n;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace rt
