#include "people/address.h"

#include <cctype>

#include "archive/pipermail_page.h"

namespace rt {

std::string NormalizeAddress(std::string_view address) {
  std::string a = DeobfuscateAddress(address);
  std::size_t b = 0, e = a.size();
  while (b < e && (std::isspace(static_cast<unsigned char>(a[b])) || a[b] == '<' || a[b] == '"')) ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(a[e - 1])) || a[e - 1] == '>' || a[e - 1] == '"' ||
                   a[e - 1] == '.'))
    --e;
  std::string out;
  out.reserve(e - b);
  for (std::size_t i = b; i < e; ++i) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(a[i]))));
  std::size_t at = out.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == out.size()) return "";
  for (char c : out)
    if (std::isspace(static_cast<unsigned char>(c))) return "";
  if (out.compare(at + 1, std::string::npos, "googlemail.com") == 0) out.replace(at + 1, std::string::npos, "gmail.com");
  return out;
}

std::string_view AddressDomain(std::string_view normalized) {
  std::size_t at = normalized.rfind('@');
  return at == std::string_view::npos ? std::string_view() : normalized.substr(at + 1);
}

}  // namespace rt
