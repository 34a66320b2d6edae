#include "mime/mail_date.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace rt {
namespace {

// Expected values computed independently (Python's datetime).
constexpr std::int64_t kJan9Est = 1168352550;  // 2007-01-09 09:22:30 -0500
constexpr std::int64_t kJan9Utc = 1168334550;  // 2007-01-09 09:22:30 UTC

TEST(MailDateTest, Rfc5322) {
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 -0500"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 9 Jan 2007 09:22:30 -0500"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 14:22:30 +0000"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 15:22:30 +0100 (CET)"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 14:22:30 -0000"), kJan9Est);
}

TEST(MailDateTest, ObsoleteForms) {
  EXPECT_EQ(ParseMailDate("09 Jan 2007 09:22:30 -0500"), kJan9Est);                 // no weekday
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 07 09:22:30 -0500"), kJan9Est);              // two-digit year
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 107 09:22:30 -0500"), kJan9Est);             // Y2K-broken year
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22 -0500"), kJan9Est - 30);          // no seconds
  EXPECT_EQ(ParseMailDate("  Tue ,  09   Jan  2007   09:22:30   -0500  "), kJan9Est);  // extra spaces
  EXPECT_EQ(ParseMailDate("Tue,, 09 Jan, 2007, 09:22:30, -0500"), kJan9Est);        // extra commas
  EXPECT_EQ(ParseMailDate("Tue, 09-Jan-2007 09:22:30 -0500"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tuesday, January 09, 2007 09:22:30 -0500"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 -0500 (EST) (comment (nested))"), kJan9Est);
  EXPECT_EQ(ParseMailDate("tue, 09 JAN 2007 09:22:30 -0500"), kJan9Est);
}

TEST(MailDateTest, TwoDigitYearsFollowRfc5322) {
  EXPECT_EQ(ParseMailDate("1 Jun 49 00:00:00 GMT"), 2506118400);  // 2049
  EXPECT_EQ(ParseMailDate("1 Jun 50 00:00:00 GMT"), -618105600);  // 1950
  EXPECT_EQ(ParseMailDate("31 Dec 99 23:59 GMT"), 946684740);     // 1999
}

TEST(MailDateTest, NamedZones) {
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 EST"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 08:22:30 CST"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 06:22:30 PST"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 07:22:30 PDT"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 14:22:30 GMT"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 14:22:30 UT"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 15:22:30 CET"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 IST"), 1168314750);
  // Rio de Janeiro in January (summer time), Buenos Aires, Tehran, Kathmandu.
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 12:22:30 BRST"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue Jan  9 11:22:30 ART 2007"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 17:52:30 IRST"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 20:07:30 NPT"), kJan9Est);
  // Numeric offsets win over names.
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 -0500 PST"), kJan9Est);
}

TEST(MailDateTest, MilitaryZonesCountAsUtc) {
  // RFC 5322 4.3: their signs were wrong in RFC 822, so they carry no information.
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 Z"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 A"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 y"), kJan9Utc);
}

TEST(MailDateTest, MissingZoneIsUtc) {
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("9 Jan 2007"), 1168300800);
}

TEST(MailDateTest, BogusZonesAreIgnored) {
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 +9999"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 -2500"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 +0popo"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 +0175"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 +123456789012"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 XYZ"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 09:22:30 EST5EDT"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 10:22:30 -500"), 1168356150);  // "-500" read as -05:00
}

TEST(MailDateTest, Asctime) {
  EXPECT_EQ(ParseMailDate("Tue Jan  9 09:22:30 2007"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("Tue Jan  9 09:22:30 EST 2007"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue Jan 09 09:22:30 2007 -0500"), kJan9Est);
  EXPECT_EQ(ParseMailDate("Tue Jan  9 09:22:30 07"), kJan9Utc);
}

TEST(MailDateTest, Iso8601) {
  EXPECT_EQ(ParseMailDate("2007-01-09T09:22:30Z"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("2007-01-09T14:22:30+00:00"), kJan9Est);
  EXPECT_EQ(ParseMailDate("2007-01-09 15:22:30+01:00"), kJan9Est);
  EXPECT_EQ(ParseMailDate("2007-01-09 15:22:30 +0100"), kJan9Est);
  EXPECT_EQ(ParseMailDate("2007-01-09T09:22:30.123456-05:00"), kJan9Est);
  EXPECT_EQ(ParseMailDate("2007-01-09t09:22:30z"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("2007-01-09"), 1168300800);
  EXPECT_EQ(ParseMailDate("2007/01/09 09:22:30"), kJan9Utc);
  EXPECT_EQ(ParseMailDate("2007-01-09T24:00:00Z"), 1168387200);  // end of day
}

TEST(MailDateTest, OutlookSentLine) {
  EXPECT_EQ(ParseMailDate("Tuesday, January 09, 2007 1:21 AM"), 1168305660);
  EXPECT_EQ(ParseMailDate("Tuesday, January 09, 2007 1:21 PM"), 1168348860);
  EXPECT_EQ(ParseMailDate("Tuesday, January 09, 2007 12:05 PM"), 1168344300);
  EXPECT_EQ(ParseMailDate("Tuesday, January 09, 2007 12:05 AM"), 1168301100);
  EXPECT_EQ(ParseMailDate("January 9th, 2007"), 1168300800);
}

TEST(MailDateTest, YearRange) {
  EXPECT_EQ(ParseMailDate("Sun, 20 Jul 1969 20:17:40 +0000"), -14182940);
  EXPECT_EQ(ParseMailDate("1 Jan 1900 00:00:00 GMT"), -2208988800);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2107 09:22:30 GMT"), 4324008150);  // a broken clock, still a date
  EXPECT_EQ(ParseMailDate("Fri, 31 Dec 9999 23:59:59 GMT"), 253402300799);
  EXPECT_EQ(ParseMailDate("1 Jan 1899 00:00:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseMailDate("1 Jan 0001 00:00:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseMailDate("1 Jan 20070 00:00:00 GMT"), std::nullopt);
}

TEST(MailDateTest, InvalidDatesAreRejected) {
  EXPECT_EQ(ParseMailDate("Fri, 29 Feb 2008 12:00:00 GMT"), 1204286400);
  EXPECT_EQ(ParseMailDate("Thu, 29 Feb 2007 12:00:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseMailDate("31 Apr 2007 12:00:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseMailDate("0 Jan 2007 12:00:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseMailDate("9 Jan 2007 25:00:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseMailDate("9 Jan 2007 09:61:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseMailDate("2007-13-09"), std::nullopt);
  EXPECT_EQ(ParseMailDate("2007-02-30T00:00:00Z"), std::nullopt);
}

TEST(MailDateTest, UnrecoverableInputs) {
  EXPECT_EQ(ParseMailDate(""), std::nullopt);
  EXPECT_EQ(ParseMailDate("   "), std::nullopt);
  EXPECT_EQ(ParseMailDate("yesterday"), std::nullopt);
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan"), std::nullopt);
  EXPECT_EQ(ParseMailDate("Jan 2007"), std::nullopt);
  EXPECT_EQ(ParseMailDate("09:22:30"), std::nullopt);
  EXPECT_EQ(ParseMailDate("01/09/2007"), std::nullopt);  // January or September?
  EXPECT_EQ(ParseMailDate("Tue, 09 Jan 2007 (unterminated comment"), 1168300800);
  EXPECT_EQ(ParseMailDate("(Tue, 09 Jan 2007 all in a comment)"), std::nullopt);
  EXPECT_EQ(ParseMailDate("((((((((((("), std::nullopt);
  EXPECT_EQ(ParseMailDate(")))"), std::nullopt);
  EXPECT_EQ(ParseMailDate("+"), std::nullopt);
  EXPECT_EQ(ParseMailDate("9:"), std::nullopt);
  EXPECT_EQ(ParseMailDate("Jan 9 2007 9:"), 1168300800);
}

TEST(MailDateTest, TruncatedDates) {
  std::string full = "Tue, 09 Jan 2007 09:22:30 -0500 (EST)";
  for (std::size_t n = 0; n <= full.size(); ++n) {
    std::optional<std::int64_t> parsed = ParseMailDate(full.substr(0, n));  // never crashes
    if (n >= full.find("-0500") + 5) {
      EXPECT_EQ(parsed, kJan9Est) << n;
    }
  }
}

TEST(MailDateTest, NotNulTerminatedView) {
  std::string buffer = "9 Jan 2007 09:22:30 -05001234567";
  EXPECT_EQ(ParseMailDate(std::string_view(buffer).substr(0, 25)), kJan9Est);
}

TEST(MailDateTest, GarbageNeverCrashes) {
  std::mt19937 rng(7);
  const std::string alphabet = "0123456789:+-()., TZtzJanFebDecAMPMESTGMT\xFF\x80\t\n/";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    std::size_t len = rng() % 64;
    for (std::size_t k = 0; k < len; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    std::optional<std::int64_t> t = ParseMailDate(s);
    if (t) {
      // Whatever is accepted is a real calendar time in range.
      EXPECT_GE(*t, ParseMailDate("1 Jan 1900 00:00 GMT").value() - 15 * 3600) << s;
      EXPECT_LE(*t, ParseMailDate("31 Dec 9999 23:59:59 GMT").value() + 15 * 3600) << s;
    }
  }
  std::string huge(1 << 20, '9');
  EXPECT_EQ(ParseMailDate(huge), std::nullopt);
  std::string binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  ParseMailDate(binary);
  ParseMailDate(std::string(100000, '('));
}

TEST(MailDateTest, LongTextIsCappedNotScanned) {
  // The date must come first; a date buried after 512 characters is not looked for.
  EXPECT_EQ(ParseMailDate(std::string(600, ' ') + "9 Jan 2007"), std::nullopt);
  EXPECT_EQ(ParseMailDate("9 Jan 2007 " + std::string(600, 'x')), 1168300800);
}

TEST(MailDateTest, FormatIsoUtc) {
  EXPECT_EQ(FormatIsoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(kJan9Est), "2007-01-09T14:22:30Z");
  EXPECT_EQ(FormatIsoUtc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatIsoUtc(-14182940), "1969-07-20T20:17:40Z");
  EXPECT_EQ(FormatIsoUtc(-2208988800), "1900-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(1204286400), "2008-02-29T12:00:00Z");
  EXPECT_EQ(FormatIsoUtc(253402300799), "9999-12-31T23:59:59Z");
  // Extremes must not crash or overflow.
  EXPECT_FALSE(FormatIsoUtc(INT64_MAX).empty());
  EXPECT_FALSE(FormatIsoUtc(INT64_MIN).empty());
}

TEST(MailDateTest, RoundTrip) {
  for (std::int64_t t = -2208988800; t < 4102444800; t += 86400 * 37 + 12345) {
    EXPECT_EQ(ParseMailDate(FormatIsoUtc(t)), t) << FormatIsoUtc(t);
  }
}

TEST(MailDateTest, ParseIsoDay) {
  EXPECT_EQ(ParseIsoDay("2007-01-09"), 1168300800);
  EXPECT_EQ(ParseIsoDay("1970-01-01"), 0);
  EXPECT_EQ(ParseIsoDay("2008-02-29"), 1204243200);
  EXPECT_EQ(ParseIsoDay("2007-02-29"), std::nullopt);
  EXPECT_EQ(ParseIsoDay("2007-1-09"), std::nullopt);
  EXPECT_EQ(ParseIsoDay("2007-01-09T00:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseIsoDay("2007/01/09"), std::nullopt);
  EXPECT_EQ(ParseIsoDay("2007-00-09"), std::nullopt);
  EXPECT_EQ(ParseIsoDay("2007-01-00"), std::nullopt);
  EXPECT_EQ(ParseIsoDay("+007-01-09"), std::nullopt);
  EXPECT_EQ(ParseIsoDay(""), std::nullopt);
  EXPECT_EQ(ParseIsoDay("abcdefghij"), std::nullopt);
}

}  // namespace
}  // namespace rt
