#include "archive/body_structure.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace rt {
namespace {

// Segments must tile [0, size) with non-empty runs and no two neighbours of one kind.
void ExpectTiles(std::string_view text, const std::vector<Segment>& segments) {
  if (text.empty()) {
    EXPECT_TRUE(segments.empty());
    return;
  }
  ASSERT_FALSE(segments.empty());
  EXPECT_EQ(segments.front().begin, 0u);
  EXPECT_EQ(segments.back().end, text.size());
  for (size_t i = 0; i < segments.size(); ++i) {
    EXPECT_LT(segments[i].begin, segments[i].end) << "segment " << i;
    if (i > 0) {
      EXPECT_EQ(segments[i - 1].end, segments[i].begin) << "segment " << i;
      EXPECT_NE(segments[i - 1].kind, segments[i].kind) << "segment " << i;
    }
  }
}

// One letter per line (o, q, s, f): the kind of the segment each line starts in, so
// expectations read like the message.
std::string LineKinds(std::string_view text) {
  const std::vector<Segment> segments = AnalyzeBody(text);
  ExpectTiles(text, segments);
  std::string kinds;
  size_t pos = 0;
  size_t s = 0;
  while (pos < text.size()) {
    while (s < segments.size() && segments[s].end <= pos) ++s;
    if (s == segments.size()) {
      ADD_FAILURE() << "line at " << pos << " outside every segment";
      break;
    }
    kinds += static_cast<char>(segments[s].kind);
    size_t eol = text.find_first_of("\r\n", pos);
    if (eol == std::string_view::npos) break;
    pos = eol + ((text[eol] == '\r' && eol + 1 < text.size() && text[eol + 1] == '\n') ? 2 : 1);
  }
  return kinds;
}

TEST(AnalyzeBodyTest, EmptyTextHasNoSegments) { EXPECT_TRUE(AnalyzeBody("").empty()); }

TEST(AnalyzeBodyTest, PlainTextIsOneOwnSegment) {
  const std::string text = "Dear all,\n\nI support the draft.\n\nJane\n";
  const std::vector<Segment> segments = AnalyzeBody(text);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_EQ(segments[0].kind, SegmentKind::kOwn);
  EXPECT_EQ(segments[0].begin, 0u);
  EXPECT_EQ(segments[0].end, text.size());
}

TEST(AnalyzeBodyTest, QuoteMarkersAtAnyDepth) {
  EXPECT_EQ(LineKinds("I agree.\n> first\n>> second\n> > spaced\n >leading space\n\t> tab\n"), "oqqqqq");
}

TEST(AnalyzeBodyTest, InterleavedRepliesStayOwn) {
  const std::string text =
      "On Tue, Jan 9, 2007 at 9:22 AM, Jane Doe <jdoe@example.org> wrote:\n"
      "> Should we send the letter?\n"
      "\n"
      "Yes, this week.\n"
      "\n"
      "> And the annex?\n"
      ">\n"
      "> It is long.\n"
      "Drop it.\n";
  EXPECT_EQ(LineKinds(text), "qqoooqqqo");
}

TEST(AnalyzeBodyTest, BlankLinesBetweenQuotesAreQuote) {
  EXPECT_EQ(LineKinds("> a\n\n\n> b\nreply\n"), "qqqqo");
  // Between the author's text and a quote the blank goes to the author.
  EXPECT_EQ(LineKinds("reply\n\n> a\n\nmore\n"), "ooqoo");
  // With no own text around, leading and trailing blanks join the quote.
  EXPECT_EQ(LineKinds("\n> a\n\n"), "qqq");
}

TEST(AnalyzeBodyTest, OriginalMessageBannerQuotesTheRest) {
  const std::string text =
      "Fine by me.\n"
      "\n"
      "-----Original Message-----\n"
      "From: Jane Doe\n"
      "Some text with no marker.\n"
      "\n"
      "More quoted text.\n";
  EXPECT_EQ(LineKinds(text), "ooqqqqq");
  EXPECT_EQ(LineKinds("ok\n----- Original Message -----\nold\n"), "oqq");
  EXPECT_EQ(LineKinds("ok\n-----Message d'origine-----\nvieux\n"), "oqq");
  EXPECT_EQ(LineKinds("ok\n-----Ursprüngliche Nachricht-----\nalt\n"), "oqq");
  EXPECT_EQ(LineKinds("ok\n-------- Original Message --------\nold\n"), "oqq");
}

TEST(AnalyzeBodyTest, AttributionLines) {
  EXPECT_EQ(LineKinds("Yes.\n\nOn 1/9/2007 9:22 AM, Jane Doe wrote:\n> Shall we?\n"), "ooqq");
  // An attribution still counts when the quote below it was cut.
  EXPECT_EQ(LineKinds("Yes.\nOn Tue, Jan 9, 2007 at 9:22 AM, Jane Doe <jdoe@example.org> wrote:\n"), "oq");
}

TEST(AnalyzeBodyTest, AttributionWrappedOverTwoLines) {
  const std::string text =
      "Agreed.\n"
      "\n"
      "On Tue, Jan 9, 2007 at 9:22 AM Jane Doe <\n"
      "jdoe@example.org> wrote:\n"
      "\n"
      "> Shall we?\n";
  EXPECT_EQ(LineKinds(text), "ooqqqq");
}

TEST(AnalyzeBodyTest, TranslatedAttributions) {
  EXPECT_EQ(LineKinds("D'accord.\nLe mar. 9 janv. 2007 à 09:22, Jane Doe <jdoe@example.org> a écrit :\n> Oui ?\n"),
            "oqq");
  // French typography puts a no-break space before the colon.
  EXPECT_EQ(LineKinds("D'accord.\nLe 9 janv. 2007 à 09:22, Jane Doe a écrit\xC2\xA0:\n> Oui ?\n"), "oqq");
  EXPECT_EQ(LineKinds("Vale.\nEl mar, 9 ene 2007 a las 9:22, Jane Doe (<jdoe@example.org>) escribió:\n> ¿Sí?\n"),
            "oqq");
  EXPECT_EQ(LineKinds("Gut.\nAm 09.01.2007 um 09:22 schrieb Jane Doe <jdoe@example.org>:\n> Ja?\n"), "oqq");
  EXPECT_EQ(LineKinds("Gut.\nAm Di., 9. Jan. 2007 um 09:22 Uhr schrieb Jane Doe <jdoe@example.org>:\n> Ja?\n"),
            "oqq");
  EXPECT_EQ(LineKinds("Certo.\nEm ter., 9 de jan. de 2007 às 09:22, Jane Doe <jdoe@example.org> escreveu:\n> Sim?\n"),
            "oqq");
  // German wrapped with the verb on the second line.
  EXPECT_EQ(LineKinds("Gut.\nAm 09.01.2007 um 09:22\nschrieb Jane Doe:\n> Ja?\n"), "oqqq");
}

TEST(AnalyzeBodyTest, UndatedAttributionNeedsAQuoteBelow) {
  EXPECT_EQ(LineKinds("Right.\nJane Doe wrote:\n> Shall we?\n"), "oqq");
  EXPECT_EQ(LineKinds("Right.\nQuoting Jane Doe <jdoe@example.org>:\n\n> Shall we?\n"), "oqqq");
  EXPECT_EQ(LineKinds("Here is what the chair wrote:\nthe draft is final.\n"), "oo");
}

TEST(AnalyzeBodyTest, QuotedMarkersStayQuote) {
  // A signature or footer inside quoted text is part of the quote, not of this message.
  EXPECT_EQ(LineKinds("Yes.\n> Shall we?\n> -- \n> John\n> _______________\n> Policy mailing list\nOk.\n"),
            "oqqqqqo");
}

TEST(AnalyzeBodyTest, AppleMailAttribution) {
  EXPECT_EQ(LineKinds("Yes.\n\nOn Jan 9, 2007, at 09:22, Jane Doe <jdoe@example.org> wrote:\n\n> Shall we?\n"),
            "ooqqq");
}

TEST(AnalyzeBodyTest, ProseThatLooksLikeAnAttributionStaysOwn) {
  EXPECT_EQ(LineKinds("On reflection, I stand by what I wrote:\nthe draft is fine.\n"), "oo");
  EXPECT_EQ(LineKinds("On the whole it reads well.\nThanks.\n"), "oo");
}

TEST(AnalyzeBodyTest, OutlookHeaderBlockQuotesTheRest) {
  const std::string text =
      "Agreed, let's send it.\n"
      "\n"
      "Jane\n"
      "\n"
      "From: Policy [mailto:policy-bounces@lists.example.org] On Behalf Of John Roe\n"
      "Sent: Tuesday, January 09, 2007 9:22 AM\n"
      "To: policy@lists.example.org\n"
      "Subject: Re: [policy] Draft letter\n"
      "\n"
      "Dear all, here is the draft.\n";
  EXPECT_EQ(LineKinds(text), "ooooqqqqqq");
}

TEST(AnalyzeBodyTest, OutlookRuleAboveTheHeaderBlockIsQuote) {
  const std::string text =
      "Agreed.\n"
      "\n"
      "________________________________\n"
      "From: John Roe <jroe@example.net>\n"
      "Date: Tuesday, January 9, 2007 9:22 AM\n"
      "Subject: Draft letter\n"
      "Old text.\n";
  EXPECT_EQ(LineKinds(text), "ooqqqqq");
}

TEST(AnalyzeBodyTest, OutlookHeaderBlocksInOtherLanguages) {
  EXPECT_EQ(LineKinds("D'accord.\n"
                      "De\xC2\xA0: John Roe\n"
                      "Envoyé\xC2\xA0: mardi 9 janvier 2007 09:22\n"
                      "À\xC2\xA0: policy@lists.example.org\n"
                      "Objet\xC2\xA0: RE: Projet\n"
                      "Texte.\n"),
            "oqqqqq");
  EXPECT_EQ(LineKinds("Vale.\n"
                      "De: John Roe\n"
                      "Enviado el: martes, 9 de enero de 2007 9:22\n"
                      "Para: policy@lists.example.org\n"
                      "Asunto: RE: Borrador\n"
                      "Texto.\n"),
            "oqqqqq");
  EXPECT_EQ(LineKinds("Gut.\n"
                      "Von: John Roe\n"
                      "Gesendet: Dienstag, 9. Januar 2007 09:22\n"
                      "An: policy@lists.example.org\n"
                      "Betreff: AW: Entwurf\n"
                      "Text.\n"),
            "oqqqqq");
}

// What HtmlToText makes of Word HTML: &nbsp; paragraphs between blocks, bold header
// names rendered by some converters as *From:*.
TEST(AnalyzeBodyTest, OutlookHtmlDerivedText) {
  const std::string text =
      "Agreed, let's send it.\n"
      "\n"
      "\xC2\xA0\n"
      "\n"
      "Jane\n"
      "\n"
      "\xC2\xA0\n"
      "\n"
      "*From:* Policy [mailto:policy-bounces@lists.example.org] *On Behalf Of *John Roe\n"
      "\n"
      "*Sent:* Tuesday, January 09, 2007 9:22 AM\n"
      "\n"
      "*To:* policy@lists.example.org\n"
      "*Subject:* Re: [policy] Draft letter\n"
      "\n"
      "\xC2\xA0\n"
      "Dear all,\n";
  EXPECT_EQ(LineKinds(text), "ooooooooqqqqqqqqq");
}

TEST(AnalyzeBodyTest, LoneFromLineIsProse) {
  EXPECT_EQ(LineKinds("From: the chair's point of view\nthis is settled.\nTo: be continued\n"), "ooo");
}

TEST(AnalyzeBodyTest, LotusNotesHeaderQuotesTheRest) {
  const std::string text =
      "I agree.\n"
      ">>> Jane Doe 1/9/2007 1:21 AM >>>\n"
      "Shall we send it?\n"
      "\n"
      "Jane\n";
  EXPECT_EQ(LineKinds(text), "oqqqq");
}

TEST(AnalyzeBodyTest, ForwardedMessagesAreQuote) {
  EXPECT_EQ(LineKinds("FYI\n\n---------- Forwarded message ---------\nFrom: X\nText\n"), "ooqqq");
  EXPECT_EQ(LineKinds("FYI\n\nBegin forwarded message:\n\nFrom: X\nText\n"), "ooqqqq");
  EXPECT_EQ(LineKinds("FYI\n----- Forwarded by Jane Doe/ORG on 01/09/2007 09:22 AM -----\nText\n"), "oqq");
}

TEST(AnalyzeBodyTest, Signature) {
  EXPECT_EQ(LineKinds("Thanks.\n-- \nJane Doe\nExample Org\n"), "osss");
  EXPECT_EQ(LineKinds("Thanks.\n\n--\nJane Doe\n\nhttp://example.org\n"), "oossss");
}

TEST(AnalyzeBodyTest, SignatureEndsAtQuote) {
  const std::string text =
      "Thanks.\n"
      "-- \n"
      "Jane Doe\n"
      "\n"
      "On Tue, Jan 9, 2007 at 9:22 AM, John Roe <jroe@example.net> wrote:\n"
      "> Shall we?\n";
  EXPECT_EQ(LineKinds(text), "osssqq");
}

TEST(AnalyzeBodyTest, LongTextAfterDashesIsNoSignature) {
  std::string text = "Part one.\n--\n";
  for (int i = 0; i < 12; ++i) text += "More of the argument.\n";
  EXPECT_EQ(LineKinds(text), std::string(14, 'o'));
}

TEST(AnalyzeBodyTest, MailmanFooter) {
  const std::string text =
      "I agree.\n"
      "\n"
      "_______________________________________________\n"
      "Policy mailing list\n"
      "Policy@lists.example.org\n"
      "https://lists.example.org/mailman/listinfo/policy\n";
  EXPECT_EQ(LineKinds(text), "ooffff");
}

TEST(AnalyzeBodyTest, Mailman3FooterAfterSignature) {
  const std::string text =
      "I agree.\n"
      "-- \n"
      "Jane\n"
      "_______________________________________________\n"
      "policy mailing list -- policy@lists.example.org\n"
      "To unsubscribe send an email to policy-leave@lists.example.org\n";
  EXPECT_EQ(LineKinds(text), "ossfff");
}

TEST(AnalyzeBodyTest, GoogleGroupsFooter) {
  const std::string text =
      "I agree.\n"
      "\n"
      "-- \n"
      "You received this message because you are subscribed to the Google Groups \"Policy\" group.\n"
      "To unsubscribe from this group and stop receiving emails from it, send an email to "
      "policy+unsubscribe@googlegroups.com.\n"
      "To view this discussion on the web visit https://groups.google.com/d/msgid/policy/x.\n";
  EXPECT_EQ(LineKinds(text), "ooffff");
}

TEST(AnalyzeBodyTest, ListservFooter) {
  const std::string text =
      "I agree.\n"
      "\n"
      "You received this message as a subscriber on the list:\n"
      "     policy@lists.example.org\n"
      "To be removed from the list, visit:\n"
      "     http://lists.example.org/u?id=1\n";
  EXPECT_EQ(LineKinds(text), "ooffff");
}

TEST(AnalyzeBodyTest, FooterAfterOutlookQuote) {
  const std::string text =
      "Agreed.\n"
      "________________________________\n"
      "From: Policy [mailto:policy-bounces@lists.example.org] On Behalf Of John Roe\n"
      "Sent: Tuesday, January 09, 2007 9:22 AM\n"
      "To: policy@lists.example.org\n"
      "Subject: [policy] Draft\n"
      "Old text.\n"
      "_______________________________________________\n"
      "Policy mailing list\n"
      "https://lists.example.org/mailman/listinfo/policy\n";
  EXPECT_EQ(LineKinds(text), "oqqqqqqfff");
}

TEST(AnalyzeBodyTest, FooterPhraseBeforeQuotedTextIsProse) {
  EXPECT_EQ(LineKinds("To unsubscribe from the list, write to the chair.\n> How?\n"), "oq");
}

TEST(AnalyzeBodyTest, MboxFromEscapes) {
  EXPECT_EQ(LineKinds("I think\n>From here on we agree.\n"), "oo");
  EXPECT_EQ(LineKinds("Yes.\n> quoted\n>From here on we agree.\n> more\n"), "oqqq");
}

TEST(AnalyzeBodyTest, LineEndings) {
  EXPECT_EQ(LineKinds("own\r\n> quote\r\nown\r\n"), "oqo");
  EXPECT_EQ(LineKinds("own\r> quote\rown"), "oqo");
  EXPECT_EQ(LineKinds("own\n> quote"), "oq");
  const std::vector<Segment> segments = AnalyzeBody("own\r\n> quote");
  ASSERT_EQ(segments.size(), 2u);
  EXPECT_EQ(segments[0].end, 5u);
}

TEST(AnalyzeBodyTest, NastyInputs) {
  std::vector<std::string> inputs = {
      std::string(1, '\0'),
      "\n",
      "\r",
      "\r\n\r\n\n\r",
      ">",
      "> ",
      "--",
      "-- ",
      ">>>",
      ">>>>>>>>",
      ">>> 1 >>>",
      "\xC2",
      "x\xC2",
      "\xE2\x80",
      "\xEF\xBB",
      "\xEF\xBB\xBF> quoted behind a byte-order mark",
      "\xC2\xA0\xC2\xA0",
      "\xFF\xFE\xFD\n\x80\x81\n",
      "On",
      "On 1 wrote",
      "On 1\n:",
      "From:",
      "From:\nSent:\nTo:",
      "*:",
      ":",
      "_____",
      "_____\n",
      "-----Original Message-----",
      std::string(2'000'000, 'a'),
      std::string(100'000, '>'),
      std::string(100'000, '\n'),
      std::string(100'000, ' ') + "\n",
      "On " + std::string(100'000, '1') + " wrote:",
      "From: " + std::string(100'000, 'x') + "\nSent: 1\nTo: y\n",
  };
  // Runs that would make a careless lookahead quadratic.
  auto repeat = [](std::string_view unit, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += unit;
    return out;
  };
  inputs.push_back(repeat("-- \n\n\n", 100'000));
  inputs.push_back(repeat("Jane wrote:\n\n\n\n", 100'000));
  inputs.push_back(repeat(">From x\n\n\n", 100'000));
  inputs.push_back(repeat("From: a\n\n", 100'000));
  inputs.push_back(repeat("_____\n\n", 100'000));
  for (const std::string& text : inputs) {
    SCOPED_TRACE(text.substr(0, 40));
    ExpectTiles(text, AnalyzeBody(text));
  }
  EXPECT_EQ(LineKinds("\xEF\xBB\xBF> quoted behind a byte-order mark\n"), "q");
  EXPECT_EQ(LineKinds("From:\nSent:\nTo:"), "qqq");
}

TEST(AnalyzeBodyTest, RandomInputsAreTiled) {
  // Fragments chosen to hit every rule and their edges; glued at random.
  const std::string nul(1, '\0');
  const std::vector<std::string> pieces = {
      "own text ", "\n", "\r\n", "\r", "> ", ">", " >", "-- ", "--", "\xC2\xA0",
      "On 1/9/2007, Jane wrote:", "On Tue", "wrote:", "From: x", "Sent: y", "To: z",
      "_______________", "-----Original Message-----", ">>> Jane 1/9/2007 >>>",
      "Begin forwarded message:", "Policy mailing list", "You received this message because",
      ">From ", "\xFF", "\xC2", nul, "De :", "a écrit :", "schrieb",
  };
  std::mt19937 rng(20070109);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 60);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) text += pieces[pick(rng)];
    const std::vector<Segment> segments = AnalyzeBody(text);
    SCOPED_TRACE(EncodeSegments(segments));
    ExpectTiles(text, segments);
    EXPECT_EQ(DecodeSegments(EncodeSegments(segments)).size(), segments.size());
    if (HasFailure()) return;
  }
}

TEST(AnalyzeBodyTest, RandomBytesAreTiled) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 400);
  const std::string alphabet = ">-_ \r\n:Ow@1\xC2\xA0";
  std::uniform_int_distribution<size_t> from_alphabet(0, alphabet.size() - 1);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) {
      text += (round % 2 == 0) ? static_cast<char>(byte(rng)) : alphabet[from_alphabet(rng)];
    }
    ExpectTiles(text, AnalyzeBody(text));
    if (HasFailure()) return;
  }
}

TEST(SegmentCodecTest, RoundTrip) {
  const std::string text =
      "Yes.\n\nOn 1/9/2007, Jane Doe wrote:\n> Shall we?\n-- \nJohn\n"
      "_______________________________________________\nPolicy mailing list\n";
  const std::vector<Segment> segments = AnalyzeBody(text);
  ASSERT_EQ(segments.size(), 4u);
  const std::string encoded = EncodeSegments(segments);
  EXPECT_EQ(encoded, "o0-6,q6-47,s47-56,f56-124");
  const std::vector<Segment> decoded = DecodeSegments(encoded);
  ASSERT_EQ(decoded.size(), segments.size());
  for (size_t i = 0; i < segments.size(); ++i) {
    EXPECT_EQ(decoded[i].kind, segments[i].kind);
    EXPECT_EQ(decoded[i].begin, segments[i].begin);
    EXPECT_EQ(decoded[i].end, segments[i].end);
  }
  EXPECT_EQ(EncodeSegments({}), "");
  EXPECT_TRUE(DecodeSegments("").empty());
  const std::vector<Segment> big = {{SegmentKind::kFooter, 0, 4294967295u}};
  EXPECT_EQ(DecodeSegments(EncodeSegments(big)).at(0).end, 4294967295u);
}

TEST(SegmentCodecTest, MalformedInputDecodesToNothing) {
  const std::vector<std::string> bad = {
      "x0-1",        "o",          "o0",          "o0-",       "o-1",        "o0-1,",
      ",o0-1",       "o0-1,,q1-2", "o0-1q1-2",    "o1-0",      "o0-5,q3-9",  "o0-4294967296",
      "o+0-1",       "o0--1",      "o 0-1",       "o0-1 ",     "O0-1",       "o0-1,q",
      std::string("o0-1\0", 5),    "o00000000000000000000000000000000000000001-2x",
  };
  for (const std::string& encoded : bad) {
    EXPECT_TRUE(DecodeSegments(encoded).empty()) << encoded;
  }
}

TEST(TextOfKindTest, ConcatenatesOwnText) {
  const std::string text = "> a\nmine\n> b\nalso mine\n-- \nJane\n";
  const std::vector<Segment> segments = AnalyzeBody(text);
  EXPECT_EQ(TextOfKind(text, segments, SegmentKind::kOwn), "mine\nalso mine\n");
  EXPECT_EQ(TextOfKind(text, segments, SegmentKind::kQuote), "> a\n> b\n");
  EXPECT_EQ(TextOfKind(text, segments, SegmentKind::kSignature), "-- \nJane\n");
  EXPECT_EQ(TextOfKind(text, segments, SegmentKind::kFooter), "");
}

TEST(TextOfKindTest, SegmentsBeyondTheTextAreClamped) {
  const std::vector<Segment> segments = {{SegmentKind::kOwn, 2, 100}, {SegmentKind::kOwn, 200, 300}};
  EXPECT_EQ(TextOfKind("hello", segments, SegmentKind::kOwn), "llo");
}

}  // namespace
}  // namespace rt
