#include "web/html_sanitizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace rt {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out.append(s);
  return out;
}

std::string LowerCopy(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Checks that every tag in `html` (the sanitizer's own output, so simple tags only) is
// closed in order, and returns the deepest nesting; -1 when unbalanced.
int BalancedDepth(const std::string& html) {
  std::vector<std::string> open;
  int deepest = 0;
  for (std::size_t pos = html.find('<'); pos != std::string::npos; pos = html.find('<', pos + 1)) {
    std::size_t end = html.find('>', pos);
    if (end == std::string::npos) return -1;
    std::string tag = html.substr(pos + 1, end - pos - 1);
    if (!tag.empty() && tag.back() == '/') continue;  // <br />
    bool closing = !tag.empty() && tag[0] == '/';
    std::string name = tag.substr(closing ? 1 : 0, tag.find(' ') == std::string::npos ? std::string::npos
                                                                                      : tag.find(' ') - (closing ? 1 : 0));
    if (closing) {
      if (open.empty() || open.back() != name) return -1;
      open.pop_back();
    } else {
      open.push_back(name);
      deepest = std::max(deepest, static_cast<int>(open.size()));
    }
  }
  return open.empty() ? deepest : -1;
}

TEST(HtmlSanitizerTest, KeepsAllowedMarkup) {
  EXPECT_EQ(SanitizeHtml("<p>Hello <strong>bold</strong>, <em>em</em>, <code>x</code></p>"),
            "<p>Hello <strong>bold</strong>, <em>em</em>, <code>x</code></p>");
  EXPECT_EQ(SanitizeHtml("<blockquote><p>q</p></blockquote><ul><li>a</li></ul><ol><li>b</li></ol>"),
            "<blockquote><p>q</p></blockquote><ul><li>a</li></ul><ol><li>b</li></ol>");
  EXPECT_EQ(SanitizeHtml("<p>a<br>b<br/>c</p><hr>"), "<p>a<br />b<br />c</p><hr />");
  EXPECT_EQ(SanitizeHtml("<dl><dt>t</dt><dd>d</dd></dl><p><del>x</del><ins>y</ins><sub>1</sub><sup>2</sup>"
                         "<s>s</s><u>u</u><b>b</b><i>i</i></p>"),
            "<dl><dt>t</dt><dd>d</dd></dl><p><del>x</del><ins>y</ins><sub>1</sub><sup>2</sup>"
            "<s>s</s><u>u</u><b>b</b><i>i</i></p>");
}

TEST(HtmlSanitizerTest, DemotesHeadings) {
  EXPECT_EQ(SanitizeHtml("<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h6>e</h6>"),
            "<h3>a</h3><h4>b</h4><h5>c</h5><h6>d</h6><h6>e</h6>");
}

TEST(HtmlSanitizerTest, EscapesText) {
  EXPECT_EQ(SanitizeHtml("a < b & c > d \"q\" 'x'"), "a &lt; b &amp; c &gt; d &quot;q&quot; &#39;x&#39;");
  EXPECT_EQ(SanitizeHtml("&lt;script&gt;alert(1)&lt;/script&gt;"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(SanitizeHtml("1 <2 and 3< 4 <> </>"), "1 &lt;2 and 3&lt; 4 &lt;&gt; ");
  EXPECT_EQ(SanitizeHtml("bad \xff byte"), "bad \xef\xbf\xbd byte");
}

TEST(HtmlSanitizerTest, DropsScriptsAndTheirContent) {
  EXPECT_EQ(SanitizeHtml("<p>a<script>alert(1)</script>b</p>"), "<p>ab</p>");
  EXPECT_EQ(SanitizeHtml("<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>x"), "x");
  EXPECT_EQ(SanitizeHtml("<script>document.write('</p>')</script>x"), "x");
  EXPECT_EQ(SanitizeHtml("<style>body{}</style><iframe src=javascript:alert(1)></iframe>"
                         "<object data=x><p>fallback</p></object><embed src=x><template><p>t</p></template>"
                         "<noscript><p>n</p></noscript><textarea>t</textarea><select><option>o</option></select>"
                         "<title>t</title>ok"),
            "ok");
  // Unclosed: everything after is the script's.
  EXPECT_EQ(SanitizeHtml("x<script>alert(1)<p>y</p>"), "x");
}

TEST(HtmlSanitizerTest, DropsSvgAndMath) {
  EXPECT_EQ(SanitizeHtml("<svg><script>alert(1)</script></svg>x"), "x");
  EXPECT_EQ(SanitizeHtml("<svg/onload=alert(1)>x"), "");  // x is inside the <svg>
  EXPECT_EQ(SanitizeHtml("<svg/>x<math/>y"), "xy");
  EXPECT_EQ(SanitizeHtml("<svg><g/onload=alert(2)//<p>"), "");
  EXPECT_EQ(SanitizeHtml("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"), "");
  EXPECT_EQ(SanitizeHtml("<svg><style><img src=x onerror=alert(1)></style></svg>y"), "y");
}

TEST(HtmlSanitizerTest, DropsImagesButKeepsAltText) {
  EXPECT_EQ(SanitizeHtml("<img src=x onerror=alert(1)>"), "");
  EXPECT_EQ(SanitizeHtml("<p><img src=\"http://tracker.example/p.gif\" alt=\"a <cat>\"> here</p>"),
            "<p>a &lt;cat&gt; here</p>");
  EXPECT_EQ(SanitizeHtml("<IMG SRC=\"javascript:alert('XSS');\">"), "");
  EXPECT_EQ(SanitizeHtml("<image src=x alt=y>"), "y");
}

TEST(HtmlSanitizerTest, KeepsSafeLinks) {
  EXPECT_EQ(SanitizeHtml("<a href=\"https://example.org/?a=1&amp;b=2\" onclick=\"x()\" title=t>x</a>"),
            "<a href=\"https://example.org/?a=1&amp;b=2\" rel=\"nofollow ugc noopener\">x</a>");
  EXPECT_EQ(SanitizeHtml("<a href='  HTTP://example.org/  ' rel=opener target=_blank>x</a>"),
            "<a href=\"HTTP://example.org/\" rel=\"nofollow ugc noopener\">x</a>");
  EXPECT_EQ(SanitizeHtml("<a href=mailto:list@example.org>mail</a>"),
            "<a href=\"mailto:list@example.org\" rel=\"nofollow ugc noopener\">mail</a>");
  EXPECT_EQ(SanitizeHtml("<a href=\"https://x.example/&quot;onmouseover=&quot;alert(1)\">x</a>"),
            "<a href=\"https://x.example/&quot;onmouseover=&quot;alert(1)\" rel=\"nofollow ugc noopener\">x</a>");
}

TEST(HtmlSanitizerTest, DropsDangerousLinks) {
  const char* payloads[] = {
      "<a href=\"javascript:alert(1)\">x</a>",
      "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
      "<a href=\" \x01javascript:alert(1)\">x</a>",
      "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
      "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
      "<a href=\"jav\tascript:alert(1)\">x</a>",
      "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
      "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>",
      "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">x</a>",
      "<a href=\"javascript&colon;alert(1)\">x</a>",
      "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
      "<a href=\"vbscript:msgbox(1)\">x</a>",
      "<a href=\"//evil.example/\">x</a>",
      "<a href=\"/relative\">x</a>",
      "<a href=\"#top\">x</a>",
      "<a href=\"\">x</a>",
      "<a>x</a>",
      "<a href=\"http\x7f://x\">x</a>",
  };
  for (const char* payload : payloads) EXPECT_EQ(SanitizeHtml(payload), "x") << payload;
}

TEST(HtmlSanitizerTest, FiltersAttributes) {
  EXPECT_EQ(SanitizeHtml("<p style=\"color:red\" onclick=\"x\" id=z class=c>t</p>"), "<p>t</p>");
  EXPECT_EQ(SanitizeHtml("<ol start=\"3\" type=a><li>x</ol>"), "<ol start=\"3\"><li>x</li></ol>");
  EXPECT_EQ(SanitizeHtml("<ol start=\"3&quot; onclick=&quot;x\"><li>x</ol>"), "<ol><li>x</li></ol>");
  EXPECT_EQ(SanitizeHtml("<ol start=-2><li>x</ol>"), "<ol start=\"-2\"><li>x</li></ol>");
  EXPECT_EQ(SanitizeHtml("<table><tr><td align=\"CENTER\" style=\"x\">a<td align=justify>b<th align=right>c</table>"),
            "<table><tbody><tr><td align=\"center\">a</td><td>b</td><th align=\"right\">c</th></tr></tbody></table>");
  EXPECT_EQ(SanitizeHtml("<pre><code class=\"language-C++\">x</code></pre>"),
            "<pre><code class=\"language-c++\">x</code></pre>");
  EXPECT_EQ(SanitizeHtml("<code class=\"language-x onmouseover\">x</code><code class=\"foo\">y</code>"
                         "<code class=\"language-\">z</code>"),
            "<code>x</code><code>y</code><code>z</code>");
}

TEST(HtmlSanitizerTest, UnwrapsOtherElements) {
  EXPECT_EQ(SanitizeHtml("<span style=\"x\">a</span><font color=red>b</font><blink>c</blink><o:p>d</o:p>"), "abcd");
  EXPECT_EQ(SanitizeHtml("<div>one</div><div>two</div>"), "\none\n\ntwo\n");
  EXPECT_EQ(SanitizeHtml("<form action=x><input name=a><button>go</button></form>"), "\ngo\n");
  EXPECT_EQ(SanitizeHtml("<xmp><b>x</b></xmp>"), "&lt;b&gt;x&lt;/b&gt;");
  EXPECT_EQ(SanitizeHtml("<plaintext><b>x"), "&lt;b&gt;x");
}

TEST(HtmlSanitizerTest, DropsCommentsAndDocumentParts) {
  EXPECT_EQ(SanitizeHtml("<p>a<!-- <script>alert(1)</script> -->b</p>"), "<p>ab</p>");
  EXPECT_EQ(SanitizeHtml("<p>a<!--->b<!-->c<!-- x --!>d</p>"), "<p>abcd</p>");
  EXPECT_EQ(SanitizeHtml("<!DOCTYPE html><html><head><title>T</title><style>p{}</style>"
                         "<meta charset=utf-8></head><body><p>Hi</p></body></html>"),
            "<p>Hi</p>");
  EXPECT_EQ(SanitizeHtml("<![CDATA[<script>x</script>]]>y"), "x]]&gt;y");
  EXPECT_EQ(SanitizeHtml("<?php echo 1 ?>z"), "z");
}

TEST(HtmlSanitizerTest, ClosesUnclosedTags) {
  EXPECT_EQ(SanitizeHtml("<p><b>bold"), "<p><b>bold</b></p>");
  EXPECT_EQ(SanitizeHtml("<ul><li>a<li>b"), "<ul><li>a</li><li>b</li></ul>");
  EXPECT_EQ(SanitizeHtml("<p>a<p>b"), "<p>a</p><p>b</p>");
  EXPECT_EQ(SanitizeHtml("<b><i>x</b>y</i>"), "<b><i>x</i></b>y");
  EXPECT_EQ(SanitizeHtml("<a href=\"https://a.example/\">x"),
            "<a href=\"https://a.example/\" rel=\"nofollow ugc noopener\">x</a>");
  // Cut off inside a tag: the rest is dropped, as a browser drops it.
  EXPECT_EQ(SanitizeHtml("<p>a</p><a href=\"https://x"), "<p>a</p>");
  EXPECT_EQ(SanitizeHtml("<p>a<img src=x onerror=alert(1) "), "<p>a</p>");
}

TEST(HtmlSanitizerTest, KeepsPreformattedNewlines) {
  EXPECT_EQ(SanitizeHtml("<pre>\n\nx\n</pre>"), "<pre>\n\nx\n</pre>");
  EXPECT_EQ(SanitizeHtml("<pre>\nx</pre>"), "<pre>x</pre>");
}

TEST(HtmlSanitizerTest, MutationPayloads) {
  // Classic sanitizer bypasses: markup that changes meaning when parsed again.
  const char* payloads[] = {
      "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
      "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
      "<math><mi><mglyph><svg><mtext><textarea><path id=\"</textarea><img onerror=alert(1) src=1>\">",
      "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
      "<a href=\"http://x\"><a href=\"javascript:alert(1)\">y</a></a>",
      "<table><td><a href=javascript:alert(1)>x",
      "<div id=\"1\"><form id=\"test\"></form><button form=\"test\" formaction=\"javascript:alert(1)\">X</button>",
      "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
      "<a href=\"jav&#x09;ascript:alert(1)\"><img src=x onerror=alert(1)></a>",
      "<body onload=alert(1)><details open ontoggle=alert(1)>",
      "<<script>alert(1);//<</script>",
      "<scr<script>ipt>alert(1)</script>",
      "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
      "<div style=\"background-image: url(javascript:alert(1))\">x</div>",
      "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
      "<base href=\"javascript:alert(1)//\">",
      "<link rel=stylesheet href=\"http://x/a.css\">",
      "<input onfocus=alert(1) autofocus>",
      "<video><source onerror=\"alert(1)\">",
      "<isindex action=javascript:alert(1) type=image>",
      "<a href=\"java&#0000;script:alert(1)\">x</a>",
      "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
      "<xmp><img src=x onerror=alert(1)></xmp>",
  };
  for (const char* payload : payloads) {
    std::string once = LowerCopy(SanitizeHtml(payload));
    // Text may mention anything, escaped; tags only what is allowed.
    for (std::size_t pos = once.find('<'); pos != std::string::npos; pos = once.find('<', pos + 1)) {
      std::string tag = once.substr(pos, once.find('>', pos) - pos);
      for (const char* bad : {"<script", "<img", "<svg", "<math", "<style", "<iframe", "<form", "<input", "<meta",
                              "<base", "<link", "<button", " on", "style=", "javascript:", " id="}) {
        EXPECT_EQ(tag.find(bad), std::string::npos) << payload << " -> " << once;
      }
    }
    EXPECT_GE(BalancedDepth(once), 0) << payload << " -> " << once;
    // What the sanitizer writes means the same when read again.
    std::string twice = LowerCopy(SanitizeHtml(once));
    EXPECT_EQ(twice, once) << payload;
  }
}

// Random soup of tricky tokens: whatever the input, only allowed tags and attributes
// come out, balanced.
TEST(HtmlSanitizerTest, RandomTagSoupGivesOnlyAllowedMarkup) {
  const std::vector<std::string> vocabulary = {
      "<p>", "</p>", "<b>", "</b>", "<i>", "</i>", "<a href=http://x>", "<a href=javascript:y>", "</a>", "<div>",
      "</div>", "<table>", "</table>", "<tr>", "<td>", "</td>", "<th align=left>", "<tbody>", "<caption>", "<ul>",
      "<li>", "</li>", "</ul>", "<ol start=2>", "<pre>", "\n", "</pre>", "<blockquote>", "</blockquote>", "<svg>",
      "</svg>", "<math>", "<script>", "</script>", "<style>", "</style>", "<!--", "-->", "<img src=x alt=A>", "text",
      " ", "&amp;", "&lt;", "<", "<br>", "<hr>", "<code class=language-c>", "</code>", "<select>", "<option>",
      "</select>", "<textarea>", "</textarea>", "<noscript>", "</noscript>", "<xmp>", "</xmp>", "<em>", "<strong>",
      "</em>", "</strong>", "<dl>", "<dt>", "<dd>", "<form>", "</form>", "<span style=x>", "</span>", "<title>",
      "<template>", "</template>", "\"", "'", ">", "<p title=\"", "<iframe>", "</iframe>", "<s>", "<u>",
      "<del>", "<sub>", "<font>", "<nobr>", "<button>", "<h1>", "</h1>", "<![CDATA[", "]]>", "<?", "</", "<!",
      "<a href=\"jav&#x09;ascript:z\">", "<img onerror=alert(1)>", "<body onload=x>", "<plaintext>"};
  const std::set<std::string> allowed = {"p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "b", "i",
                                         "u", "s", "del", "ins", "sub", "sup", "code", "pre", "blockquote", "ul",
                                         "ol", "li", "dl", "dt", "dd", "a", "table", "thead", "tbody", "tr", "th",
                                         "td", "caption"};
  std::mt19937 random(42);
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::string html;
    for (int n = random() % 40; n > 0; --n) html += vocabulary[random() % vocabulary.size()];
    std::string out = SanitizeHtml(html);
    ASSERT_GE(BalancedDepth(out), 0) << html << " -> " << out;
    for (std::size_t pos = out.find('<'); pos != std::string::npos; pos = out.find('<', pos + 1)) {
      std::string tag = out.substr(pos + 1, out.find('>', pos) - pos - 1);
      std::size_t name_begin = tag[0] == '/' ? 1 : 0;
      std::string name = tag.substr(name_begin, tag.find_first_of(" /", name_begin) - name_begin);
      ASSERT_TRUE(allowed.count(name)) << html << " -> " << out;
      std::string attributes = tag.substr(name_begin + name.size());
      if (name_begin == 1) {
        ASSERT_EQ(attributes, "") << html;
      } else if (name == "a") {
        ASSERT_EQ(attributes, " href=\"http://x\" rel=\"nofollow ugc noopener\"") << html;
      } else if (!attributes.empty() && attributes != " /") {
        ASSERT_TRUE(attributes == " start=\"2\"" || attributes == " align=\"left\"" ||
                    attributes == " class=\"language-c\"")
            << html << " -> " << out;
      }
    }
  }
}

TEST(HtmlSanitizerTest, DeepNestingStaysFastAndBounded) {
  struct Case {
    const char* name;
    std::string html;
  };
  std::vector<Case> cases = {
      {"div", Repeat("<div>", 100000) + "x"},
      {"b", Repeat("<b>", 100000) + "x"},
      {"ul li", Repeat("<ul><li>", 50000) + "x"},
      {"table", Repeat("<table><tr><td>", 30000) + "x"},
      {"blockquote", Repeat("<blockquote>\n", 60000) + "x" + Repeat("</blockquote>\n", 60000)},
      {"p b", Repeat("<p><b a=1>", 50000) + "x"},
      {"misnested", Repeat("<b><p>x</b>", 50000)},
      {"formatting reopened", Repeat("<p><b id=y>a</p>", 30000) + "<p>x"},
      {"a div", Repeat("<a href=http://x/><div>", 30000) + "x"},
      {"em strong", Repeat("<em><strong>", 50000) + "x" + Repeat("</strong></em>", 50000)},
  };
  for (const Case& c : cases) {
    auto start = std::chrono::steady_clock::now();
    std::string out = SanitizeHtml(c.html);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 5.0) << c.name;  // quadratic would be minutes
    int depth = BalancedDepth(out);
    EXPECT_GE(depth, 0) << c.name;
    EXPECT_LE(depth, static_cast<int>(kMaxSanitizeDepth) * 2) << c.name;
    EXPECT_NE(out.find('x'), std::string::npos) << c.name;
  }
}

TEST(HtmlSanitizerTest, KeepsReasonableNesting) {
  std::string html = Repeat("<blockquote>", 20) + "deep" + Repeat("</blockquote>", 20);
  EXPECT_EQ(SanitizeHtml(html), html);
}

TEST(HtmlSanitizerTest, IgnoresInputBeyondTheLimit) {
  std::string html = "<p>" + std::string(kMaxSanitizeBytes, 'a') + "</p>tail";
  std::string out = SanitizeHtml(html);
  EXPECT_EQ(out.find("tail"), std::string::npos);
  EXPECT_EQ(out.substr(0, 4), "<p>a");
  EXPECT_EQ(out.substr(out.size() - 5), "a</p>");
}

}  // namespace
}  // namespace rt
