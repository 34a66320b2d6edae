#include "mime/html_to_text.h"

#include <glib.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>

namespace rt {
namespace {

bool IsValidUtf8(const std::string& s) { return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr); }

// The tidiness HtmlToText promises for every input.
void ExpectTidy(const std::string& text) {
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_EQ(text.find("\n\n\n"), std::string::npos) << text;
  EXPECT_EQ(text.find(" \n"), std::string::npos) << text;
  EXPECT_EQ(text.find("\t\n"), std::string::npos) << text;
  if (!text.empty()) {
    EXPECT_NE(text.front(), '\n');
    EXPECT_NE(text.back(), '\n');
    EXPECT_NE(text.back(), ' ');
  }
}

TEST(HtmlToTextTest, EmptyAndBlankInputs) {
  EXPECT_EQ(HtmlToText(""), "");
  EXPECT_EQ(HtmlToText("   \n\t "), "");
  EXPECT_EQ(HtmlToText("<html><head></head><body></body></html>"), "");
  EXPECT_EQ(HtmlToText("<p>&nbsp;</p><div> </div><br><br>"), "");
}

TEST(HtmlToTextTest, PlainTextPassesThroughCollapsed) {
  EXPECT_EQ(HtmlToText("Hello   world\n  again"), "Hello world again");
  EXPECT_EQ(HtmlToText("no markup at all"), "no markup at all");
}

TEST(HtmlToTextTest, ParagraphsAndLineBreaks) {
  EXPECT_EQ(HtmlToText("<p>One</p><p>Two</p>"), "One\n\nTwo");
  EXPECT_EQ(HtmlToText("<p>line one<br>line two</p>"), "line one\nline two");
  EXPECT_EQ(HtmlToText("a<br><br>b"), "a\n\nb");
  EXPECT_EQ(HtmlToText("a<br><br><br><br>b"), "a\n\nb");
  EXPECT_EQ(HtmlToText("<h1>Title</h1>text"), "Title\n\ntext");
  // Unclosed paragraphs, as old hand-written HTML has them.
  EXPECT_EQ(HtmlToText("<p>one<p>two<p>three"), "one\n\ntwo\n\nthree");
}

TEST(HtmlToTextTest, DivsAreLinesAsInGmail) {
  EXPECT_EQ(HtmlToText("<div>Hi Jane,</div><div><br></div><div>Thanks.</div><div>Bob</div>"),
            "Hi Jane,\n\nThanks.\nBob");
}

TEST(HtmlToTextTest, InlineMarkupDoesNotSplitWords) {
  EXPECT_EQ(HtmlToText("<p>un<b>believ</b><i>able</i> <a href='x'>link</a> <span>end</span></p>"),
            "unbelievable link end");
  EXPECT_EQ(HtmlToText("foo<b> bar</b> baz"), "foo bar baz");
}

TEST(HtmlToTextTest, EntitiesAreDecoded) {
  EXPECT_EQ(HtmlToText("a &amp; b &lt;c&gt; &quot;d&quot; &eacute; &#8364; &#x263A;"),
            "a & b <c> \"d\" \xC3\xA9 \xE2\x82\xAC \xE2\x98\xBA");
  EXPECT_EQ(HtmlToText("x&nbsp;&nbsp;&nbsp;y"), "x y");
}

TEST(HtmlToTextTest, HeadStyleScriptAndCommentsAreDropped) {
  std::string html =
      "<html><head><title>Secret title</title><style>p { color: red }</style></head>"
      "<body><script>alert('x')</script><!-- a comment -->Visible<style>.x{}</style></body></html>";
  EXPECT_EQ(HtmlToText(html), "Visible");
}

TEST(HtmlToTextTest, OutlookWordHtml) {
  std::string html =
      "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\">"
      "<head><meta http-equiv=Content-Type content=\"text/html; charset=us-ascii\">"
      "<meta name=Generator content=\"Microsoft Word 12 (filtered medium)\">"
      "<!--[if !mso]><style>v\\:* {behavior:url(#default#VML);}</style><![endif]-->"
      "<style><!-- p.MsoNormal {margin:0in; font-size:11.0pt;} --></style>"
      "<!--[if gte mso 9]><xml><o:shapedefaults v:ext=\"edit\" spidmax=\"1026\" /></xml><![endif]-->"
      "</head><body lang=EN-US link=blue vlink=purple><div class=WordSection1>"
      "<p class=MsoNormal>Hi all,<o:p></o:p></p>"
      "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
      "<p class=MsoNormal>I support the&nbsp;draft.<o:p></o:p></p>"
      "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
      "<p class=MsoNormal>Regards,<o:p></o:p></p>"
      "<p class=MsoNormal>Jane<o:p></o:p></p>"
      "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
      "<div><div style='border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0in 0in 0in'>"
      "<p class=MsoNormal><b><span style='font-size:10.0pt'>From:</span></b>"
      "<span style='font-size:10.0pt'> Bob [mailto:bob@example.org] <br><b>Sent:</b> Tuesday, "
      "January 09, 2007 9:22 AM<br><b>To:</b> policy@lists.example.org<br><b>Subject:</b> "
      "Draft<o:p></o:p></span></p></div></div>"
      "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
      "<p class=MsoNormal>Old text<o:p></o:p></p>"
      "</div></body></html>";
  EXPECT_EQ(HtmlToText(html),
            "Hi all,\n\nI support the draft.\n\nRegards,\nJane\n\n"
            "From: Bob [mailto:bob@example.org]\nSent: Tuesday, January 09, 2007 9:22 AM\n"
            "To: policy@lists.example.org\nSubject: Draft\n\nOld text");
}

TEST(HtmlToTextTest, ConditionalCommentsVanishButDownlevelRevealedContentStays) {
  std::string html =
      "<p>Before</p><!--[if gte mso 9]><p>only in Word</p><![endif]-->"
      "<![if !supportLists]><span>1.</span><![endif]>Item"
      "<!--[if !mso]><!--><p>everyone</p><!--<![endif]-->";
  EXPECT_EQ(HtmlToText(html), "Before\n\n1.Item\n\neveryone");
}

TEST(HtmlToTextTest, WordSmartTagsKeepTheirText) {
  EXPECT_EQ(HtmlToText("<p class=MsoNormal>Meet in <st1:City w:st=\"on\"><st1:place w:st=\"on\">Geneva"
                       "</st1:place></st1:City> soon</p>"),
            "Meet in Geneva soon");
}

TEST(HtmlToTextTest, BlockquotesArePrefixed) {
  EXPECT_EQ(HtmlToText("<p>I agree.</p><blockquote><p>First</p><p>Second<br>line</p></blockquote><p>Bye</p>"),
            "I agree.\n\n> First\n>\n> Second\n> line\n\nBye");
}

TEST(HtmlToTextTest, NestedBlockquotes) {
  EXPECT_EQ(HtmlToText("<blockquote type=cite>outer<blockquote>inner</blockquote>outer again</blockquote>"),
            "> outer\n>\n> > inner\n>\n> outer again");
}

TEST(HtmlToTextTest, PreKeepsWhitespace) {
  EXPECT_EQ(HtmlToText("<p>Code:</p><pre>  int x;\n    return  x;\n</pre><p>done</p>"),
            "Code:\n\n  int x;\n    return  x;\n\ndone");
  EXPECT_EQ(HtmlToText("<pre>a\n\n\n\nb</pre>"), "a\n\nb");
  EXPECT_EQ(HtmlToText("<blockquote><pre>x\n  y</pre></blockquote>"), "> x\n>   y");
}

TEST(HtmlToTextTest, SignatureDelimiterKeepsItsSpace) {
  EXPECT_EQ(HtmlToText("<p>Thanks</p><pre class=\"moz-signature\">-- \nAna</pre>"), "Thanks\n\n-- \nAna");
  EXPECT_EQ(HtmlToText("<p>Thanks</p><span class=\"gmail_signature_prefix\">-- </span><br><div>Ana</div>"),
            "Thanks\n\n-- \nAna");
  EXPECT_EQ(HtmlToText("<p>Thanks<br>--&nbsp;<br>Ana</p>"), "Thanks\n-- \nAna");
  EXPECT_EQ(HtmlToText("<blockquote>x<br>-- <br>Bob</blockquote>"), "> x\n> -- \n> Bob");
  EXPECT_EQ(HtmlToText("<p>a<br>--<br>b</p>"), "a\n--\nb");
  EXPECT_EQ(HtmlToText("<pre>a --  \nb</pre>"), "a --\nb");
}

TEST(HtmlToTextTest, Lists) {
  EXPECT_EQ(HtmlToText("<p>Points:</p><ul><li>one</li><li>two</li></ul><p>end</p>"),
            "Points:\n\n- one\n- two\n\nend");
  EXPECT_EQ(HtmlToText("<ol><li>first<li>second</ol>"), "1. first\n2. second");
  EXPECT_EQ(HtmlToText("<ul><li>a<ul><li>a1</li><li>a2</li></ul></li><li>b</li></ul>"),
            "- a\n  - a1\n  - a2\n- b");
  EXPECT_EQ(HtmlToText("<ul><li><p>para item</p></li><li><p>second</p></li></ul>"), "- para item\n- second");
  EXPECT_EQ(HtmlToText("<ul><li></li></ul><p>after</p>"), "after");
}

TEST(HtmlToTextTest, TablesRowsAreLinesCellsAreSpaced) {
  EXPECT_EQ(HtmlToText("<p>Votes</p><table><tr><td>Yes</td><td>12</td></tr><tr><th>No</th><td>3</td></tr></table>"
                       "<p>end</p>"),
            "Votes\n\nYes 12\nNo 3\n\nend");
}

TEST(HtmlToTextTest, NestedLayoutTables) {
  std::string html =
      "<table><tr><td><table><tr><td>Inner A</td><td>Inner B</td></tr></table></td>"
      "<td><table><tr><td><table><tr><td>Deep</td></tr></table></td></tr></table></td></tr>"
      "<tr><td>Last row</td></tr></table>";
  std::string text = HtmlToText(html);
  EXPECT_NE(text.find("Inner A Inner B"), std::string::npos) << text;
  EXPECT_NE(text.find("Deep"), std::string::npos) << text;
  EXPECT_NE(text.find("Last row"), std::string::npos) << text;
  ExpectTidy(text);
}

TEST(HtmlToTextTest, TruncatedHtml) {
  EXPECT_EQ(HtmlToText("<p>Hello <b>wor"), "Hello wor");
  EXPECT_EQ(HtmlToText("<p>Hello</p><div class=\"x"), "Hello");
  EXPECT_EQ(HtmlToText("<p>Hello<!-- never closed <p>hidden"), "Hello");
  EXPECT_EQ(HtmlToText("<p>Hello &amp"), "Hello &");
  EXPECT_EQ(HtmlToText("<"), "<");
  EXPECT_EQ(HtmlToText("<style>p{"), "");
}

TEST(HtmlToTextTest, InvalidUtf8AndGarbageBytesGiveValidUtf8) {
  std::string garbage = "<p>caf\xE9 \xFF\xFE ok \xC3</p>";
  std::string text = HtmlToText(garbage);
  EXPECT_TRUE(IsValidUtf8(text)) << text;
  EXPECT_NE(text.find("ok"), std::string::npos);

  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 7919 + 13) & 0xFF));
  std::string binary_text = HtmlToText(binary);
  ExpectTidy(binary_text);

  std::string with_nul("a\0b<p>c\0d</p>", 13);
  ExpectTidy(HtmlToText(with_nul));
}

TEST(HtmlToTextTest, HugeLine) {
  std::string word(1 << 20, 'x');
  std::string text = HtmlToText("<p>" + word + "</p>");
  EXPECT_EQ(text, word);
  std::string spaced;
  for (int i = 0; i < 200000; ++i) spaced += "ab   ";
  std::string collapsed = HtmlToText(spaced);
  EXPECT_EQ(collapsed.size(), 200000u * 3 - 1);
}

TEST(HtmlToTextTest, OversizedInputIsCutNotRejected) {
  std::string big = "<p>start</p>" + std::string(5 * 1024 * 1024, 'y');
  std::string text = HtmlToText(big);
  EXPECT_EQ(text.rfind("start\n\n", 0), 0u);
  EXPECT_LT(text.size(), 5u * 1024 * 1024);
}

// Deep or pathological nesting must stay fast: the parser's tree construction is
// quadratic in nesting depth, so most of these take minutes without the pre-pass.
struct NestingCase {
  const char* piece;  // repeated 60000 times, '#' replaced by the repetition number
  bool text_survives;  // false when the end text sits inside an element that is dropped
};

void PrintTo(const NestingCase& c, std::ostream* os) { *os << c.piece; }

class HtmlToTextNestingTest : public ::testing::TestWithParam<NestingCase> {};

TEST_P(HtmlToTextNestingTest, StaysFast) {
  std::string html;
  for (int i = 0; i < 60000; ++i) {
    std::string piece = GetParam().piece;
    std::size_t hash = piece.find('#');
    if (hash != std::string::npos) piece.replace(hash, 1, std::to_string(i));
    html += piece;
  }
  html += "THE END";
  auto start = std::chrono::steady_clock::now();
  std::string text = HtmlToText(html);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0) << GetParam().piece;
  EXPECT_EQ(text.find("THE END") != std::string::npos, GetParam().text_survives) << GetParam().piece;
  ExpectTidy(text);
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, HtmlToTextNestingTest,
    ::testing::Values(NestingCase{"<div>", true}, NestingCase{"<blockquote>x", true},
                      NestingCase{"<b a=#>", true}, NestingCase{"<font a=#>x</p>", true},
                      NestingCase{"<b a=#><p>", true}, NestingCase{"<ul><li>", true},
                      NestingCase{"<li><ul></li>", true}, NestingCase{"<table><tr><td>", true},
                      NestingCase{"<div><p>x</div>", true}, NestingCase{"<dl><dd>", true},
                      NestingCase{"<!-->", true}, NestingCase{"<!-- --!><div>", true},
                      NestingCase{"<o:p>", false}, NestingCase{"<svg><style><g>", false},
                      NestingCase{"<select><option>", true}));

TEST(HtmlToTextTest, DeepQuotesAreBoundedButPrefixed) {
  std::string html;
  for (int i = 0; i < 3; ++i) html += "<blockquote>";
  html += "deep";
  EXPECT_EQ(HtmlToText(html), "> > > deep");
}

}  // namespace
}  // namespace rt
