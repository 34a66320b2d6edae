#include "people/address.h"

#include <algorithm>
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

namespace {

bool LocalPartChar(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'' || c >= 0x80;
}
bool DomainChar(unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c >= 0x80; }

}  // namespace

std::string MaskAddresses(std::string_view text) {
  std::string out(text);
  for (std::size_t at = out.find('@'); at != std::string::npos; at = out.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && LocalPartChar(static_cast<unsigned char>(out[begin - 1]))) --begin;
    std::size_t end = at + 1;
    while (end < out.size() && DomainChar(static_cast<unsigned char>(out[end]))) ++end;
    std::string_view domain = std::string_view(out).substr(at + 1, end - at - 1);
    if (begin == at || domain.find('.') == std::string_view::npos) continue;
    std::size_t keep = std::min<std::size_t>(3, (at - begin) / 2);
    for (std::size_t i = begin + keep; i < at; ++i) out[i] = '*';
  }
  return out;
}

}  // namespace rt
