#include "util/utf8_prefix.h"

namespace rt {

std::string_view Utf8Prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  // A character has at most three continuation bytes; past them the text is not UTF-8
  // there, and backing off further could empty it.
  for (int i = 0; i < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; ++i) --cut;
  return text.substr(0, cut);
}

}  // namespace rt
