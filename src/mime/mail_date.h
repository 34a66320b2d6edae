#pragma once
// Dates as they appear in mail headers, mbox "From " lines and pipermail pages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rt {

/// Seconds since the Unix epoch (UTC) for a date written in any form found in real
/// archives: RFC 5322 and its obsolete forms (no weekday, 2- or 4-digit years, named
/// zones such as EST/PDT/GMT/UT, military letters, "+0100 (CET)" comments, missing
/// seconds, extra spaces or commas), asctime/ctime as in mbox "From " lines
/// ("Tue Jan  9 09:22:30 2007", with or without a zone name before the year), and
/// ISO 8601 ("2007-01-09T09:22:30Z", "2007-01-09 09:22:30+01:00", "2007-01-09").
/// A missing zone means UTC. nullopt when no date can be recovered.
std::optional<std::int64_t> ParseMailDate(std::string_view text);

/// "2007-01-09T14:22:30Z".
std::string FormatIsoUtc(std::int64_t unix_seconds);

/// The start of the given ISO day ("2007-01-09") in UTC; nullopt if malformed.
std::optional<std::int64_t> ParseIsoDay(std::string_view text);

}  // namespace rt
