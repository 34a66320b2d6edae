#include "people/countries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

namespace rt {
namespace {

bool Contains(const auto& list, std::string_view value) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

// The name as the table sorts it: accents dropped, lower case. Only the accented letters
// in today's names are known; a new one fails NamesSortedIgnoringAccents so that it is added.
std::string SortKey(std::string_view name) {
  static const std::map<std::string, char> kFolds = {
      {"\xC3\x85", 'a'}, {"\xC3\xA7", 'c'}, {"\xC3\xA9", 'e'},
      {"\xC3\xB4", 'o'}, {"\xC3\xBC", 'u'}};
  std::string key;
  for (size_t i = 0; i < name.size(); ++i) {
    auto fold = i + 1 < name.size() ? kFolds.find(std::string(name.substr(i, 2))) : kFolds.end();
    if (fold != kFolds.end()) {
      key += fold->second;
      ++i;
    } else {
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
    }
  }
  return key;
}

void ExpectRegion(std::string_view code, std::string_view region, std::string_view subregion,
                  std::string_view intermediate = "") {
  const Country* c = FindCountry(code);
  ASSERT_NE(c, nullptr) << code;
  EXPECT_EQ(c->region, region) << code;
  EXPECT_EQ(c->subregion, subregion) << code;
  EXPECT_EQ(c->intermediate_region, intermediate) << code;
}

TEST(Countries, EveryIsoCodeOnce) {
  const std::vector<Country>& all = Countries();
  EXPECT_EQ(all.size(), 249u);
  std::set<std::string_view> codes, numerics, names;
  for (const Country& c : all) {
    ASSERT_EQ(c.code.size(), 2u);
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(c.code[0])) &&
                std::isupper(static_cast<unsigned char>(c.code[1])))
        << c.code;
    EXPECT_EQ(c.numeric.size(), 3u) << c.code;
    EXPECT_FALSE(c.name.empty()) << c.code;
    codes.insert(c.code);
    numerics.insert(c.numeric);
    names.insert(c.name);
  }
  EXPECT_EQ(codes.size(), all.size());
  EXPECT_EQ(numerics.size(), all.size());
  EXPECT_EQ(names.size(), all.size());
  EXPECT_EQ(&Countries(), &all);  // one table, built once
}

TEST(Countries, NamesSortedIgnoringAccents) {
  const std::vector<Country>& all = Countries();
  for (const Country& c : all) {
    std::string key = SortKey(c.name);
    bool ascii = std::all_of(key.begin(), key.end(),
                             [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
    EXPECT_TRUE(ascii) << "fold the accented letters of " << c.name << " in SortKey";
  }
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LT(SortKey(all[i - 1].name), SortKey(all[i].name)) << all[i].name;
  }
  EXPECT_EQ(all[0].name, "Afghanistan");
  EXPECT_EQ(all[1].name, "\xC3\x85land Islands");
  EXPECT_EQ(all.back().name, "Zimbabwe");
}

TEST(Countries, Names) {
  EXPECT_EQ(FindCountry("KE")->name, "Kenya");
  EXPECT_EQ(FindCountry("KR")->name, "South Korea");  // iso-codes' common name
  EXPECT_EQ(FindCountry("CI")->name, "C\xC3\xB4te d'Ivoire");
  EXPECT_EQ(FindCountry("GB")->name, "United Kingdom");
  EXPECT_EQ(FindCountry("KE")->numeric, "404");
  EXPECT_EQ(FindCountry("AX")->numeric, "248");
}

TEST(Countries, KnownM49Regions) {
  ExpectRegion("KE", "Africa", "Sub-Saharan Africa", "Eastern Africa");
  ExpectRegion("NG", "Africa", "Sub-Saharan Africa", "Western Africa");
  ExpectRegion("CD", "Africa", "Sub-Saharan Africa", "Middle Africa");
  ExpectRegion("ZA", "Africa", "Sub-Saharan Africa", "Southern Africa");
  ExpectRegion("EG", "Africa", "Northern Africa");
  ExpectRegion("SD", "Africa", "Northern Africa");
  ExpectRegion("BR", "Americas", "Latin America and the Caribbean", "South America");
  ExpectRegion("MX", "Americas", "Latin America and the Caribbean", "Central America");
  ExpectRegion("JM", "Americas", "Latin America and the Caribbean", "Caribbean");
  ExpectRegion("US", "Americas", "Northern America");
  ExpectRegion("GL", "Americas", "Northern America");
  ExpectRegion("JP", "Asia", "Eastern Asia");
  ExpectRegion("ID", "Asia", "South-eastern Asia");
  ExpectRegion("IN", "Asia", "Southern Asia");
  ExpectRegion("IR", "Asia", "Southern Asia");
  ExpectRegion("KZ", "Asia", "Central Asia");
  ExpectRegion("TR", "Asia", "Western Asia");
  ExpectRegion("CY", "Asia", "Western Asia");
  ExpectRegion("FR", "Europe", "Western Europe");
  ExpectRegion("RU", "Europe", "Eastern Europe");
  ExpectRegion("GB", "Europe", "Northern Europe");
  ExpectRegion("JE", "Europe", "Northern Europe", "Channel Islands");
  ExpectRegion("IT", "Europe", "Southern Europe");
  ExpectRegion("AU", "Oceania", "Australia and New Zealand");
  ExpectRegion("FJ", "Oceania", "Melanesia");
  ExpectRegion("KI", "Oceania", "Micronesia");
  ExpectRegion("WS", "Oceania", "Polynesia");
}

// M49 places even uninhabited and remote territories; only Antarctica has no region.
TEST(Countries, TerritoriesWhereM49PutsThem) {
  ExpectRegion("AQ", "", "");
  ExpectRegion("BV", "Americas", "Latin America and the Caribbean", "South America");
  ExpectRegion("GS", "Americas", "Latin America and the Caribbean", "South America");
  ExpectRegion("HM", "Oceania", "Australia and New Zealand");
  ExpectRegion("TF", "Africa", "Sub-Saharan Africa", "Eastern Africa");
  ExpectRegion("IO", "Africa", "Sub-Saharan Africa", "Eastern Africa");
  ExpectRegion("UM", "Oceania", "Micronesia");
  ExpectRegion("TW", "Asia", "Eastern Asia");  // not in M49; placed with China
}

TEST(Countries, EveryCountryButAntarcticaHasARegion) {
  std::map<std::string_view, int> per_region;
  for (const Country& c : Countries()) {
    if (c.code == "AQ") continue;
    EXPECT_TRUE(Contains(kM49Regions, c.region)) << c.code << " " << c.region;
    EXPECT_FALSE(c.subregion.empty()) << c.code;
    // Only these sub-regions are divided further in M49.
    if (!c.intermediate_region.empty()) {
      EXPECT_TRUE(c.subregion == "Sub-Saharan Africa" ||
                  c.subregion == "Latin America and the Caribbean" ||
                  c.intermediate_region == "Channel Islands")
          << c.code;
    }
    if (c.subregion == "Sub-Saharan Africa" || c.subregion == "Latin America and the Caribbean") {
      EXPECT_FALSE(c.intermediate_region.empty()) << c.code;
    }
    ++per_region[c.region];
  }
  // M49's counts (TW added to Asia).
  EXPECT_EQ(per_region["Africa"], 60);
  EXPECT_EQ(per_region["Americas"], 57);
  EXPECT_EQ(per_region["Asia"], 51);
  EXPECT_EQ(per_region["Europe"], 51);
  EXPECT_EQ(per_region["Oceania"], 29);
}

TEST(Countries, UnRegionalGroups) {
  std::map<std::string_view, int> per_group;
  for (const Country& c : Countries()) {
    if (c.un_group.empty()) continue;
    EXPECT_TRUE(Contains(kUnRegionalGroups, c.un_group)) << c.code << " " << c.un_group;
    ++per_group[c.un_group];
    // The African Group and GRULAC are exactly the Member States of their M49 areas.
    EXPECT_EQ(c.region == "Africa", c.un_group == "African Group") << c.code;
    EXPECT_EQ(c.subregion == "Latin America and the Caribbean",
              c.un_group == "Latin American and Caribbean Group")
        << c.code;
  }
  EXPECT_EQ(per_group["African Group"], 54);
  EXPECT_EQ(per_group["Asia-Pacific Group"], 53);
  EXPECT_EQ(per_group["Eastern European Group"], 23);
  EXPECT_EQ(per_group["Latin American and Caribbean Group"], 33);
  EXPECT_EQ(per_group["Western European and Others Group"], 29);  // 28 and the US

  EXPECT_EQ(FindCountry("KE")->un_group, "African Group");
  EXPECT_EQ(FindCountry("JP")->un_group, "Asia-Pacific Group");
  EXPECT_EQ(FindCountry("CY")->un_group, "Asia-Pacific Group");
  EXPECT_EQ(FindCountry("FJ")->un_group, "Asia-Pacific Group");
  EXPECT_EQ(FindCountry("RU")->un_group, "Eastern European Group");
  EXPECT_EQ(FindCountry("GE")->un_group, "Eastern European Group");
  EXPECT_EQ(FindCountry("BR")->un_group, "Latin American and Caribbean Group");
  EXPECT_EQ(FindCountry("FR")->un_group, "Western European and Others Group");
  EXPECT_EQ(FindCountry("AU")->un_group, "Western European and Others Group");
  EXPECT_EQ(FindCountry("IL")->un_group, "Western European and Others Group");
  EXPECT_EQ(FindCountry("TR")->un_group, "Western European and Others Group");
  EXPECT_EQ(FindCountry("US")->un_group, "Western European and Others Group");
  // Not in a group: a Member State outside every group, observers, territories.
  for (std::string_view code : {"KI", "VA", "PS", "TW", "HK", "PR", "GL", "AQ", "EH"}) {
    EXPECT_EQ(FindCountry(code)->un_group, "") << code;
  }
}

TEST(Countries, FindIgnoresCase) {
  const Country* ke = FindCountry("KE");
  ASSERT_NE(ke, nullptr);
  EXPECT_EQ(ke->code, "KE");
  EXPECT_EQ(FindCountry("ke"), ke);
  EXPECT_EQ(FindCountry("Ke"), ke);
  EXPECT_EQ(FindCountry("kE"), ke);
  EXPECT_GE(ke, Countries().data());
  EXPECT_LT(ke, Countries().data() + Countries().size());
  for (const Country& c : Countries()) EXPECT_EQ(FindCountry(c.code), &c);
}

TEST(Countries, FindRejectsWhatIsNotACode) {
  for (std::string_view code :
       {"", "K", "KEN", "XK", "ZZ", "AA", "UK", "EU", " KE", "KE ", "k1", "404", "\xC3\xA9"}) {
    EXPECT_EQ(FindCountry(code), nullptr) << code;
  }
  EXPECT_EQ(FindCountry(std::string_view("K\0", 2)), nullptr);
  EXPECT_EQ(FindCountry(std::string_view("KE", 1)), nullptr);
}

}  // namespace
}  // namespace rt
