#include "search/term_normalizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace rt {
namespace {

std::string Terms(std::string_view text, Language language) {
  TermNormalizer normalizer;
  std::string out;
  normalizer.AppendTerms(text, language, &out);
  return out;
}

bool Contains(const std::vector<std::string>& terms, const std::string& term) {
  return std::find(terms.begin(), terms.end(), term) != terms.end();
}

TEST(TermNormalizerTest, StemsEnglish) {
  EXPECT_EQ(Terms("Consultations running", Language::kEnglish), "consult run ");
}

TEST(TermNormalizerTest, UnknownStemsAsEnglish) {
  EXPECT_EQ(Terms("Consultations", Language::kUnknown), Terms("consultations", Language::kEnglish));
}

TEST(TermNormalizerTest, FoldsFrenchDiacriticsAfterStemming) {
  EXPECT_EQ(Terms("Régulation", Language::kFrench), "regul ");
  EXPECT_EQ(Terms("Ça été déjà", Language::kFrench), "ca ete deja ");
}

TEST(TermNormalizerTest, DecomposedInputGivesTheSameTerms) {
  // "Re\u0301gulation": the accent as a combining mark, as some mailers send it.
  EXPECT_EQ(Terms("Re\u0301gulation", Language::kFrench), "regul ");
}

TEST(TermNormalizerTest, StemsRussianAndKeepsShortI) {
  EXPECT_EQ(Terms("Лучшие", Language::kRussian), "лучш ");
  EXPECT_EQ(Terms("ёлки", Language::kRussian), Terms("елки", Language::kRussian));
  // й is a letter of its own, not и with a diacritic.
  EXPECT_EQ(Terms("мой", Language::kEnglish), "мой ");
}

TEST(TermNormalizerTest, GermanSharpS) {
  EXPECT_EQ(Terms("Straße", Language::kGerman), "strass ");
  EXPECT_EQ(Terms("Strasse", Language::kGerman), "strass ");
  EXPECT_EQ(Terms("STRAẞE", Language::kGerman), "strass ");
  // Outside the German stemmer ß is still folded, so queries typed either way match.
  EXPECT_EQ(Terms("Straße", Language::kEnglish), Terms("Strasse", Language::kEnglish));
  EXPECT_EQ(Terms("Häuser größte", Language::kGerman), "haus grosst ");
}

TEST(TermNormalizerTest, OtherFoldings) {
  EXPECT_EQ(Terms("niño", Language::kEnglish), "nino ");
  EXPECT_EQ(Terms("Œuvre", Language::kEnglish), "oeuvr ");
  EXPECT_EQ(Terms("Łódź", Language::kEnglish), "lodz ");
}

TEST(TermNormalizerTest, ApostropheSplitsWords) {
  EXPECT_EQ(Terms("l'Internet", Language::kFrench), "l internet ");
  EXPECT_EQ(Terms("l\u2019Internet", Language::kFrench), "l internet ");
  EXPECT_EQ(Terms("don't", Language::kEnglish), "don t ");
}

TEST(TermNormalizerTest, NumbersAreWords) {
  EXPECT_EQ(Terms("In 2007, RFC 5322 replaced 2822.", Language::kEnglish),
            "in 2007 rfc 5322 replac 2822 ");
}

TEST(TermNormalizerTest, PunctuationAndSpacesOnlyGiveNothing) {
  EXPECT_EQ(Terms("", Language::kEnglish), "");
  EXPECT_EQ(Terms(" -- ... !!! \n\t «» — ", Language::kEnglish), "");
  // Stray combining marks are part of a word but fold away to nothing.
  EXPECT_EQ(Terms("a \u0301\u0308 b", Language::kEnglish), "a b ");
}

TEST(TermNormalizerTest, InvalidUtf8IsASeparator) {
  EXPECT_EQ(Terms("abc\xff" "def", Language::kEnglish), "abc def ");
  EXPECT_EQ(Terms("caf\xc3", Language::kEnglish), "caf ");            // Truncated sequence.
  EXPECT_EQ(Terms("a\xc0\xafz", Language::kEnglish), "a z ");         // Overlong "/".
  EXPECT_EQ(Terms("x\xed\xa0\x80y", Language::kEnglish), "x y ");     // Surrogate.
  EXPECT_EQ(Terms("\x80\x80\x80", Language::kEnglish), "");
}

TEST(TermNormalizerTest, LongWordsAreCutAtACharacterBoundary) {
  const std::string ascii(100, 'x');
  EXPECT_EQ(Terms(ascii, Language::kEnglish), std::string(64, 'x') + " ");

  // 63 ASCII bytes then "é" (2 bytes): the cut must not split the "é".
  const std::string mixed = std::string(63, 'q') + "é" + "qqq";
  const auto words = SplitWords(mixed);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(words[0], std::string(63, 'q'));

  std::string cyrillic;
  for (int i = 0; i < 40; ++i) cyrillic += "ж";  // 80 bytes.
  const std::string text = cyrillic + " next";  // SplitWords returns views into it.
  const auto cut = SplitWords(text);
  ASSERT_EQ(cut.size(), 2u);
  EXPECT_EQ(cut[0].size(), 64u);
  EXPECT_EQ(cut[1], "next");
}

TEST(SplitWordsTest, SplitsLikeAppendTerms) {
  const auto words = SplitWords("Hello, wörld! l'Été 2007 naïve—test 会議 x\xffy");
  const std::vector<std::string_view> expected = {"Hello", "wörld", "l", "Été", "2007", "naïve",
                                                  "test",  "会",    "議", "x", "y"};
  EXPECT_EQ(words, expected);
}

TEST(SplitWordsTest, ChineseAndJapaneseCharactersAreWordsKatakanaAndHangulRunsStayWhole) {
  // Without spaces between words, a long sentence used to be one word cut at 64 bytes:
  // everything after its 21st character went unindexed.
  const std::string sentence = "互联网治理论坛2025年会议在挪威举行，多利益相关方共同讨论人工智能与数据治理";
  const auto words = SplitWords(sentence);
  EXPECT_EQ(words.size(), 35u);
  EXPECT_EQ(words[5], "论");
  EXPECT_EQ(words[7], "2025");
  EXPECT_EQ(words.back(), "理");
  const std::vector<std::string_view> mixed = {"会", "議", "の", "インターネット", "ガバナンス", "인터넷", "거버넌스", "葛\U000E0100"};
  EXPECT_EQ(SplitWords("会議のインターネット・ガバナンス 인터넷 거버넌스 葛\U000E0100"), mixed);
  TermNormalizer normalizer;
  std::string terms;
  normalizer.AppendTerms("治理论坛", Language::kUnknown, &terms);
  EXPECT_EQ(terms, "治 理 论 坛 ");
}

TEST(SplitWordsTest, EmptyAndSeparatorsOnly) {
  EXPECT_TRUE(SplitWords("").empty());
  EXPECT_TRUE(SplitWords(" .,;:!? ").empty());
}

TEST(QueryTermsTest, EnglishFirstAndDeduplicated) {
  TermNormalizer normalizer;
  const auto terms = normalizer.QueryTerms("Consultations");
  ASSERT_FALSE(terms.empty());
  EXPECT_EQ(terms[0], "consult");
  for (std::size_t i = 0; i < terms.size(); ++i) {
    for (std::size_t j = i + 1; j < terms.size(); ++j) EXPECT_NE(terms[i], terms[j]);
  }
  EXPECT_EQ(normalizer.QueryTerms("2007"), std::vector<std::string>{"2007"});
  EXPECT_TRUE(normalizer.QueryTerms("").empty());
  EXPECT_TRUE(normalizer.QueryTerms(" - ").empty());
}

TEST(QueryTermsTest, SeveralWordsGiveTheTermsOfAll) {
  TermNormalizer normalizer;
  const auto terms = normalizer.QueryTerms("l'Internet");
  EXPECT_TRUE(Contains(terms, "l"));
  EXPECT_TRUE(Contains(terms, "internet"));
}

TEST(QueryTermsTest, MatchesIndexedTermsOfEveryLanguage) {
  struct Case {
    std::string_view word;
    Language language;
  };
  const Case cases[] = {
      {"Régulation", Language::kFrench},     {"regulation", Language::kFrench},
      {"consultations", Language::kEnglish}, {"Straße", Language::kGerman},
      {"лучшие", Language::kRussian},        {"votaciones", Language::kSpanish},
      {"votações", Language::kPortuguese},   {"Consultation", Language::kUnknown},
  };
  for (const Case& c : cases) {
    TermNormalizer normalizer;
    std::string indexed;
    normalizer.AppendTerms(c.word, c.language, &indexed);
    ASSERT_FALSE(indexed.empty()) << c.word;
    indexed.pop_back();  // The trailing space.
    EXPECT_TRUE(Contains(normalizer.QueryTerms(c.word), indexed)) << c.word << " -> " << indexed;
  }
}

TEST(QueryTermsTest, AccentlessQueryFindsAccentedFrenchWord) {
  TermNormalizer normalizer;
  EXPECT_TRUE(Contains(normalizer.QueryTerms("regulation"), "regul"));
  EXPECT_EQ(Terms("Régulation", Language::kFrench), "regul ");
}

TEST(TermNormalizerTest, CachedResultsEqualColdResults) {
  const std::string text =
      "Les consultations publiques sur la Régulation d'Internet continuent. "
      "The consultations on Internet regulation continue; Straße, лучшие, niño, 2007. "
      "Les consultations publiques sur la Régulation d'Internet continuent.";
  for (Language language : {Language::kEnglish, Language::kFrench, Language::kGerman,
                            Language::kRussian, Language::kUnknown}) {
    TermNormalizer warm;
    std::string first;
    warm.AppendTerms(text, language, &first);
    std::string second;
    warm.AppendTerms(text, language, &second);  // Every word is now a cache hit.
    EXPECT_EQ(first, second);

    // One fresh normalizer per word: every lookup is a miss.
    std::string cold;
    for (std::string_view word : SplitWords(text)) {
      TermNormalizer fresh;
      fresh.AppendTerms(word, language, &cold);
    }
    EXPECT_EQ(first, cold);
  }
}

TEST(TermNormalizerTest, LanguagesDoNotShareCacheEntries) {
  TermNormalizer normalizer;
  std::string english;
  std::string french;
  normalizer.AppendTerms("Généralement running", Language::kEnglish, &english);
  normalizer.AppendTerms("Généralement running", Language::kFrench, &french);
  EXPECT_EQ(english, "generalement run ");
  EXPECT_EQ(french, "general running ");
}

TEST(TermNormalizerTest, AppendsToExistingOutput) {
  TermNormalizer normalizer;
  std::string out = "subject ";
  normalizer.AppendTerms("Running", Language::kEnglish, &out);
  EXPECT_EQ(out, "subject run ");
}

}  // namespace
}  // namespace rt
