#include "web/markdown.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "web/html_sanitizer.h"

namespace rt {
namespace {

std::string Repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out.append(s);
  return out;
}

std::size_t Count(const std::string& haystack, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++count;
  return count;
}

double SecondsToRender(const std::string& source, std::string* html) {
  auto start = std::chrono::steady_clock::now();
  *html = RenderMarkdown(source);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(MarkdownTest, RendersCommonMark) {
  EXPECT_EQ(RenderMarkdown("# Title\n\nHello *world* and **bold** `code`\n"),
            "<h3>Title</h3>\n<p>Hello <em>world</em> and <strong>bold</strong> <code>code</code></p>\n");
  EXPECT_EQ(RenderMarkdown("1. a\n2. b\n\n3) c\n\n- x\n\n> q\n\n---\n"),
            "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n<ol start=\"3\">\n<li>c</li>\n</ol>\n<ul>\n<li>x</li>\n</ul>\n"
            "<blockquote>\n<p>q</p>\n</blockquote>\n<hr />\n");
  EXPECT_EQ(RenderMarkdown("```c++\nint x = a < b;\n```\n"),
            "<pre><code class=\"language-c++\">int x = a &lt; b;\n</code></pre>\n");
  EXPECT_EQ(RenderMarkdown("[site](https://example.org/a?b=1&c=2 \"title\")"),
            "<p><a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">site</a></p>\n");
  EXPECT_EQ(RenderMarkdown(""), "");
}

TEST(MarkdownTest, KeepsLineBreaks) {
  EXPECT_EQ(RenderMarkdown("first line\nsecond line\n"), "<p>first line<br />\nsecond line</p>\n");
}

TEST(MarkdownTest, RendersGithubExtensions) {
  EXPECT_EQ(RenderMarkdown("| a | b |\n|:-|-:|\n| 1 | 2 |\n"),
            "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n</tr>\n</thead>\n"
            "<tbody>\n<tr>\n<td align=\"left\">1</td>\n<td align=\"right\">2</td>\n</tr>\n</tbody>\n</table>\n");
  EXPECT_EQ(RenderMarkdown("~~gone~~ www.example.org and list@example.org"),
            "<p><del>gone</del> <a href=\"http://www.example.org\" rel=\"nofollow ugc noopener\">www.example.org</a>"
            " and <a href=\"mailto:list@example.org\" rel=\"nofollow ugc noopener\">list@example.org</a></p>\n");
  EXPECT_EQ(RenderMarkdown("https://example.org/x"),
            "<p><a href=\"https://example.org/x\" rel=\"nofollow ugc noopener\">https://example.org/x</a></p>\n");
}

TEST(MarkdownTest, LeavesOutRawHtml) {
  EXPECT_EQ(RenderMarkdown("<script>alert(1)</script>"), "\n");
  EXPECT_EQ(RenderMarkdown("a <img src=x onerror=alert(1)> b"), "<p>a  b</p>\n");
  EXPECT_EQ(RenderMarkdown("<div onclick=\"x\">block</div>\n\ntext"), "\n<p>text</p>\n");
  EXPECT_EQ(RenderMarkdown("<svg><script>alert(1)</script></svg>"), "<p>alert(1)</p>\n");
  EXPECT_EQ(RenderMarkdown("x <a href=\"jav&#x09;ascript:alert(1)\">y</a> z"), "<p>x y z</p>\n");
  EXPECT_EQ(RenderMarkdown("<style>p{}</style>\n\n<iframe src=https://x>"), "\n\n");
  EXPECT_EQ(RenderMarkdown("a <!-- <script> --> b"), "<p>a  b</p>\n");
  EXPECT_EQ(RenderMarkdown("`<script>`"), "<p><code>&lt;script&gt;</code></p>\n");
}

TEST(MarkdownTest, DropsDangerousLinks) {
  const char* sources[] = {
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x](jav&#x09;ascript:alert(1))",
      "[x](&#106;avascript:alert(1))",
      "[x](javascript&colon;alert(1))",
      "[x]( javascript:alert(1) )",
      "[x](<javascript:alert(1)>)",
      "[x](vbscript:msgbox(1))",
      "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "[x](file:///etc/passwd)",
      "[x](//evil.example/)",
      "[x](/relative)",
      "[x][r]\n\n[r]: javascript:alert(1)",
      "![x](javascript:alert(1))",
      "![x](https://tracker.example/pixel.gif)",
      "[![x](https://tracker.example/p.gif)](javascript:alert(1))",
  };
  for (const char* source : sources) EXPECT_EQ(RenderMarkdown(source), "<p>x</p>\n") << source;
  EXPECT_EQ(RenderMarkdown("<javascript:alert(1)>"), "<p>javascript:alert(1)</p>\n");
  EXPECT_EQ(RenderMarkdown("[<img src=x onerror=alert(1)>](https://example.org)"),
            "<p><a href=\"https://example.org\" rel=\"nofollow ugc noopener\"></a></p>\n");
}

TEST(MarkdownTest, EscapesText) {
  EXPECT_EQ(RenderMarkdown("a < b & c > \"d\""), "<p>a &lt; b &amp; c &gt; &quot;d&quot;</p>\n");
  EXPECT_EQ(RenderMarkdown("&lt;script&gt; &amp;"), "<p>&lt;script&gt; &amp;</p>\n");
  EXPECT_EQ(RenderMarkdown("bad \xff byte"), "<p>bad \xef\xbf\xbd byte</p>\n");
  EXPECT_EQ(RenderMarkdown(std::string("nul\0byte", 8)), "<p>nul\xef\xbf\xbd" "byte</p>\n");
}

TEST(MarkdownTest, DeepNestingIsBoundedAndFast) {
  const std::vector<std::string> sources = {
      Repeat(">", 10000) + " deep",
      Repeat("[", 10000) + "deep",
      Repeat("> ", 32000) + "deep",
      Repeat(">", 65000) + "deep",
      Repeat("- ", 32000) + "deep",
      Repeat("> - ", 16000) + "deep",
      Repeat("1. ", 20000) + "deep",
      Repeat("*", 30000) + "deep" + Repeat("*", 30000),
      Repeat("*a _b ", 5000) + "deep" + Repeat("_ c*", 5000),
      Repeat("[a](", 15000) + "u) deep" + Repeat(")", 15000),
      Repeat("[", 20000) + "deep" + Repeat("](u)", 10000),
      Repeat("a@", 30000) + "deep",
      Repeat("www.", 15000) + "deep",
      "x " + Repeat("~", 30000) + "deep" + Repeat("~", 30000),
      Repeat("<a ", 20000) + "deep",
      Repeat("`", 5000) + Repeat("deep`", 10000),
  };
  for (const std::string& source : sources) {
    std::string html;
    double seconds = SecondsToRender(source, &html);
    EXPECT_LT(seconds, 2.0) << source.substr(0, 20);
    EXPECT_NE(html.find("deep"), std::string::npos) << source.substr(0, 20);
    EXPECT_LE(Count(html, "<blockquote>"), kMaxSanitizeDepth) << source.substr(0, 20);
    EXPECT_LE(Count(html, "<ul>") + Count(html, "<ol>"), kMaxSanitizeDepth) << source.substr(0, 20);
  }
}

TEST(MarkdownTest, HugeTablesRenderWithoutTheTableExtension) {
  // Every row has one cell of 1,000 columns: the table extension would make 3 million.
  std::string source = "|" + Repeat("a|", 1000) + "\n|" + Repeat("-|", 1000) + "\n" + Repeat("x\n", 3000);
  std::string html;
  EXPECT_LT(SecondsToRender(source, &html), 2.0);
  EXPECT_EQ(html.find("<table>"), std::string::npos);
  EXPECT_LT(html.size(), 3 * source.size());

  source = "|" + Repeat("a|", 100) + "\n|" + Repeat("-|", 100) + "\n" + Repeat("x\n", 30000);
  EXPECT_LT(SecondsToRender(source, &html), 2.0);
  EXPECT_EQ(html.find("<table>"), std::string::npos);

  source = "> |" + Repeat("a|", 2000) + "\n> |" + Repeat("-|", 2000) + "\n" + Repeat("> |\n", 5000);
  EXPECT_LT(SecondsToRender(source, &html), 2.0);
  EXPECT_EQ(html.find("<table>"), std::string::npos);

  // A large but reasonable table stays a table.
  source = "| a | b | c | d |\n|---|---|---|---|\n" + Repeat("| 1 | 2 | 3 | 4 |\n", 1000);
  html = RenderMarkdown(source);
  EXPECT_EQ(Count(html, "<table>"), 1u);
  EXPECT_EQ(Count(html, "<td>"), 4000u);
}

TEST(MarkdownTest, RendersOnlyTheFirst64KiB) {
  std::string source = Repeat("word ", kMaxMarkdownBytes / 5) + "\xc3\xa9" + Repeat(" tail", 1000);
  std::string html = RenderMarkdown(source);
  EXPECT_EQ(html.find("tail"), std::string::npos);
  EXPECT_EQ(html.find("\xef\xbf\xbd"), std::string::npos);  // not cut inside the é
  EXPECT_NE(html.find("word"), std::string::npos);
}

TEST(MarkdownTest, RendersConcurrently) {
  const std::string source = "~~struck~~ **bold** www.example.org\n\n| a |\n|---|\n| b |\n";
  const std::string expected = RenderMarkdown(source);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        if (RenderMarkdown(source) != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
  EXPECT_NE(expected.find("<del>struck</del>"), std::string::npos);
}

TEST(QuoteForReplyTest, QuotesEachLine) {
  EXPECT_EQ(QuoteForReply("Alice", "line one\nline two\n\nnext paragraph\n"),
            "Alice wrote:\n> line one\n> line two\n>\n> next paragraph\n\n");
  EXPECT_EQ(QuoteForReply("Bob", "\r\n\r\nwindows\r\nlines   \r\n\r\n\r\n"), "Bob wrote:\n> windows\n> lines\n\n");
  EXPECT_EQ(QuoteForReply("Carol", "> earlier\nreply"), "Carol wrote:\n> > earlier\n> reply\n\n");
  EXPECT_EQ(QuoteForReply("", "text"), "> text\n\n");
  EXPECT_EQ(QuoteForReply("Dan", " \n\n"), "");
}

TEST(QuoteForReplyTest, LeavesOutTheSignature) {
  EXPECT_EQ(QuoteForReply("Eve", "body\n\n-- \nEve Example\nhttps://eve.example\n"), "Eve wrote:\n> body\n\n");
  EXPECT_EQ(QuoteForReply("Eve", "a\n--\nb"), "Eve wrote:\n> a\n> --\n> b\n\n");  // not a signature
}

TEST(QuoteForReplyTest, EscapesTheAuthor) {
  std::string quote = QuoteForReply("*Mallory* [x](https://evil.example) <b>&amp; www.spam.example", "hi");
  EXPECT_EQ(quote, "\\*Mallory\\* \\[x\\](https\\://evil.example) \\<b\\>\\&amp; www\\.spam.example wrote:\n"
                   "> hi\n\n");
  EXPECT_EQ(RenderMarkdown(quote),
            "<p>*Mallory* [x](https://evil.example) &lt;b&gt;&amp;amp; www.spam.example wrote:</p>\n<blockquote>\n"
            "<p>hi</p>\n</blockquote>\n");
  EXPECT_EQ(QuoteForReply("# Heading\nnext", "hi"), "\\# Heading next wrote:\n> hi\n\n");
  EXPECT_EQ(QuoteForReply("1. List", "hi"), "1\\. List wrote:\n> hi\n\n");
  EXPECT_EQ(QuoteForReply(std::string(300, 'a'), "hi").find(std::string(201, 'a')), std::string::npos);
}

TEST(QuoteForReplyTest, LimitsTheQuote) {
  std::string many;
  for (int i = 0; i < 500; ++i) many += "line " + std::to_string(i) + "\n";
  std::string quote = QuoteForReply("A", many);
  EXPECT_EQ(Count(quote, "\n> line "), kMaxQuoteLines);
  EXPECT_NE(quote.find("> line 99\n> [...]\n\n"), std::string::npos);

  std::string long_line(100000, 'x');
  quote = QuoteForReply("A", "short\n" + long_line + "\nafter");
  EXPECT_LE(quote.size(), kMaxQuoteBytes + 100);
  EXPECT_NE(quote.find("> short\n> xxx"), std::string::npos);
  EXPECT_NE(quote.find("x\n> [...]\n\n"), std::string::npos);
  EXPECT_EQ(quote.find("after"), std::string::npos);

  // Cut at a character boundary.
  std::string accents;
  for (int i = 0; i < 10000; ++i) accents += "\xc3\xa9";
  quote = QuoteForReply("A", accents);
  EXPECT_EQ(quote.find("\xef\xbf\xbd"), std::string::npos);
  EXPECT_EQ(RenderMarkdown(quote).find("\xef\xbf\xbd"), std::string::npos);
}

TEST(QuoteForReplyTest, RendersAsABlockquote) {
  EXPECT_EQ(RenderMarkdown(QuoteForReply("Alice", "first\nsecond") + "My answer."),
            "<p>Alice wrote:</p>\n<blockquote>\n<p>first<br />\nsecond</p>\n</blockquote>\n<p>My answer.</p>\n");
}

}  // namespace
}  // namespace rt
