#pragma once
// Text in any charset to valid UTF-8: one implementation for MIME parts, headers and
// pipermail pages.

#include <string>
#include <string_view>

namespace rt {

/// Converts `text` from the iconv charset `from` into *out; false when the charset is
/// unknown or the bytes are not valid in it. Thread-safe: each thread keeps its own
/// converters open, since iconv_open costs a dlopen and a table search.
bool ConvertToUtf8(std::string_view text, const char* from, std::string* out);

/// `text` with invalid UTF-8 sequences replaced by U+FFFD.
std::string MakeValidUtf8(std::string_view text);

/// Header text with raw ISO-2022-JP escape sequences (old Japanese mail put them in
/// headers without RFC 2047 encoding) converted to UTF-8; any other text as it is.
std::string DecodeRawIso2022Jp(std::string_view text);

/// Converts text declared in `charset` (a MIME name, may be null or empty) to valid
/// UTF-8: valid UTF-8 is kept when nothing else is declared; a missing, unknown or
/// lying charset falls back to UTF-8 when the bytes are valid UTF-8, else windows-1252,
/// then ISO-8859-1. *repaired says whether a fallback was needed.
std::string ToUtf8(std::string_view text, const char* charset, bool* repaired);

}  // namespace rt
