#pragma once
// How archive data is shown to people: dates, names, and addresses kept from harvesters.

#include <cstdint>
#include <string>
#include <string_view>

namespace rt {

/// "2007-01-09 09:22" (UTC); "" for 0 (undated).
std::string DisplayDate(std::int64_t unix_seconds);
/// "2007-01-09T09:22:30Z" (RFC 3339, UTC); "" for 0.
std::string IsoDate(std::int64_t unix_seconds);
/// "2007-01"; "" for 0.
std::string MonthOfDate(std::int64_t unix_seconds);

/// Text that XML 1.0 accepts: valid UTF-8 without C0 controls (tab, newline and carriage
/// return kept) or U+FFFE/U+FFFF. Old list mail has form feeds and stray bytes.
std::string XmlSafe(std::string_view text);

/// "jan…@example.org": enough to recognise, useless to a harvester.
std::string ObfuscateAddress(std::string_view address);

/// The name to show for an author: the display name, else the obfuscated address;
/// "" when neither is known. A name that contains an address is obfuscated too.
std::string AuthorName(std::string_view name, std::string_view address);

}  // namespace rt
