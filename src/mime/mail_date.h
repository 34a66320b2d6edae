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
/// Also: full month and weekday names, "9th", "1:21 AM" (Outlook's "Sent:" line),
/// 3-digit Y2K years ("107" = 2007).
/// Years follow RFC 5322 4.3: 00-49 are 2000-2049, 50-99 and 3-digit years count
/// from 1900. A missing zone means UTC, and so do military letters (RFC 5322 says
/// their signs cannot be trusted); a numeric offset wins over a zone name; an
/// impossible offset (beyond +-14:00, minutes over 59) is ignored, the date kept.
/// nullopt when no date can be recovered: no day, month or year, a year outside
/// 1900-9999, an impossible day or time, or an all-numeric date not in year-first
/// order ("01/09/2007" could be January or September). Only the first 512 bytes
/// are read. Never reads outside `text`; thread-safe.
std::optional<std::int64_t> ParseMailDate(std::string_view text);

/// "2007-01-09T14:22:30Z". Any value is accepted (years before 1970 included).
std::string FormatIsoUtc(std::int64_t unix_seconds);

/// The time in UTC through strftime's `format` in the C locale's names ("%a, %d %b %Y
/// %H:%M:%S +0000" for RFC 5322); at most 63 bytes.
std::string FormatUtc(std::int64_t unix_seconds, const char* format);

/// The start of the given ISO day, exactly "YYYY-MM-DD", in UTC; nullopt if malformed
/// or not a real calendar day.
std::optional<std::int64_t> ParseIsoDay(std::string_view text);

}  // namespace rt
