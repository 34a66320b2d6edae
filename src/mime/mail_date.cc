#include "mime/mail_date.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rt {
namespace {

// A date is some 40 characters; the rest of a longer text is comments or junk.
constexpr std::size_t kMaxDateChars = 512;

// Older years are typos or broken clocks, not mail; five-digit years are junk.
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 9999;

// Real zone offsets lie within +-14:00; anything beyond is a bogus zone, ignored.
constexpr int kMaxZoneMinutes = 14 * 60;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}

// Month 1-12 when `word` is a month name or an abbreviation of at least three letters.
std::optional<int> MonthFromWord(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (word.size() < 3) return std::nullopt;
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (word.size() <= kMonths[m].size() && EqualsNoCase(word, kMonths[m].substr(0, word.size()))) {
      return static_cast<int>(m) + 1;
    }
  }
  return std::nullopt;
}

// Offset in minutes east of UTC for the zone names found in archives. RFC 5322's
// (UT, GMT, EST ... PDT) come first; where a name is ambiguous (CST, IST) the RFC
// or the most common meaning in mail wins. Military letters are left out on
// purpose: RFC 5322 says to read them as UTC, which is the default anyway.
std::optional<int> ZoneFromWord(std::string_view word) {
  struct Zone {
    std::string_view name;
    int minutes;
  };
  static constexpr Zone kZones[] = {
      {"ut", 0},        {"utc", 0},       {"gmt", 0},       {"z", 0},         {"uct", 0},
      {"est", -5 * 60}, {"edt", -4 * 60}, {"cst", -6 * 60}, {"cdt", -5 * 60}, {"mst", -7 * 60},
      {"mdt", -6 * 60}, {"pst", -8 * 60}, {"pdt", -7 * 60}, {"akst", -9 * 60}, {"akdt", -8 * 60},
      {"hst", -10 * 60}, {"ast", -4 * 60}, {"adt", -3 * 60}, {"nst", -210},   {"ndt", -150},
      {"wet", 0},       {"west", 60},     {"bst", 60},      {"cet", 60},      {"met", 60},
      {"mez", 60},      {"cest", 120},    {"mest", 120},    {"mesz", 120},    {"eet", 120},
      {"eest", 180},    {"msk", 180},     {"ist", 330},     {"pkt", 300},     {"ict", 420},
      {"wib", 420},     {"hkt", 480},     {"sgt", 480},     {"awst", 480},    {"jst", 540},
      {"kst", 540},     {"acst", 570},    {"aest", 600},    {"aedt", 660},    {"nzst", 720},
      {"nzdt", 780},    {"wat", 60},      {"cat", 120},     {"eat", 180},     {"sast", 120},
      // Latin America, the Gulf, South and Southeast Asia (IGF and regional forums' lists).
      {"brt", -180},    {"brst", -120},   {"art", -180},    {"clt", -240},    {"clst", -180},
      {"uyt", -180},    {"pet", -300},    {"cot", -300},    {"bot", -240},    {"pyt", -240},
      {"vet", -240},    {"msd", 240},     {"irst", 210},    {"gst", 240},     {"npt", 345},
      {"pht", 480},     {"myt", 480},     {"wita", 480},    {"wit", 540},
  };
  for (const Zone& zone : kZones) {
    if (EqualsNoCase(word, zone.name)) return zone.minutes;
  }
  return std::nullopt;
}

struct Number {
  int value;
  std::size_t digits;
};

// The pieces of a date as they turn up, in any order.
struct Pieces {
  std::vector<Number> numbers;  // day, year, or year-month-day
  std::optional<int> month;
  bool have_time = false;
  int hour = 0, minute = 0, second = 0;
  std::optional<int> numeric_zone;  // minutes east of UTC
  std::optional<int> named_zone;
  bool bogus_zone = false;
  char meridiem = 0;  // 'a' or 'p'
};

// Reads a run of at most `max_digits` digits at text[*i]; nullopt (and *i unchanged)
// when there are none or too many.
std::optional<int> ReadDigits(std::string_view text, std::size_t* i, std::size_t max_digits) {
  std::size_t j = *i;
  int value = 0;
  while (j < text.size() && IsDigit(text[j])) {
    if (j - *i >= max_digits) return std::nullopt;
    value = value * 10 + (text[j] - '0');
    ++j;
  }
  if (j == *i) return std::nullopt;
  *i = j;
  return value;
}

// "09:22", "9:22:30", "09:22:30.123" at text[*i]; advances *i past it.
bool ReadTime(std::string_view text, std::size_t* i, Pieces* pieces) {
  std::size_t j = *i;
  std::optional<int> hour = ReadDigits(text, &j, 2);
  if (!hour || j >= text.size() || text[j] != ':') return false;
  ++j;
  std::optional<int> minute = ReadDigits(text, &j, 2);
  if (!minute) return false;
  int second = 0;
  if (j + 1 < text.size() && text[j] == ':' && IsDigit(text[j + 1])) {
    ++j;
    std::optional<int> s = ReadDigits(text, &j, 2);
    if (!s) return false;
    second = *s;
    if (j + 1 < text.size() && (text[j] == '.' || text[j] == ',') && IsDigit(text[j + 1])) {
      ++j;
      while (j < text.size() && IsDigit(text[j])) ++j;  // fractions of a second
    }
  }
  pieces->have_time = true;
  pieces->hour = *hour;
  pieces->minute = *minute;
  pieces->second = second;
  *i = j;
  return true;
}

// "+0100", "-05:00", "+01", "-500" at text[*i] (the sign); advances *i past it.
void ReadNumericZone(std::string_view text, std::size_t* i, Pieces* pieces) {
  int sign = text[*i] == '-' ? -1 : 1;
  std::size_t j = *i + 1;
  std::size_t start = j;
  while (j < text.size() && IsDigit(text[j])) ++j;
  std::string_view digits = text.substr(start, j - start);
  int hours = -1, minutes = 0;
  auto value = [](std::string_view d) {
    int v = 0;
    for (char c : d) v = v * 10 + (c - '0');
    return v;
  };
  if (digits.size() == 2 && j + 2 < text.size() && text[j] == ':' && IsDigit(text[j + 1]) &&
      IsDigit(text[j + 2])) {
    hours = value(digits);
    minutes = value(text.substr(j + 1, 2));
    j += 3;
  } else if (digits.size() == 4 || digits.size() == 3) {
    hours = value(digits.substr(0, digits.size() - 2));
    minutes = value(digits.substr(digits.size() - 2));
  } else if (digits.size() <= 2) {
    hours = value(digits);
  }
  *i = j;
  if (hours < 0 || minutes > 59 || hours * 60 + minutes > kMaxZoneMinutes) {
    pieces->bogus_zone = true;
    return;
  }
  pieces->numeric_zone = sign * (hours * 60 + minutes);
}

void ReadWord(std::string_view word, Pieces* pieces) {
  if (!pieces->month) {
    if (std::optional<int> month = MonthFromWord(word)) {
      pieces->month = month;
      return;
    }
  }
  if (EqualsNoCase(word, "am") || EqualsNoCase(word, "pm")) {
    pieces->meridiem = ToLower(word[0]);
    return;
  }
  if (!pieces->named_zone) pieces->named_zone = ZoneFromWord(word);
}

Pieces Tokenize(std::string_view text) {
  Pieces pieces;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '(') {  // a comment, as in "+0100 (CET)"; they nest
      int depth = 0;
      while (i < text.size()) {
        if (text[i] == '(') ++depth;
        if (text[i] == ')' && --depth == 0) break;
        ++i;
      }
      ++i;
      continue;
    }
    if (IsDigit(c)) {
      if (!pieces.have_time && ReadTime(text, &i, &pieces)) continue;
      std::size_t j = i;
      while (j < text.size() && IsDigit(text[j])) ++j;
      std::size_t digits = j - i;
      std::size_t k = j;
      while (k < text.size() && IsAlpha(text[k])) ++k;
      std::string_view suffix = text.substr(j, k - j);
      bool iso_t = EqualsNoCase(suffix, "t") && k < text.size() && IsDigit(text[k]);  // "2007-01-09T09:22"
      bool ordinal = EqualsNoCase(suffix, "st") || EqualsNoCase(suffix, "nd") || EqualsNoCase(suffix, "rd") ||
                     EqualsNoCase(suffix, "th");
      if (suffix.empty() || iso_t || ordinal) {
        if (digits <= 4) {
          int value = 0;
          for (std::size_t d = i; d < j; ++d) value = value * 10 + (text[d] - '0');
          pieces.numbers.push_back(Number{value, digits});
        }
        i = iso_t ? k : (ordinal ? k : j);
        continue;
      }
      // Digits run into letters ("jdoe2007", "5EDT"): junk, skipped whole.
      while (k < text.size() && (IsAlpha(text[k]) || IsDigit(text[k]))) ++k;
      i = k;
      continue;
    }
    if ((c == '+' || c == '-') && pieces.have_time && !pieces.numeric_zone && i + 1 < text.size() &&
        IsDigit(text[i + 1])) {
      ReadNumericZone(text, &i, &pieces);
      continue;
    }
    if (IsAlpha(c)) {
      std::size_t j = i;
      while (j < text.size() && IsAlpha(text[j])) ++j;
      if (j < text.size() && IsDigit(text[j])) {  // "EST5EDT", "x2": junk
        while (j < text.size() && (IsAlpha(text[j]) || IsDigit(text[j]))) ++j;
      } else {
        ReadWord(text.substr(i, j - i), &pieces);
      }
      i = j;
      continue;
    }
    ++i;  // spaces, commas, dots, slashes, stray bytes
  }
  return pieces;
}

bool IsLeapYear(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(std::int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t* y, int* m, int* d) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

// RFC 5322 4.3: two-digit years 00-49 are 2000-2049, 50-99 and all three-digit
// years (Y2K-broken mailers wrote "107") count from 1900.
int FullYear(const Number& n) {
  if (n.digits <= 2) return n.value < 50 ? 2000 + n.value : 1900 + n.value;
  if (n.digits == 3) return 1900 + n.value;
  return n.value;
}

std::optional<std::int64_t> Assemble(const Pieces& p) {
  int year = 0, month = 0, day = 0;
  if (p.month) {
    // "9 Jan 2007", "Jan 9 2007", "Jan  9 09:22:30 EST 2007", "9 Jan 07", "2007 Jan 9".
    month = *p.month;
    const Number* y = nullptr;
    const Number* d = nullptr;
    for (const Number& n : p.numbers) {
      if (n.digits >= 3 && y == nullptr) y = &n;
      if (n.digits <= 2 && d == nullptr) d = &n;
    }
    if (y == nullptr && d != nullptr) {
      for (const Number& n : p.numbers) {
        if (&n != d && n.digits <= 2) {
          y = &n;
          break;
        }
      }
    }
    if (y == nullptr || d == nullptr) return std::nullopt;
    year = FullYear(*y);
    day = d->value;
  } else {
    // Numeric dates only in year-first order ("2007-01-09", "2007/01/09"): "01/09/2007"
    // could be either January or September.
    if (p.numbers.size() < 3 || p.numbers[0].digits != 4) return std::nullopt;
    year = p.numbers[0].value;
    month = p.numbers[1].value;
    day = p.numbers[2].value;
  }
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > DaysInMonth(year, month)) return std::nullopt;

  int hour = p.hour;
  if (p.meridiem != 0 && hour >= 1 && hour <= 12) hour = hour % 12 + (p.meridiem == 'p' ? 12 : 0);
  bool midnight_24 = hour == 24 && p.minute == 0 && p.second == 0;  // ISO 8601 end of day
  if ((hour > 23 && !midnight_24) || p.minute > 59 || p.second > 60) return std::nullopt;

  int zone = p.numeric_zone ? *p.numeric_zone : (p.named_zone ? *p.named_zone : 0);
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + p.minute * 60 + p.second -
         static_cast<std::int64_t>(zone) * 60;
}

}  // namespace

std::optional<std::int64_t> ParseMailDate(std::string_view text) {
  return Assemble(Tokenize(text.substr(0, std::min(text.size(), kMaxDateChars))));
}

std::string FormatUtc(std::int64_t unix_seconds, const char* format) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[64];
  std::size_t n = std::strftime(out, sizeof out, format, &tm);
  return std::string(out, n);
}

std::string FormatIsoUtc(std::int64_t unix_seconds) {
  // Floor division, so times before 1970 land on the right day.
  std::int64_t days = unix_seconds / 86400;
  std::int64_t rest = unix_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  std::int64_t year = 0;
  int month = 0, day = 0;
  CivilFromDays(days, &year, &month, &day);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(year), month, day,
                static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return buffer;
}

std::optional<std::int64_t> ParseIsoDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(text[i])) return std::nullopt;
  }
  auto number = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  return DaysFromCivil(year, month, day) * 86400;
}

}  // namespace rt
