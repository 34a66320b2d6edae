#include "archive/pipermail_page.h"

#include <glib.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace rt {
namespace {

bool IsValidUtf8(const std::string& s) { return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr); }

// A Mailman 2.1 page with ARCHIVER_OBSCURES_EMAILADDRS: the mailto points at the list.
const char kMailman21Page[] =
    "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n"
    "<HTML>\n"
    " <HEAD>\n"
    "   <TITLE> [policy] Draft letter on the consultation\n"
    "   </TITLE>\n"
    "   <LINK REL=\"Index\" HREF=\"index.html\" >\n"
    "   <LINK REL=\"made\" HREF=\"mailto:policy%40lists.example.org?Subject=Re%3A%20%5Bpolicy%5D%20Draft%20letter"
    "%20on%20the%20consultation&In-Reply-To=%3C45A3B2.1%40example.net%3E\">\n"
    "   <META NAME=\"robots\" CONTENT=\"index,nofollow\">\n"
    "   <style type=\"text/css\">pre { white-space: pre-wrap; }</style>\n"
    "   <META http-equiv=\"Content-Type\" content=\"text/html; charset=us-ascii\">\n"
    "   <LINK REL=\"Previous\"  HREF=\"000122.html\">\n"
    " </HEAD>\n"
    " <BODY BGCOLOR=\"#ffffff\">\n"
    "   <H1>[policy] Draft letter on the consultation</H1>\n"
    "    <B>Jane Doe</B> \n"
    "    <A HREF=\"mailto:policy%40lists.example.org?Subject=Re%3A%20%5Bpolicy%5D%20Draft%20letter%20on%20the"
    "%20consultation&In-Reply-To=%3C45A3B2.1%40example.net%3E\"\n"
    "       TITLE=\"[policy] Draft letter on the consultation\">jdoe at example.org\n"
    "       </A><BR>\n"
    "    <I>Tue Jan  9 09:22:30 EST 2007</I>\n"
    "    <P><UL>\n"
    "        <LI>Previous message: <A HREF=\"000122.html\">[policy] Something\n"
    "</A></li>\n"
    "        <LI> <B>Messages sorted by:</B> \n"
    "              <a href=\"date.html#123\">[ date ]</a>\n"
    "         </LI>\n"
    "    </UL>\n"
    "    <HR>\n"
    "<!--beginarticle-->\n"
    "<PRE>Dear all,\n"
    "\n"
    "&gt; quoted text\n"
    "see <A HREF=\"http://example.org/x\">http://example.org/x</A>\n"
    "\tindented &amp; spaced   out  \n"
    "</PRE>\n"
    "\n"
    "<!--endarticle-->\n"
    "    <HR>\n"
    "    <P><UL>\n"
    "        <!--threads-->\n"
    "\t<LI>Next message: <A HREF=\"000124.html\">[policy] Other</A></li>\n"
    "    </UL>\n"
    "</body></html>\n";

// Builds a page in the older pipermail shape: the mailto names the author and the
// message's own In-Reply-To; the subject parameter is the subject unchanged.
std::string OldPage(const std::string& charset, const std::string& subject, const std::string& author,
                    const std::string& address_text, const std::string& href, const std::string& body) {
  return "<HTML><HEAD><TITLE> " + subject + "</TITLE>\n<LINK REL=\"Index\" HREF=\"index.html\" >\n" +
         (charset.empty() ? "" : "<META http-equiv=\"Content-Type\" content=\"text/html; charset=" + charset + "\">\n") +
         "</HEAD><BODY BGCOLOR=\"#ffffff\">\n<H1>" + subject + "</H1>\n<B>" + author + "</B>\n<A HREF=\"" + href +
         "\" TITLE=\"x\">" + address_text + "</A><BR>\n<I>Mon Mar  3 10:00:00 2003</I>\n<P><UL></UL><HR>\n"
         "<!--beginarticle-->\n<PRE>" + body + "</PRE>\n\n<!--endarticle-->\n<HR></BODY></HTML>\n";
}

TEST(PipermailPageTest, ParsesMailman21Page) {
  PipermailPage page;
  Status s = ParsePipermailPage(kMailman21Page, &page);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(page.subject, "[policy] Draft letter on the consultation");
  EXPECT_EQ(page.author_name, "Jane Doe");
  EXPECT_EQ(page.author_address, "jdoe@example.org");
  EXPECT_EQ(page.date, "Tue Jan  9 09:22:30 EST 2007");
  // Mailman 2.1's reply link carries this page's own Message-ID, not its parent's.
  EXPECT_EQ(page.message_id, "45A3B2.1@example.net");
  EXPECT_EQ(page.in_reply_to, "");
  EXPECT_EQ(page.body, "Dear all,\n\n> quoted text\nsee http://example.org/x\n\tindented & spaced   out  \n");
}

TEST(PipermailPageTest, Mailman21ReplyToAReply) {
  std::string page_html = kMailman21Page;
  // Subject "Re: [policy] X": the link's subject gains one more "Re:".
  std::string h1 = "<H1>[policy] Draft letter on the consultation</H1>";
  page_html.replace(page_html.find(h1), h1.size(), "<H1>Re: [policy] Draft letter on the consultation</H1>");
  std::string param = "Subject=Re%3A%20%5Bpolicy%5D";
  std::size_t pos = 0;
  while ((pos = page_html.find(param, pos)) != std::string::npos) {
    page_html.replace(pos, param.size(), "Subject=Re%3A%20Re%3A%20%5Bpolicy%5D");
    pos += param.size();
  }
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(page_html, &page).ok());
  EXPECT_EQ(page.subject, "Re: [policy] Draft letter on the consultation");
  EXPECT_EQ(page.message_id, "45A3B2.1@example.net");
  EXPECT_EQ(page.in_reply_to, "");
}

TEST(PipermailPageTest, OldPipermailLinkCarriesInReplyTo) {
  std::string html = OldPage("us-ascii", "Re: [policy] Draft", "Jane Doe", "jdoe at example.org",
                             "mailto:jdoe%20at%20example.org?Subject=Re%3A%20%5Bpolicy%5D%20Draft&"
                             "In-Reply-To=%3C3E63A1.5%40example.net%3E",
                             "text\n");
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.in_reply_to, "3E63A1.5@example.net");
  EXPECT_EQ(page.message_id, "");
  EXPECT_EQ(page.author_address, "jdoe@example.org");
  EXPECT_EQ(page.date, "Mon Mar  3 10:00:00 2003");
  EXPECT_EQ(page.body, "text\n");
}

TEST(PipermailPageTest, AddressFromHrefWhenLinkTextIsEmpty) {
  std::string html = OldPage("", "Hello", "Jane", "", "mailto:jdoe%20at%20example%20dot%20org?Subject=Hello", "x");
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.author_address, "jdoe@example.org");
}

TEST(PipermailPageTest, DotObfuscatedAddress) {
  std::string html = OldPage("", "Hi", "Jane", "jdoe at example dot org", "mailto:x?Subject=Hi", "x");
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.author_address, "jdoe@example.org");
}

TEST(PipermailPageTest, Latin1PageIsConverted) {
  std::string html = OldPage("iso-8859-1", "[policy] R\xE9union \xE0 Gen\xE8ve", "Fran\xE7ois M\xFCller",
                             "fm at example.ch", "mailto:fm%20at%20example.ch?Subject=x", "Caf\xE9 cr\xE8me\n");
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.subject, "[policy] R\xC3\xA9union \xC3\xA0 Gen\xC3\xA8ve");
  EXPECT_EQ(page.author_name, "Fran\xC3\xA7ois M\xC3\xBCller");
  EXPECT_EQ(page.body, "Caf\xC3\xA9 cr\xC3\xA8me\n");
}

TEST(PipermailPageTest, MislabelledUtf8IsKept) {
  std::string html = OldPage("iso-8859-1", "Z\xC3\xBCrich", "A", "a at b.c", "mailto:x", "\xE2\x82\xAC 5\n");
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.subject, "Z\xC3\xBCrich");
  EXPECT_EQ(page.body, "\xE2\x82\xAC 5\n");
}

TEST(PipermailPageTest, UsAsciiPageWithWindows1252Bytes) {
  std::string html = OldPage("us-ascii", "quotes", "A", "a at b.c", "mailto:x", "\x93quoted\x94 \x80 5\n");
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.body, "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x82\xAC 5\n");
}

TEST(PipermailPageTest, SevenBitJapanesePageIsConvertedThoughValidUtf8) {
  std::string hello = "\x1B$B$3$s$K$A$O\x1B(B";  // ISO-2022-JP for "konnichiwa"
  std::string html = OldPage("iso-2022-jp", hello, "Taro", "t at example.jp", "mailto:x", hello + "\n");
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  std::string expected = "\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF";
  EXPECT_EQ(page.subject, expected);
  EXPECT_EQ(page.body, expected + "\n");
}

TEST(PipermailPageTest, InvalidUtf8UnderUtf8LabelBecomesReplacementCharacters) {
  std::string html = OldPage("utf-8", "bad \xFF subject", "A\xC3", "a at b.c", "mailto:x", "ok \xFE\xFF ok\n");
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_TRUE(IsValidUtf8(page.subject));
  EXPECT_TRUE(IsValidUtf8(page.author_name));
  EXPECT_TRUE(IsValidUtf8(page.body));
  EXPECT_EQ(page.subject, "bad \xEF\xBF\xBD subject");
}

TEST(PipermailPageTest, UnknownCharsetFallsBack) {
  std::string html = OldPage("x-no-such-charset", "na\xEFve", "A", "a at b.c", "mailto:x", "b\n");
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.subject, "na\xC3\xAFve");
}

TEST(PipermailPageTest, NoMarkersIsBadFormat) {
  PipermailPage page;
  page.subject = "untouched";
  Status s = ParsePipermailPage("<html><body><h1>Hello</h1><pre>text</pre></body></html>", &page);
  EXPECT_EQ(s.code(), Status::Code::kBadFormat);
  EXPECT_EQ(page.subject, "untouched");
  EXPECT_EQ(ParsePipermailPage("", &page).code(), Status::Code::kBadFormat);
  EXPECT_EQ(ParsePipermailPage("<!--endarticle-->", &page).code(), Status::Code::kBadFormat);
  // The marker inside body text is not a marker.
  EXPECT_EQ(ParsePipermailPage("<pre>&lt;!--beginarticle--&gt;</pre>", &page).code(), Status::Code::kBadFormat);
}

TEST(PipermailPageTest, GarbageBytesDoNotCrash) {
  std::string garbage;
  for (int i = 0; i < 100000; ++i) garbage.push_back(static_cast<char>((i * 2654435761u) >> 13));
  PipermailPage page;
  EXPECT_EQ(ParsePipermailPage(garbage, &page).code(), Status::Code::kBadFormat);
  std::string with_marker = garbage + "<!--beginarticle--><PRE>" + garbage;
  ASSERT_TRUE(ParsePipermailPage(with_marker, &page).ok());
  EXPECT_TRUE(IsValidUtf8(page.body));
  EXPECT_FALSE(page.body.empty());
}

TEST(PipermailPageTest, TruncatedPageKeepsWhatIsThere) {
  std::string html = kMailman21Page;
  html.resize(html.find("&gt; quoted") + 6);  // cut inside the article
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.author_address, "jdoe@example.org");
  EXPECT_EQ(page.body, "Dear all,\n\n> q");

  html = kMailman21Page;
  html.resize(html.find("<!--beginarticle-->") + 10);  // cut inside the marker
  EXPECT_EQ(ParsePipermailPage(html, &page).code(), Status::Code::kBadFormat);
}

TEST(PipermailPageTest, BodyWithoutPre) {
  // Archives made with SHOWBR: lines end in <BR>, no <PRE>.
  std::string html =
      "<H1>s</H1><B>a</B><!--beginarticle-->\nfirst line<BR>\n  second &lt;line&gt;<BR>\n<!--endarticle-->";
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.body, "first line\n  second <line>");
}

TEST(PipermailPageTest, HugeBodyLine) {
  std::string line(2 * 1024 * 1024, 'z');
  std::string html = OldPage("", "s", "a", "a at b.c", "mailto:x", line);
  PipermailPage page;
  ASSERT_TRUE(ParsePipermailPage(html, &page).ok());
  EXPECT_EQ(page.body, line);
}

TEST(PipermailPageTest, OversizedPageIsRejected) {
  std::string html = std::string("<!--beginarticle--><PRE>") + std::string(33 * 1024 * 1024, 'x');
  PipermailPage page;
  EXPECT_EQ(ParsePipermailPage(html, &page).code(), Status::Code::kInvalidArgument);
}

TEST(PipermailPageTest, LooksLikePipermailPage) {
  EXPECT_TRUE(LooksLikePipermailPage(kMailman21Page));
  std::string head(kMailman21Page);
  head.resize(head.find("<BODY"));
  EXPECT_TRUE(LooksLikePipermailPage(head));
  EXPECT_TRUE(LooksLikePipermailPage("junk <!--beginarticle--> junk"));
  EXPECT_FALSE(LooksLikePipermailPage(""));
  EXPECT_FALSE(LooksLikePipermailPage("<html><head><title>x</title></head><body>hi</body></html>"));
  EXPECT_FALSE(LooksLikePipermailPage("From jdoe at example.org  Tue Jan  9 09:22:30 2007\n"));
}

TEST(PipermailPageTest, DeobfuscateAddress) {
  EXPECT_EQ(DeobfuscateAddress("jdoe at example.org"), "jdoe@example.org");
  EXPECT_EQ(DeobfuscateAddress("  jdoe at example.org\n  "), "  jdoe@example.org\n  ");  // text around kept
  EXPECT_EQ(DeobfuscateAddress("jdoe at example dot org"), "jdoe@example.org");
  EXPECT_EQ(DeobfuscateAddress("john dot doe AT mail dot example dot org"), "john.doe@mail.example.org");
  EXPECT_EQ(DeobfuscateAddress("jdoe@example.org"), "jdoe@example.org");
  EXPECT_EQ(DeobfuscateAddress("Jane Doe"), "Jane Doe");
  EXPECT_EQ(DeobfuscateAddress(""), "");
  EXPECT_EQ(DeobfuscateAddress(" at example.org"), " at example.org");
  EXPECT_EQ(DeobfuscateAddress("meet me at home"), "meet me at home");
  EXPECT_EQ(DeobfuscateAddress("a at b at c"), "a at b at c");
  EXPECT_EQ(DeobfuscateAddress("jdoe at "), "jdoe at ");
  EXPECT_EQ(DeobfuscateAddress("see you at 5.30"), "see you at 5.30");
  EXPECT_EQ(DeobfuscateAddress("jdoe at example."), "jdoe at example.");
}

TEST(PipermailPageTest, DeobfuscateAddressIsLinear) {
  std::string text;
  while (text.size() < (1u << 20)) text += "a at ";
  text += "jdoe at example.org";
  auto start = std::chrono::steady_clock::now();
  std::string out = DeobfuscateAddress(text);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
  EXPECT_EQ(out.substr(out.size() - 21), "a at jdoe@example.org");
}

TEST(PipermailPageTest, DeobfuscateAddressInsideHeaderLines) {
  // Pipermail's text archives obfuscate whole header lines and "From " lines.
  EXPECT_EQ(DeobfuscateAddress("From: jdoe at example.org (Jane Doe)"), "From: jdoe@example.org (Jane Doe)");
  EXPECT_EQ(DeobfuscateAddress("From jdoe at example.org  Tue Jan  9 09:22:30 2007"),
            "From jdoe@example.org  Tue Jan  9 09:22:30 2007");
  EXPECT_EQ(DeobfuscateAddress("Cc: a.b at lists.example.org, c+d at example.net."),
            "Cc: a.b@lists.example.org, c+d@example.net.");
  EXPECT_EQ(DeobfuscateAddress("From: Jane at Home <jdoe at example.org>"), "From: Jane at Home <jdoe@example.org>");
  EXPECT_EQ(DeobfuscateAddress("x at y at example.org"), "x at y@example.org");
}

}  // namespace
}  // namespace rt
