#include "people/countries.h"

#include <iterator>

namespace rt {
namespace {

constexpr Country kTable[] = {
#include "people/countries_table.inc"
};

char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

const std::vector<Country>& Countries() {
  // Never destroyed, so pointers from FindCountry stay valid during static destruction.
  static const auto* countries = new std::vector<Country>(std::begin(kTable), std::end(kTable));
  return *countries;
}

const Country* FindCountry(std::string_view code) {
  if (code.size() != 2) return nullptr;
  const char upper[2] = {AsciiUpper(code[0]), AsciiUpper(code[1])};
  // 249 two-byte comparisons: a scan is as fast as an index would be.
  for (const Country& country : Countries()) {
    if (country.code[0] == upper[0] && country.code[1] == upper[1]) return &country;
  }
  return nullptr;
}

}  // namespace rt
