#include "search/language.h"

#include <gtest/gtest.h>

#include <string>

namespace rt {
namespace {

TEST(DetectLanguageTest, English) {
  EXPECT_EQ(DetectLanguage("Hi all,\n\nI have attached the minutes of the last meeting. Please "
                           "check that your comments are in there, and let me know if anything "
                           "is missing before we publish them on the website.\n\nThanks,\nAnna"),
            Language::kEnglish);
}

TEST(DetectLanguageTest, French) {
  EXPECT_EQ(DetectLanguage("Bonjour à tous,\n\nLa consultation sur le projet de règlement est "
                           "ouverte jusqu'au 15 mars. Les contributions des membres seront "
                           "publiées sur le site de l'association dans les meilleurs délais.\n\n"
                           "Cordialement,\nPierre"),
            Language::kFrench);
}

TEST(DetectLanguageTest, Spanish) {
  EXPECT_EQ(DetectLanguage("Hola a todos:\n\nEl borrador de los estatutos ya está disponible en "
                           "la web. Por favor, enviad vuestros comentarios antes del viernes y "
                           "los revisaremos en la próxima reunión de la junta.\n\nSaludos,\nMarta"),
            Language::kSpanish);
}

TEST(DetectLanguageTest, Portuguese) {
  EXPECT_EQ(DetectLanguage("Olá a todos,\n\nO relatório da reunião já está disponível no site. "
                           "Não se esqueçam de enviar os comentários até sexta-feira, para que "
                           "possamos votar a proposta em uma nova sessão.\n\nAbraços,\nJoão"),
            Language::kPortuguese);
}

TEST(DetectLanguageTest, Russian) {
  EXPECT_EQ(DetectLanguage("Здравствуйте, коллеги!\n\nПротокол последнего собрания опубликован на "
                           "сайте. Пожалуйста, пришлите свои замечания до пятницы.\n\n"
                           "С уважением,\nИрина"),
            Language::kRussian);
}

TEST(DetectLanguageTest, RussianWithSomeEnglish) {
  EXPECT_EQ(DetectLanguage("Смотрите patch в ветке master, там исправлена ошибка с кодировкой "
                           "заголовков. Проверьте, пожалуйста, на своих архивах."),
            Language::kRussian);
}

TEST(DetectLanguageTest, German) {
  EXPECT_EQ(DetectLanguage("Hallo zusammen,\n\ndie Tagesordnung für die nächste Sitzung ist jetzt "
                           "im Wiki. Wer noch Punkte hat, kann sie bis Freitag eintragen, dann "
                           "werden wir sie auch besprechen.\n\nViele Grüße\nJürgen"),
            Language::kGerman);
}

TEST(DetectLanguageTest, CaseInsensitive) {
  EXPECT_EQ(DetectLanguage("THE MEETING IS POSTPONED TO THE END OF THE MONTH AND WE WILL SEND "
                           "THE NEW DATE"),
            Language::kEnglish);
  EXPECT_EQ(DetectLanguage("NÃO SE ESQUEÇAM: O PRAZO É SEXTA E A VOTAÇÃO SERÁ NA SEGUNDA"),
            Language::kPortuguese);
}

TEST(DetectLanguageTest, WordBoundaries) {
  // "the" inside "theory", "other", "bathe" is no evidence of English.
  EXPECT_EQ(DetectLanguage("theory other bathe theme thesis andante bandit tofu"),
            Language::kUnknown);
}

TEST(DetectLanguageTest, TypographicPunctuationSeparatesWords) {
  EXPECT_EQ(DetectLanguage("«\u00a0l’assemblée\u00a0» de l’association — les votes et les "
                           "résultats sont dans le compte rendu"),
            Language::kFrench);
}

TEST(DetectLanguageTest, UnknownOnEmptyAndGibberish) {
  EXPECT_EQ(DetectLanguage(""), Language::kUnknown);
  EXPECT_EQ(DetectLanguage("   \n\t "), Language::kUnknown);
  EXPECT_EQ(DetectLanguage("xkcd qwrtz 12345 zzyzx plmk"), Language::kUnknown);
  EXPECT_EQ(DetectLanguage("dGhpcyBpcyBiYXNlNjQgZW5jb2RlZCB0ZXh0IGluIGEgbWFpbA=="),
            Language::kUnknown);
  EXPECT_EQ(DetectLanguage("\xff\xfe\x80\x81 \xc3"), Language::kUnknown);
}

TEST(DetectLanguageTest, UnknownWhenTooLittleEvidence) {
  EXPECT_EQ(DetectLanguage("the"), Language::kUnknown);
  EXPECT_EQ(DetectLanguage("Thanks!"), Language::kUnknown);
}

TEST(DetectLanguageTest, OtherScriptsAreUnknown) {
  EXPECT_EQ(DetectLanguage("Καλημέρα σε όλους, τα πρακτικά της συνάντησης είναι έτοιμα."),
            Language::kUnknown);
  EXPECT_EQ(DetectLanguage("会議の議事録をウェブサイトに掲載しました。"), Language::kUnknown);
}

TEST(DetectLanguageTest, LooksOnlyAtTheBeginning) {
  std::string text;
  while (text.size() < 8192) text += "Der Vorstand hat die Sitzung auf nächste Woche verschoben. ";
  text += std::string(20, ' ');
  for (int i = 0; i < 2000; ++i) text += "the and of to ";
  EXPECT_EQ(DetectLanguage(text), Language::kGerman);
}

TEST(DetectLanguageTest, HugeWordAtTheLimitIsCheap) {
  std::string text = "Please find the report of the working group attached to this mail. ";
  text += std::string(1 << 20, 'a');
  EXPECT_EQ(DetectLanguage(text), Language::kEnglish);
}

TEST(LanguageTest, CodesAndStemmers) {
  EXPECT_EQ(LanguageCode(Language::kPortuguese), "pt");
  EXPECT_EQ(LanguageCode(Language::kUnknown), "");
  EXPECT_STREQ(StemmerName(Language::kRussian), "russian");
  EXPECT_STREQ(StemmerName(Language::kUnknown), "english");
}

}  // namespace
}  // namespace rt
