#pragma once
// ASCII case for protocol tokens (header names, addresses' domains, encodings): never
// locale-dependent, unlike std::tolower.

#include <string>
#include <string_view>

namespace rt {

/// `s` with A-Z turned into a-z; other bytes (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view s);

/// Whether `a` and `b` are equal ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace rt
