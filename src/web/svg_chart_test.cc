#include "web/svg_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

// Build with -DRT_HAVE_LIBXML2 (and libxml-2.0's flags) to also parse every chart with libxml2.
#ifdef RT_HAVE_LIBXML2
#include <libxml/parser.h>
#endif

namespace rt {
namespace {

std::size_t Count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string_view::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// The contents of the first <g class="NAME" ...>...</g> (groups in the chart do not nest).
std::string Group(const std::string& svg, const std::string& name) {
  std::size_t start = svg.find("<g class=\"" + name + "\"");
  if (start == std::string::npos) return {};
  std::size_t end = svg.find("</g>", start);
  return svg.substr(start, end - start);
}

std::vector<std::string> Texts(const std::string& fragment) {
  std::vector<std::string> texts;
  std::regex re("<text[^>]*>([^<]*)</text>");
  for (std::sregex_iterator it(fragment.begin(), fragment.end(), re), end; it != end; ++it) texts.push_back((*it)[1]);
  return texts;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.';
}

// A strict little XML checker for what the chart emits: one root element, balanced and
// properly nested tags, quoted unique attributes, only the five named entities or
// numeric references, no bare '<', '>' or '&' (stricter than XML), no comments, CDATA or
// processing instructions.
bool WellFormed(std::string_view xml, std::string* error) {
  std::vector<std::string> stack;
  bool root_seen = false;
  auto fail = [&](std::string message, std::size_t pos) {
    *error = message + " at " + std::to_string(pos);
    return false;
  };
  auto entity_ok = [&](std::size_t& i) {
    std::size_t semi = xml.find(';', i);
    if (semi == std::string_view::npos) return false;
    std::string_view name = xml.substr(i + 1, semi - i - 1);
    bool ok = name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos" ||
              (name.size() > 1 && name[0] == '#' && name.find_first_not_of("0123456789", 1) == std::string_view::npos);
    i = semi + 1;
    return ok;
  };
  for (std::size_t i = 0; i < xml.size();) {
    char c = xml[i];
    if (c == '&') {
      std::size_t at = i;
      if (!entity_ok(i)) return fail("bad entity", at);
      continue;
    }
    if (c == '>') return fail("bare >", i);
    if (c != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(c))) return fail("text outside root", i);
      ++i;
      continue;
    }
    bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    std::size_t name_start = j;
    while (j < xml.size() && IsNameChar(xml[j])) ++j;
    std::string name(xml.substr(name_start, j - name_start));
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return fail("bad tag name", i);
    if (closing) {
      if (j >= xml.size() || xml[j] != '>') return fail("bad closing tag", i);
      if (stack.empty() || stack.back() != name) return fail("mismatched </" + name + ">", i);
      stack.pop_back();
      i = j + 1;
      continue;
    }
    if (stack.empty() && root_seen) return fail("second root", i);
    std::vector<std::string> attributes;
    while (true) {
      std::size_t ws = j;
      while (j < xml.size() && xml[j] == ' ') ++j;
      if (j >= xml.size()) return fail("unterminated tag", i);
      if (xml[j] == '>' || (xml[j] == '/' && j + 1 < xml.size() && xml[j + 1] == '>')) break;
      if (j == ws) return fail("no space before attribute", j);
      std::size_t a = j;
      while (j < xml.size() && IsNameChar(xml[j])) ++j;
      std::string attribute(xml.substr(a, j - a));
      if (attribute.empty() || j + 1 >= xml.size() || xml[j] != '=' || xml[j + 1] != '"') return fail("bad attribute", j);
      for (const std::string& seen : attributes)
        if (seen == attribute) return fail("duplicate attribute " + attribute, j);
      attributes.push_back(attribute);
      j += 2;
      while (j < xml.size() && xml[j] != '"') {
        if (xml[j] == '<') return fail("< in attribute", j);
        if (xml[j] == '&') {
          std::size_t at = j;
          if (!entity_ok(j)) return fail("bad entity in attribute", at);
        } else {
          ++j;
        }
      }
      if (j >= xml.size()) return fail("unterminated attribute", a);
      ++j;
    }
    root_seen = true;
    if (xml[j] == '/') {
      i = j + 2;
    } else {
      stack.push_back(name);
      i = j + 1;
    }
  }
  if (!stack.empty()) return fail("unclosed <" + stack.back() + ">", xml.size());
  if (!root_seen) return fail("no root", 0);
  return true;
}

void ExpectValidSvg(const std::string& svg) {
  std::string error;
  EXPECT_TRUE(WellFormed(svg, &error)) << error << "\n" << svg.substr(0, 2000);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(svg.find("style"), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  EXPECT_EQ(svg.find('\n'), std::string::npos);
#ifdef RT_HAVE_LIBXML2
  xmlDocPtr doc = xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "chart.svg", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  EXPECT_NE(doc, nullptr) << "libxml2 rejects: " << svg.substr(0, 2000);
  if (doc != nullptr) {
    xmlNodePtr root = xmlDocGetRootElement(doc);
    EXPECT_STREQ(reinterpret_cast<const char*>(root->name), "svg");
    xmlFreeDoc(doc);
  }
#endif
}

TEST(SvgChart, WellFormedCheckerCatchesBrokenXml) {
  std::string error;
  EXPECT_TRUE(WellFormed("<a b=\"1\" c=\"&amp;&#39;\"><d/>t &lt;</a>", &error)) << error;
  for (std::string_view bad : {"<a><b></a></b>", "<a>", "<a x=\"<\"/>", "<a x=\"1\" x=\"2\"/>", "<a>&foo;</a>",
                               "<a>&amp</a>", "<a>x > y</a>", "<a/><b/>", "<a x=1/>", "<a>1 < 2</a>", "text", ""}) {
    EXPECT_FALSE(WellFormed(bad, &error)) << bad;
  }
}

ChartData Sample() {
  ChartData data;
  data.title = "Messages per month";
  data.description = "Messages per month, by list";
  data.labels = {"2007-01", "2007-02", "2007-03"};
  data.series = {{"dev", {10, 20, 30}}, {"users", {5, 0, 1200}}};
  return data;
}

TEST(SvgChart, IsAnAccessibleScalableImage) {
  std::string svg = RenderStackedBarChart(Sample());
  ExpectValidSvg(svg);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("direction=\"ltr\""), std::string::npos);
  EXPECT_NE(svg.find("viewBox=\"0 0 720 260\""), std::string::npos) << svg;
  EXPECT_EQ(svg.find(" width=\"720\""), std::string::npos);  // sized by CSS, not attributes
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("aria-labelledby=\"([a-z0-9-]+) ([a-z0-9-]+)\"")));
  EXPECT_NE(svg.find("<title id=\"" + m[1].str() + "\">Messages per month</title>"), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"" + m[2].str() + "\">Messages per month, by list</desc>"), std::string::npos);
  // The accessible name comes first.
  EXPECT_LT(svg.find("<title"), svg.find("<rect"));
}

TEST(SvgChart, IdsDifferBetweenChartsButAreStable) {
  ChartData other = Sample();
  other.series[0].values[0] = 11;
  std::string a = RenderStackedBarChart(Sample()), b = RenderStackedBarChart(other);
  EXPECT_EQ(a, RenderStackedBarChart(Sample()));
  std::regex id_re("<title id=\"([^\"]+)\"");
  std::smatch ma, mb;
  ASSERT_TRUE(std::regex_search(a, ma, id_re));
  ASSERT_TRUE(std::regex_search(b, mb, id_re));
  EXPECT_NE(ma[1].str(), mb[1].str());
}

TEST(SvgChart, EscapesHostileText) {
  ChartData data;
  data.title = "<script>alert(1)</script>";
  data.description = "a \"quoted\" & 'single' <desc>";
  data.labels = {"<b>jan</b>", "\"feb\"", "m&r"};
  data.series = {{"<script>x</script>", {1, 2, 3}}, {"Tom & \"Jerry\" <'>", {4, 5, 6}}};
  std::string svg = RenderStackedBarChart(data);
  ExpectValidSvg(svg);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("a &quot;quoted&quot; &amp; &#39;single&#39; &lt;desc&gt;"), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;jan&lt;/b&gt; \xE2\x80\x94 Tom &amp; &quot;Jerry&quot; &lt;&#39;&gt;: 4"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find(">m&amp;r</text>"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
}

TEST(SvgChart, ReplacesControlCharactersAndMalformedUtf8) {
  ChartData data;
  data.title = "bad\x01\x1f title\xff\xc3";
  data.description = "\xed\xa0\x80 surrogate, \xef\xbf\xbe non-character, \xc0\xaf overlong";
  data.labels = {"ok \xe2\x82\xac", std::string("nul\0here", 8)};
  data.series = {{"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", {1, 2}}, {"\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a", {3, 4}}};
  std::string svg = RenderStackedBarChart(data);
  ExpectValidSvg(svg);
  EXPECT_NE(svg.find(">bad   title\xEF\xBF\xBD\xEF\xBF\xBD</title>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("ok \xe2\x82\xac"), std::string::npos);
  EXPECT_NE(svg.find("nul here"), std::string::npos);
  EXPECT_NE(svg.find("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), std::string::npos);
}

TEST(SvgChart, ColoursBySeriesClassWithOkabeItoDefaults) {
  ChartData data;
  data.title = "t";
  data.labels = {"a"};
  for (int s = 0; s < 10; ++s) data.series.push_back({"s" + std::to_string(s), {1}});
  std::string svg = RenderStackedBarChart(data);
  ExpectValidSvg(svg);
  EXPECT_NE(svg.find("<g class=\"series-0\" fill=\"#0072B2\">"), std::string::npos);
  EXPECT_NE(svg.find("<g class=\"series-7\" fill=\"#999999\">"), std::string::npos);
  EXPECT_EQ(Count(svg, "class=\"series-1\""), 4u);  // series 1 and 9: bar group + legend swatch
  EXPECT_EQ(svg.find("series-8"), std::string::npos);
  std::vector<std::string> legend = Texts(Group(svg, "chart-legend"));
  ASSERT_EQ(legend.size(), 10u);
  EXPECT_EQ(legend[9], "s9");
}

TEST(SvgChart, TooltipsShowExactValues) {
  ChartData data;
  data.labels = {"2007-01", "2007-02"};
  data.series = {{"lists", {1234, 2.5}}};
  std::string svg = RenderStackedBarChart(data);
  ExpectValidSvg(svg);
  EXPECT_NE(svg.find("<title>2007-01 \xE2\x80\x94 lists: 1234</title>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>2007-02 \xE2\x80\x94 lists: 2.5</title>"), std::string::npos) << svg;
}

TEST(SvgChart, StacksSegmentsOnEachOther) {
  ChartData data;
  data.labels = {"a"};
  data.series = {{"low", {100}}, {"high", {100}}};  // ticks 0..200, total fills the plot
  std::string svg = RenderStackedBarChart(data);
  std::regex rect_re("<rect x=\"([0-9.]+)\" y=\"([0-9.]+)\" width=\"([0-9.]+)\" height=\"([0-9.]+)\">");
  std::vector<std::smatch> rects;
  std::vector<double> ys, hs;
  for (std::sregex_iterator it(svg.begin(), svg.end(), rect_re), end; it != end; ++it) {
    ys.push_back(std::stod((*it)[2]));
    hs.push_back(std::stod((*it)[4]));
  }
  ASSERT_EQ(ys.size(), 2u);
  EXPECT_DOUBLE_EQ(ys[1] + hs[1], ys[0]);  // the upper segment ends where the lower starts
  EXPECT_NEAR(hs[0], hs[1], 0.11);
}

TEST(SvgChart, CoordinatesHaveAtMostOneDecimal) {
  ChartData data;
  data.title = "t";
  for (int i = 0; i < 37; ++i) data.labels.push_back("L" + std::to_string(i));
  data.series = {{"a", {}}, {"b", {}}};
  for (int i = 0; i < 37; ++i) {
    data.series[0].values.push_back(i * 3.3333);
    data.series[1].values.push_back(100.0 / (i + 1));
  }
  std::string svg = RenderStackedBarChart(data, {.width = 333, .height = 211});
  ExpectValidSvg(svg);
  std::regex attr_re("\\b(?:x|y|width|height|d|viewBox)=\"([^\"]*)\"");
  int checked = 0;
  for (std::sregex_iterator it(svg.begin(), svg.end(), attr_re), end; it != end; ++it, ++checked) {
    EXPECT_FALSE(std::regex_search((*it)[1].str(), std::regex("\\.[0-9]{2}"))) << (*it)[0];
    EXPECT_FALSE(std::regex_search((*it)[1].str(), std::regex("\\.0\\b"))) << (*it)[0];
  }
  EXPECT_GT(checked, 100);
}

TEST(SvgChart, EmptyDataSaysSo) {
  for (const ChartData& data : {ChartData{}, ChartData{"t", "d", {"2007-01"}, {}}, ChartData{"t", "d", {}, {{"s", {1, 2}}}}}) {
    std::string svg = RenderStackedBarChart(data);
    ExpectValidSvg(svg);
    EXPECT_NE(svg.find(">No data</text>"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("<rect"), std::string::npos);
  }
  ChartOptions options;
  options.no_data_text = "Aucune donn\xc3\xa9" "e <vide>";
  std::string svg = RenderStackedBarChart({}, options);
  ExpectValidSvg(svg);
  EXPECT_NE(svg.find(">Aucune donn\xc3\xa9" "e &lt;vide&gt;</text>"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("aria-labelledby=\"chart-"), svg.find("aria-labelledby="));
}

TEST(SvgChart, ZeroNegativeNaNAndMissingValuesCountAsZero) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  ChartData data;
  data.title = "t";
  data.labels = {"a", "b", "c", "d", "e"};
  data.series = {{"s", {nan, -5, inf, -inf}}, {"t", {0, 0, 0, 0, 0, 99, 99}}, {"u", {}}};
  std::string svg = RenderStackedBarChart(data);
  ExpectValidSvg(svg);
  EXPECT_EQ(svg.find("<rect x"), std::string::npos);  // nothing to draw but the legend
  EXPECT_EQ(Texts(Group(svg, "chart-y")), (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(Count(Group(svg, "chart-legend"), "<rect"), 3u);

  data.series[1].values = {1e300, 7};  // clipped to 1e15; the bar for "b" is too thin to draw
  svg = RenderStackedBarChart(data);
  ExpectValidSvg(svg);
  EXPECT_EQ(Texts(Group(svg, "chart-y")).back(), "1000T");
  EXPECT_EQ(Count(svg, "<rect x"), 1u);
}

TEST(SvgChart, TicksAreRound) {
  EXPECT_EQ(ChartTicks(100, true), (std::vector<double>{0, 25, 50, 75, 100}));
  EXPECT_EQ(ChartTicks(101, true), (std::vector<double>{0, 50, 100, 150}));
  EXPECT_EQ(ChartTicks(1200, true), (std::vector<double>{0, 500, 1000, 1500}));
  EXPECT_EQ(ChartTicks(7, true), (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(ChartTicks(10, true), (std::vector<double>{0, 5, 10, 15}));
  EXPECT_EQ(ChartTicks(10, false), (std::vector<double>{0, 2.5, 5, 7.5, 10}));
  EXPECT_EQ(ChartTicks(1, true), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(ChartTicks(0, true), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(ChartTicks(-4, false), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(ChartTicks(std::nan(""), false), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(ChartTicks(987654, true), (std::vector<double>{0, 250000, 500000, 750000, 1000000}));
  std::vector<double> small = ChartTicks(0.3, false);
  ASSERT_EQ(small.size(), 4u);
  EXPECT_NEAR(small.back(), 0.3, 1e-12);
  for (double max : {0.001, 0.7, 3.0, 9.0, 42.0, 999.0, 1e6 + 1, 3.7e9, 1e14, 1e300}) {
    for (bool integral : {false, true}) {
      std::vector<double> t = ChartTicks(max, integral);
      EXPECT_GE(t.size(), 4u) << max;
      EXPECT_LE(t.size(), integral && max < 3 ? 4u : 5u) << max;
      EXPECT_GE(t.back() * (1 + 1e-9), max) << max;
      EXPECT_TRUE(std::isfinite(t.back())) << max;
      if (integral) {
        EXPECT_EQ(t[1], std::floor(t[1])) << max;
      }
    }
  }
}

TEST(SvgChart, AxisLabelsAreCompact) {
  EXPECT_EQ(FormatCompactNumber(0), "0");
  EXPECT_EQ(FormatCompactNumber(950), "950");
  EXPECT_EQ(FormatCompactNumber(1000), "1k");
  EXPECT_EQ(FormatCompactNumber(1200), "1.2k");
  EXPECT_EQ(FormatCompactNumber(12500), "12.5k");
  EXPECT_EQ(FormatCompactNumber(250000), "250k");
  EXPECT_EQ(FormatCompactNumber(999999), "1M");
  EXPECT_EQ(FormatCompactNumber(2500000), "2.5M");
  EXPECT_EQ(FormatCompactNumber(7.5e9), "7.5G");
  EXPECT_EQ(FormatCompactNumber(2.5), "2.5");
  EXPECT_EQ(FormatCompactNumber(0.25), "0.25");
  EXPECT_EQ(FormatCompactNumber(0.075), "0.075");
  EXPECT_EQ(FormatCompactNumber(-1500), "-1.5k");
  EXPECT_EQ(FormatCompactNumber(std::nan("")), "0");

  ChartData data;
  data.labels = {"a", "b"};
  data.series = {{"s", {1200, 300}}};
  std::string svg = RenderStackedBarChart(data);
  EXPECT_EQ(Texts(Group(svg, "chart-y")), (std::vector<std::string>{"0", "500", "1k", "1.5k"}));
}

TEST(SvgChart, ThinsXLabels) {
  auto chart = [](int n, int max_labels) {
    ChartData data;
    data.series = {{"s", {}}};
    for (int i = 0; i < n; ++i) {
      data.labels.push_back(std::to_string(2000 + i / 12) + "-" + (i % 12 < 9 ? "0" : "") + std::to_string(i % 12 + 1));
      data.series[0].values.push_back(i % 7);
    }
    ChartOptions options;
    options.max_x_labels = max_labels;
    std::string svg = RenderStackedBarChart(data, options);
    ExpectValidSvg(svg);
    return Texts(Group(svg, "chart-x"));
  };
  EXPECT_EQ(chart(3, 12), (std::vector<std::string>{"2000-01", "2000-02", "2000-03"}));
  std::vector<std::string> labels = chart(100, 12);
  EXPECT_LE(labels.size(), 12u);
  EXPECT_GE(labels.size(), 8u);
  EXPECT_EQ(labels.front(), "2000-01");
  EXPECT_EQ(chart(100, 5).size(), 5u);
  EXPECT_EQ(chart(5000, 12).size(), 12u);
  EXPECT_EQ(chart(10, 0).size(), 1u);
  EXPECT_EQ(chart(10, -3).size(), 1u);
  // Long labels are thinned further so they do not overlap, and cut with an ellipsis.
  ChartData data;
  data.series = {{"s", {}}};
  for (int i = 0; i < 12; ++i) data.labels.push_back("a rather long label number " + std::to_string(i));
  std::vector<std::string> long_labels = Texts(Group(RenderStackedBarChart(data), "chart-x"));
  EXPECT_LE(long_labels.size(), 6u);
  EXPECT_EQ(long_labels.front(), "a rather long label \xE2\x80\xA6");
}

TEST(SvgChart, ManyLabelsStayLinear) {
  auto chart = [](int n) {
    ChartData data;
    data.title = "big";
    data.series = {{"a", {}}, {"b", {}}, {"c", {}}};
    for (int i = 0; i < n; ++i) {
      data.labels.push_back("d" + std::to_string(i));
      for (ChartSeries& s : data.series) s.values.push_back(1 + i % 5);
    }
    return RenderStackedBarChart(data);
  };
  std::string small = chart(2000), big = chart(4000);
  ExpectValidSvg(big);
  EXPECT_EQ(Count(big, "<rect x"), 4000u * 3);  // legend swatches start "<rect class"
  double ratio = static_cast<double>(big.size()) / static_cast<double>(small.size());
  EXPECT_GT(ratio, 1.8);
  EXPECT_LT(ratio, 2.2);
  EXPECT_LT(big.size(), 4000u * 3 * 110);
  EXPECT_EQ(big.find("width=\"0\""), std::string::npos);  // thin bars are still drawn
}

TEST(SvgChart, LegendWrapsAndGrowsTheChart) {
  ChartData data;
  data.labels = {"a"};
  for (int s = 0; s < 30; ++s) data.series.push_back({"mailing-list-number-" + std::to_string(s), {1}});
  std::string svg = RenderStackedBarChart(data, {.width = 360});
  ExpectValidSvg(svg);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("viewBox=\"0 0 360 ([0-9.]+)\"")));
  EXPECT_GT(std::stod(m[1]), 260 + 10 * 18);
  // Every legend entry lies inside the viewBox.
  std::regex text_re("<text x=\"([0-9.]+)\" y=\"([0-9.]+)\">mailing");
  std::string legend = Group(svg, "chart-legend");
  int entries = 0;
  for (std::sregex_iterator it(legend.begin(), legend.end(), text_re), end; it != end; ++it, ++entries) {
    EXPECT_LT(std::stod((*it)[1]), 360);
    EXPECT_LT(std::stod((*it)[2]), std::stod(m[1]));
  }
  EXPECT_EQ(entries, 30);
}

TEST(SvgChart, RandomInputsGiveValidSvg) {
  std::mt19937 rng(20240229);
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto text = [&]() {
    static constexpr std::string_view kPieces[] = {"<", ">", "&", "\"", "'", "\xff", "\xc3", "\xc3\xa9", "\xe2\x80\x94",
                                                   "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\x01", "\n", "a", "list", " "};
    std::string t;
    for (int i = pick(12); i > 0; --i) t += kPieces[pick(16)];
    if (pick(4) == 0) t.push_back('\0');
    return t;
  };
  const double kSpecial[] = {0, -1, 1, 2.5, 1e9, 1e300, -1e300, std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity(), 1e-12, 0.333};
  for (int round = 0; round < 300; ++round) {
    ChartData data{text(), text(), {}, {}};
    for (int i = pick(40); i > 0; --i) data.labels.push_back(text());
    for (int s = pick(12); s > 0; --s) {
      ChartSeries series{text(), {}};
      for (int i = pick(50); i > 0; --i) series.values.push_back(pick(3) == 0 ? kSpecial[pick(11)] : pick(5000));
      data.series.push_back(series);
    }
    ChartOptions options{pick(1000) - 50, pick(500) - 50, pick(30) - 5, text()};
    std::string svg = RenderStackedBarChart(data, options);
    SCOPED_TRACE(round);
    ExpectValidSvg(svg);
  }
}

TEST(SvgChart, ExtremeOptionsAreClamped) {
  for (ChartOptions options : {ChartOptions{0, 0, 0}, ChartOptions{-5, -5, -5}, ChartOptions{1 << 30, 1 << 30, 1 << 30}}) {
    std::string svg = RenderStackedBarChart(Sample(), options);
    ExpectValidSvg(svg);
    EXPECT_NE(svg.find("<rect x"), std::string::npos);
  }
}

}  // namespace
}  // namespace rt
