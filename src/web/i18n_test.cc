#include "web/i18n.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <thread>

namespace rt {
namespace {

bool HaveMsgfmt() {
  static const bool have = std::system("msgfmt --version >/dev/null 2>&1") == 0;
  return have;
}

// A .po file: a header with `plural_forms` followed by `entries`.
std::string Po(std::string_view plural_forms, std::string_view entries) {
  std::string po =
      "msgid \"\"\nmsgstr \"\"\n"
      "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
      "\"Plural-Forms: ";
  po += plural_forms;
  po += "\\n\"\n\n";
  po += entries;
  return po;
}

// The .mo bytes msgfmt makes of `po`. REQUIRES: HaveMsgfmt().
std::string Mo(const std::string& po) {
  std::string dir_template = (std::filesystem::temp_directory_path() / "rt_i18n_test.XXXXXX").string();
  const char* made = mkdtemp(dir_template.data());
  EXPECT_NE(made, nullptr);
  if (made == nullptr) return "";
  const std::filesystem::path dir(made);
  std::ofstream(dir / "messages.po") << po;
  const std::string command =
      "msgfmt -o '" + (dir / "messages.mo").string() + "' '" + (dir / "messages.po").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << po;
  std::ifstream in(dir / "messages.mo", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove_all(dir);
  return bytes;
}

constexpr char kEnglishPlural[] = "nplurals=2; plural=(n != 1);";
constexpr char kFrenchPlural[] = "nplurals=2; plural=(n > 1);";
// Russian rules: one for 1, 21, 31..., few for 2-4, 22-24..., many otherwise.
constexpr char kSlavicPlural[] =
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);";

std::string FrenchPo() {
  return Po(kFrenchPlural,
            "msgid \"language-name\"\nmsgstr \"Français\"\n\n"
            "msgid \"Hello\"\nmsgstr \"Bonjour\"\n\n"
            "msgid \"Goodbye\"\nmsgstr \"\"\n\n"
            "#, fuzzy\nmsgid \"Search\"\nmsgstr \"Chercher\"\n\n"
            "msgid \"Cartoon\"\nmsgstr \"Tom & Jerry's <b>\\\"{{COUNT}}\\\"</b>\"\n\n"
            "msgctxt \"verb\"\nmsgid \"Post\"\nmsgstr \"Publier\"\n\n"
            "msgctxt \"noun\"\nmsgid \"Post\"\nmsgstr \"Message\"\n\n"
            "msgid \"{{COUNT}} message\"\nmsgid_plural \"{{COUNT}} messages\"\n"
            "msgstr[0] \"{{COUNT}} message\"\nmsgstr[1] \"{{COUNT}} messages\"\n\n"
            "msgctxt \"mailbox\"\nmsgid \"{{COUNT}} message\"\nmsgid_plural \"{{COUNT}} messages\"\n"
            "msgstr[0] \"{{COUNT}} courriel\"\nmsgstr[1] \"{{COUNT}} courriels\"\n");
}

// German and Brazilian Portuguese, with no translations.
std::string EmptyPo() { return Po(kEnglishPlural, ""); }

// A made-up right-to-left language ("qaa" is reserved for private use) with
// three plural forms.
std::string RightToLeftPo() {
  return Po(kSlavicPlural,
            "msgid \"ltr\"\nmsgstr \"rtl\"\n\n"
            "msgid \"language-name\"\nmsgstr \"Qaaish\"\n\n"
            "msgid \"Hello\"\nmsgstr \"olleH\"\n\n"
            "msgid \"{{COUNT}} message\"\nmsgid_plural \"{{COUNT}} messages\"\n"
            "msgstr[0] \"one {{COUNT}}\"\nmsgstr[1] \"few {{COUNT}}\"\nmsgstr[2] \"many {{COUNT}}\"\n");
}

class CatalogsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveMsgfmt()) GTEST_SKIP() << "msgfmt (Debian package gettext) is not installed";
  }
  // French, German, Brazilian Portuguese and English (added by Catalogs).
  static Catalogs European() {
    return Catalogs({{"fr", Mo(FrenchPo())}, {"de", Mo(EmptyPo())}, {"pt_BR", Mo(EmptyPo())}});
  }
};

TEST_F(CatalogsTest, LanguagesAreSortedTagsWithEnglish) {
  Catalogs catalogs = European();
  EXPECT_TRUE(catalogs.status().ok()) << catalogs.status().message();
  EXPECT_EQ(catalogs.Languages(), (std::vector<std::string>{"de", "en", "fr", "pt-BR"}));
  EXPECT_TRUE(catalogs.Has("pt-br"));
  EXPECT_TRUE(catalogs.Has("PT_BR"));
  EXPECT_FALSE(catalogs.Has("pt"));
  EXPECT_FALSE(catalogs.Has(""));
}

TEST_F(CatalogsTest, NegotiateUsesQValues) {
  Catalogs catalogs = European();
  EXPECT_EQ(catalogs.Negotiate("", "fr"), "fr");
  EXPECT_EQ(catalogs.Negotiate("", "de;q=0.5, fr;q=0.8"), "fr");
  EXPECT_EQ(catalogs.Negotiate("", "de;q=0.5,fr;Q=0.8 , en;q=0.7"), "fr");
  EXPECT_EQ(catalogs.Negotiate("", "es, de;q=0.1"), "de");
  EXPECT_EQ(catalogs.Negotiate("", "de, fr"), "de");               // ties keep header order
  EXPECT_EQ(catalogs.Negotiate("", "fr;q=0.8, de;q=0.8"), "fr");
  EXPECT_EQ(catalogs.Negotiate("", "fr;q=0, de"), "de");           // q=0: not acceptable
  EXPECT_EQ(catalogs.Negotiate("", "fr;q=1.000, de;q=0.999"), "fr");
  EXPECT_EQ(catalogs.Negotiate("", "de ; q=0.3 ; level=1, fr;q=0.2"), "de");
  EXPECT_EQ(catalogs.Negotiate("", "ja, *;q=0.5, fr;q=0.1"), "en");  // "*" is any: English
  EXPECT_EQ(catalogs.Negotiate("", "ja, zh-Hant"), "en");
  EXPECT_EQ(catalogs.Negotiate("", ""), "en");
}

TEST_F(CatalogsTest, NegotiateMatchesPrefixes) {
  Catalogs catalogs = European();
  EXPECT_EQ(catalogs.Negotiate("", "fr-CA, de;q=0.9"), "fr");
  EXPECT_EQ(catalogs.Negotiate("", "FR-ca"), "fr");
  EXPECT_EQ(catalogs.Negotiate("", "de-DE-1996"), "de");
  EXPECT_EQ(catalogs.Negotiate("", "pt"), "pt-BR");
  EXPECT_EQ(catalogs.Negotiate("", "pt-br"), "pt-BR");
  EXPECT_EQ(catalogs.Negotiate("", "pt-PT"), "en");      // no sibling matching
  EXPECT_EQ(catalogs.Negotiate("", "pt-PT, pt;q=0.9"), "pt-BR");
  EXPECT_EQ(catalogs.Negotiate("", "en-GB, fr"), "en");
  EXPECT_EQ(catalogs.Negotiate("", "f, fra"), "en");     // not prefixes at a '-'
}

TEST_F(CatalogsTest, ChosenLanguageWins) {
  Catalogs catalogs = European();
  EXPECT_EQ(catalogs.Negotiate("de", "fr"), "de");
  EXPECT_EQ(catalogs.Negotiate("DE", "fr"), "de");
  EXPECT_EQ(catalogs.Negotiate("pt_br", "fr"), "pt-BR");
  EXPECT_EQ(catalogs.Negotiate("fr-CA", "de"), "fr");
  EXPECT_EQ(catalogs.Negotiate("en", "fr"), "en");
  EXPECT_EQ(catalogs.Negotiate("xx", "fr"), "fr");               // unavailable: header decides
  EXPECT_EQ(catalogs.Negotiate("<script>", "fr"), "fr");
  EXPECT_EQ(catalogs.Negotiate(std::string(100000, 'd'), "fr"), "fr");
  EXPECT_EQ(catalogs.Negotiate("xx", "xx"), "en");
}

TEST_F(CatalogsTest, NegotiateSurvivesGarbage) {
  Catalogs catalogs = European();
  EXPECT_EQ(catalogs.Negotiate("", ";;;,,,q=1"), "en");
  EXPECT_EQ(catalogs.Negotiate("", "fr;q=2"), "en");
  EXPECT_EQ(catalogs.Negotiate("", "fr;q=0.0001"), "en");
  EXPECT_EQ(catalogs.Negotiate("", "fr;q=1.001"), "en");
  EXPECT_EQ(catalogs.Negotiate("", "fr;q=, de;q=abc, pt;q=-1"), "en");
  EXPECT_EQ(catalogs.Negotiate("", "fr;q=abc, de"), "de");
  EXPECT_EQ(catalogs.Negotiate("", "f r, -fr, fr-, fr--CA, 12, de"), "de");
  EXPECT_EQ(catalogs.Negotiate("", std::string("fr\0de", 5)), "en");
  EXPECT_EQ(catalogs.Negotiate("", std::string(1 << 20, 'a')), "en");
  EXPECT_EQ(catalogs.Negotiate("", std::string(1 << 20, ',') + "fr"), "en");
  EXPECT_EQ(catalogs.Negotiate("", std::string(100, ',') + "fr"), "fr");
  // Only the first kMaxLanguageRanges ranges count, and the first kMaxAcceptLanguageBytes.
  std::string many;
  for (std::size_t i = 0; i < Catalogs::kMaxLanguageRanges; ++i) many += "xx, ";
  EXPECT_EQ(catalogs.Negotiate("", many + "fr"), "en");
  EXPECT_EQ(catalogs.Negotiate("", std::string(Catalogs::kMaxAcceptLanguageBytes, ' ') + "fr"), "en");

  // Whatever the input, the answer is an available language.
  const std::vector<std::string> languages = catalogs.Languages();
  static constexpr char kAlphabet[] = "frdeptFRbBa-_*;,=q0123456789. \t\0\xff\x80";
  const std::string alphabet(kAlphabet, sizeof(kAlphabet) - 1);
  std::mt19937 random(20241123);
  for (int i = 0; i < 2000; ++i) {
    std::string chosen, header;
    for (int n = random() % 12; n > 0; --n) chosen += alphabet[random() % alphabet.size()];
    for (int n = random() % 64; n > 0; --n) header += alphabet[random() % alphabet.size()];
    const std::string lang = catalogs.Negotiate(chosen, header);
    EXPECT_NE(std::find(languages.begin(), languages.end(), lang), languages.end())
        << "chosen " << chosen << " header " << header;
  }
}

TEST_F(CatalogsTest, TranslateFallsBackToMsgid) {
  Catalogs catalogs = European();
  EXPECT_EQ(catalogs.Translate("fr", "Hello"), "Bonjour");
  EXPECT_EQ(catalogs.Translate("FR", "Hello"), "Bonjour");
  EXPECT_EQ(catalogs.Translate("fr", "Goodbye"), "Goodbye");    // empty msgstr
  EXPECT_EQ(catalogs.Translate("fr", "Search"), "Search");      // fuzzy
  EXPECT_EQ(catalogs.Translate("fr", "Unknown"), "Unknown");    // not in the catalogue
  EXPECT_EQ(catalogs.Translate("de", "Hello"), "Hello");
  EXPECT_EQ(catalogs.Translate("en", "Hello"), "Hello");
  EXPECT_EQ(catalogs.Translate("xx", "Hello"), "Hello");        // unknown language
  EXPECT_EQ(catalogs.Translate("fr", ""), "");                  // not the header
  EXPECT_EQ(catalogs.Translate("fr", std::string("Hello\0x", 7)), std::string("Hello\0x", 7));
  EXPECT_EQ(catalogs.Translate("fr", "Post"), "Post");          // only in contexts
}

TEST_F(CatalogsTest, TranslateInContext) {
  Catalogs catalogs = European();
  EXPECT_EQ(catalogs.TranslateInContext("fr", "verb", "Post"), "Publier");
  EXPECT_EQ(catalogs.TranslateInContext("fr", "noun", "Post"), "Message");
  EXPECT_EQ(catalogs.TranslateInContext("fr", "other", "Post"), "Post");
  EXPECT_EQ(catalogs.TranslateInContext("fr", "verb", "Hello"), "Hello");
  EXPECT_EQ(catalogs.TranslateInContext("en", "verb", "Post"), "Post");
  EXPECT_EQ(catalogs.TranslatePluralInContext("fr", "mailbox", "{{COUNT}} message",
                                              "{{COUNT}} messages", 2),
            "{{COUNT}} courriels");
  EXPECT_EQ(catalogs.TranslatePluralInContext("fr", "other", "{{COUNT}} message",
                                              "{{COUNT}} messages", 2),
            "{{COUNT}} messages");
}

TEST_F(CatalogsTest, PluralUsesTheCatalogueRule) {
  Catalogs catalogs = European();
  // French: 0 and 1 are singular.
  EXPECT_EQ(catalogs.TranslatePlural("fr", "{{COUNT}} message", "{{COUNT}} messages", 0),
            "{{COUNT}} message");
  EXPECT_EQ(catalogs.TranslatePlural("fr", "{{COUNT}} message", "{{COUNT}} messages", 1),
            "{{COUNT}} message");
  EXPECT_EQ(catalogs.TranslatePlural("fr", "{{COUNT}} message", "{{COUNT}} messages", 2),
            "{{COUNT}} messages");
  // Untranslated: English rules.
  EXPECT_EQ(catalogs.TranslatePlural("de", "one file", "many files", 1), "one file");
  EXPECT_EQ(catalogs.TranslatePlural("de", "one file", "many files", 0), "many files");
}

TEST(CatalogsEnglishTest, EnglishNeedsNoCatalogue) {
  Catalogs catalogs({});
  EXPECT_TRUE(catalogs.status().ok());
  EXPECT_EQ(catalogs.Languages(), std::vector<std::string>{"en"});
  EXPECT_EQ(catalogs.Translate("en", "Hello"), "Hello");
  EXPECT_EQ(catalogs.TranslatePlural("en", "{{COUNT}} message", "{{COUNT}} messages", 1),
            "{{COUNT}} message");
  EXPECT_EQ(catalogs.TranslatePlural("en", "{{COUNT}} message", "{{COUNT}} messages", 2),
            "{{COUNT}} messages");
  EXPECT_EQ(catalogs.TranslatePlural("en", "{{COUNT}} message", "{{COUNT}} messages", 0),
            "{{COUNT}} messages");
  EXPECT_EQ(catalogs.Direction("en"), "ltr");
  EXPECT_EQ(catalogs.NativeName("en"), "English");
  EXPECT_EQ(catalogs.Negotiate("", "fr, de"), "en");
}

TEST(CatalogsEnglishTest, EmbeddedCatalogues) {
  const Catalogs& catalogs = Catalogs::Get();
  EXPECT_EQ(&catalogs, &Catalogs::Get());
  EXPECT_TRUE(catalogs.status().ok()) << catalogs.status().message();
  const std::vector<std::string> languages = catalogs.Languages();
  EXPECT_NE(std::find(languages.begin(), languages.end(), "en"), languages.end());
  EXPECT_EQ(languages.size(), EmbeddedCatalogs().size() + (EmbeddedCatalogs().empty() ? 1 : 0));
  EXPECT_EQ(catalogs.Direction("en"), "ltr");
  EXPECT_EQ(catalogs.NativeName("en"), "English");
  EXPECT_EQ(catalogs.Translate("en", "Some text nobody translated"), "Some text nobody translated");
  EXPECT_EQ(catalogs.TranslatePlural("en", "{{COUNT}} reply", "{{COUNT}} replies", 1),
            "{{COUNT}} reply");
  EXPECT_EQ(catalogs.TranslatePlural("en", "{{COUNT}} reply", "{{COUNT}} replies", 2),
            "{{COUNT}} replies");
  for (const std::string& lang : languages) {
    EXPECT_FALSE(catalogs.NativeName(lang).empty()) << lang;
    EXPECT_EQ(catalogs.Negotiate(lang, ""), lang);
  }
}

TEST_F(CatalogsTest, TranslateTemplateEscapesTranslations) {
  Catalogs catalogs = European();
  EXPECT_EQ(catalogs.TranslateTemplate("fr", "<p class='x'>[[Hello]], [[Goodbye]]</p>"),
            "<p class='x'>Bonjour, Goodbye</p>");
  EXPECT_EQ(catalogs.TranslateTemplate("fr", "<b>[[Cartoon]]</b>"),
            "<b>Tom &amp; Jerry&#39;s &lt;b&gt;&quot;{{COUNT}}&quot;&lt;/b&gt;</b>");
  EXPECT_EQ(catalogs.TranslateTemplate("en", "[[Fish & <chips>]]"), "Fish &amp; &lt;chips&gt;");
  EXPECT_EQ(catalogs.TranslateTemplate("en", "{{#ROWS}}[[{{COUNT}} rows]]{{/ROWS}}"),
            "{{#ROWS}}{{COUNT}} rows{{/ROWS}}");
  EXPECT_EQ(catalogs.TranslateTemplate("xx", "[[Hello]]"), "Hello");
}

TEST_F(CatalogsTest, TranslateTemplateLeavesUnclosedMarkers) {
  Catalogs catalogs = European();
  EXPECT_EQ(catalogs.TranslateTemplate("fr", "a [[Hello"), "a [[Hello");
  EXPECT_EQ(catalogs.TranslateTemplate("fr", "[[Hello]] and [[Hello"), "Bonjour and [[Hello");
  EXPECT_EQ(catalogs.TranslateTemplate("fr", "]] [[ ]"), "]] [[ ]");
  EXPECT_EQ(catalogs.TranslateTemplate("fr", "x[[]]y"), "xy");
  EXPECT_EQ(catalogs.TranslateTemplate("fr", "[[[Hello]]]"), "[Hello]");
  EXPECT_EQ(catalogs.TranslateTemplate("fr", "[[Hello]]]]"), "Bonjour]]");
  EXPECT_EQ(catalogs.TranslateTemplate("fr", ""), "");
  EXPECT_EQ(catalogs.TranslateTemplate("fr", "no markers <&>"), "no markers <&>");
}

TEST_F(CatalogsTest, RightToLeftLanguageNeedsNoCode) {
  Catalogs catalogs({{"qaa", Mo(RightToLeftPo())}, {"fr", Mo(FrenchPo())}});
  ASSERT_TRUE(catalogs.status().ok()) << catalogs.status().message();
  EXPECT_EQ(catalogs.Direction("qaa"), "rtl");
  EXPECT_EQ(catalogs.Direction("fr"), "ltr");
  EXPECT_EQ(catalogs.Direction("en"), "ltr");
  EXPECT_EQ(catalogs.Direction("xx"), "ltr");
  EXPECT_EQ(catalogs.NativeName("qaa"), "Qaaish");
  EXPECT_EQ(catalogs.NativeName("fr"), "Français");
  EXPECT_EQ(catalogs.Negotiate("", "qaa-XY;q=0.9, fr;q=0.8"), "qaa");
  EXPECT_EQ(catalogs.Translate("qaa", "Hello"), "olleH");
  EXPECT_EQ(catalogs.TranslateTemplate("qaa", "<h1>[[Hello]]</h1>"), "<h1>olleH</h1>");
  const auto plural = [&](std::int64_t n) {
    return catalogs.TranslatePlural("qaa", "{{COUNT}} message", "{{COUNT}} messages", n);
  };
  EXPECT_EQ(plural(1), "one {{COUNT}}");
  EXPECT_EQ(plural(21), "one {{COUNT}}");
  EXPECT_EQ(plural(11), "many {{COUNT}}");
  EXPECT_EQ(plural(2), "few {{COUNT}}");
  EXPECT_EQ(plural(24), "few {{COUNT}}");
  EXPECT_EQ(plural(0), "many {{COUNT}}");
  EXPECT_EQ(plural(5), "many {{COUNT}}");
  // Counts beyond int keep their last digits.
  EXPECT_EQ(plural(10000000021), "one {{COUNT}}");
  EXPECT_EQ(plural(10000000023), "few {{COUNT}}");
  EXPECT_EQ(plural(INT64_MAX), "many {{COUNT}}");  // ...807
  EXPECT_EQ(plural(INT64_MIN), "many {{COUNT}}");  // ...808
  EXPECT_EQ(plural(-1), "one {{COUNT}}");
}

TEST_F(CatalogsTest, BadCataloguesAreSkippedAndReported) {
  const std::string german = Mo(EmptyPo());
  Catalogs catalogs({{"fr", "not a catalogue"},
                     {"bad tag!", german},
                     {"", german},
                     {"de", german},
                     {"DE", german},
                     {"pt", ""},
                     {"es", german.substr(0, 20)}});
  EXPECT_FALSE(catalogs.status().ok());
  EXPECT_EQ(catalogs.status().code(), Status::Code::kBadFormat);
  const std::string& message = catalogs.status().message();
  for (const char* tag : {"\"fr\"", "\"bad tag!\"", "\"\"", "\"DE\"", "\"pt\"", "\"es\""}) {
    EXPECT_NE(message.find(tag), std::string::npos) << tag << " in " << message;
  }
  EXPECT_EQ(catalogs.Languages(), (std::vector<std::string>{"de", "en"}));
  EXPECT_EQ(catalogs.Translate("fr", "Hello"), "Hello");
}

TEST_F(CatalogsTest, ConcurrentReaders) {
  Catalogs catalogs = European();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&catalogs] {
      for (int i = 0; i < 2000; ++i) {
        EXPECT_EQ(catalogs.Translate("fr", "Hello"), "Bonjour");
        EXPECT_EQ(catalogs.TranslatePlural("fr", "{{COUNT}} message", "{{COUNT}} messages", i),
                  i > 1 ? "{{COUNT}} messages" : "{{COUNT}} message");
        EXPECT_EQ(catalogs.Negotiate("", "fr-CA;q=0.9, de;q=0.8"), "fr");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
}

}  // namespace
}  // namespace rt
