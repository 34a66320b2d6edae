#pragma once
// Cutting text to a size in bytes without splitting a character.

#include <cstddef>
#include <string_view>

namespace rt {

/// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a
/// UTF-8 sequence (`text` itself when it fits).
std::string_view Utf8Prefix(std::string_view text, std::size_t max_bytes);

}  // namespace rt
