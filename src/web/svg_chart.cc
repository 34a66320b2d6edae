#include "web/svg_chart.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace rt {
namespace {

constexpr double kMaxValue = 1e15;
// Okabe-Ito, black replaced by a grey that reads on light and dark pages.
constexpr std::string_view kPalette[8] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                          "#56B4E9", "#D55E00", "#F0E442", "#999999"};
constexpr int kAxisFont = 11;
constexpr int kLegendFont = 12;
constexpr double kTop = 10;         // room for the top tick label
constexpr double kRight = 10;
constexpr double kXLabelBand = 20;  // between the plot and the legend
constexpr double kLegendRow = 18;
constexpr double kSwatch = 10;
constexpr std::size_t kMaxXLabelChars = 20;
constexpr std::size_t kMaxLegendChars = 40;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026

// The code point at s[i], advancing i past it; -1 (advancing one byte) when malformed,
// overlong, a surrogate or beyond U+10FFFF.
std::int32_t NextCodePoint(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : b0 >= 0xF0 && b0 <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return -1;
  }
  std::int32_t cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
    ++i;
    return -1;
  }
  i += len;
  return cp;
}

bool IsXmlChar(std::int32_t cp) {
  return (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
}

// Appends `text` XML-escaped, at most `max_chars` code points (then "…"); control
// characters become spaces and malformed UTF-8 U+FFFD, so the output is always valid XML.
void AppendEscaped(std::string& out, std::string_view text, std::size_t max_chars = std::string_view::npos) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (count++ == max_chars) {
      out += kEllipsis;
      return;
    }
    std::size_t start = i;
    std::int32_t cp = NextCodePoint(text, i);
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (cp < 0) {
          out += kReplacement;
        } else if (cp < 0x20) {
          out += ' ';
        } else if (!IsXmlChar(cp)) {
          out += kReplacement;
        } else {
          out.append(text.substr(start, i - start));
        }
    }
  }
}

// A rough rendered width for layout: wide scripts (CJK and beyond U+2E80) a full em.
double EstimateWidth(std::string_view text, int font_size, std::size_t max_chars) {
  double ems = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size() && count <= max_chars; ++count) {
    std::int32_t cp = NextCodePoint(text, i);
    ems += cp >= 0x2E80 ? 1.0 : 0.6;
  }
  return ems * font_size;
}

void AppendInt(std::string& out, long long v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// A coordinate rounded to one decimal: 12.0 -> "12", 12.25 -> "12.3".
void AppendCoord(std::string& out, double v) {
  long long tenths = std::llround(v * 10);
  if (tenths < 0) {
    out += '-';
    tenths = -tenths;
  }
  AppendInt(out, tenths / 10);
  if (tenths % 10 != 0) {
    out += '.';
    out += static_cast<char>('0' + tenths % 10);
  }
}

std::string FixedTrimmed(double v, int decimals) {
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string s(buf, r.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

// About three significant digits for 0 < v < 1000.
std::string ThreeDigits(double v) {
  int decimals = v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : std::min(15, 2 - static_cast<int>(std::floor(std::log10(v))));
  return FixedTrimmed(v, decimals);
}

// The exact value for tooltips: integers in full, others to six significant digits.
std::string FormatExact(double v) {
  if (v == std::floor(v) && v < 9e15) return std::to_string(static_cast<long long>(v));
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  return std::string(buf, r.ptr);
}

double Sanitize(double v) { return std::isfinite(v) && v > 0 ? std::min(v, kMaxValue) : 0.0; }

double ValueAt(const ChartSeries& series, std::size_t i) {
  return i < series.values.size() ? Sanitize(series.values[i]) : 0.0;
}

// FNV-1a over everything drawn, so ids differ between different charts on one page.
std::string ChartId(const ChartData& data) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view bytes) {
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xFF) * 1099511628211ull;  // separator, so "ab","c" differs from "a","bc"
  };
  mix(data.title);
  mix(data.description);
  for (const std::string& label : data.labels) mix(label);
  for (const ChartSeries& series : data.series) {
    mix(series.name);
    for (double v : series.values) {
      v = Sanitize(v);
      mix(std::string_view(reinterpret_cast<const char*>(&v), sizeof v));
    }
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "chart-";
  for (int shift = 44; shift >= 0; shift -= 4) id += kHex[(h >> shift) & 0xF];
  return id;
}

void AppendOpenSvg(std::string& out, const ChartData& data, const std::string& id, int width, double height) {
  bool has_desc = !data.description.empty();
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ";
  AppendInt(out, width);
  out += ' ';
  AppendCoord(out, height);
  out += "\" role=\"img\" aria-labelledby=\"" + id + "-t";
  if (has_desc) out += ' ' + id + "-d";
  out += "\" direction=\"ltr\"><title id=\"" + id + "-t\">";
  AppendEscaped(out, data.title);
  out += "</title>";
  if (has_desc) {
    out += "<desc id=\"" + id + "-d\">";
    AppendEscaped(out, data.description);
    out += "</desc>";
  }
}

struct LegendItem {
  double x;
  int row;
};

}  // namespace

std::vector<double> ChartTicks(double max_value, bool integral) {
  // Beyond these the steps would underflow or the last tick overflow.
  if (!std::isfinite(max_value) || max_value < 1e-300) max_value = 0;
  max_value = std::min(max_value, 1e300);
  double step = 1;
  if (max_value > 0) {
    static constexpr double kMultipliers[] = {1, 2, 2.5, 5};
    int exponent = static_cast<int>(std::floor(std::log10(max_value / 4))) - 1;
    if (integral) exponent = std::max(exponent, 0);
    bool found = false;
    for (int k = exponent; !found && k < exponent + 4; ++k) {
      for (double m : kMultipliers) {
        double candidate = m * std::pow(10.0, k);
        if (integral && (candidate < 1 || candidate == 2.5)) continue;
        if (std::ceil(max_value / candidate - 1e-9) <= 4) {
          step = candidate;
          found = true;
          break;
        }
      }
    }
    if (!found) step = max_value / 4;  // not reached: 10^(exponent + 2) always fits
  }
  int intervals = max_value > 0 ? static_cast<int>(std::ceil(max_value / step - 1e-9)) : 0;
  intervals = std::max(intervals, 3);
  std::vector<double> ticks;
  for (int i = 0; i <= intervals; ++i) ticks.push_back(i * step);
  return ticks;
}

std::string FormatCompactNumber(double value) {
  if (!std::isfinite(value) || value == 0) return "0";
  if (value < 0) return "-" + FormatCompactNumber(-value);
  if (value < 1e-15) return "0";
  if (value < 1000) {
    std::string s = ThreeDigits(value);
    if (s != "1000") return s;
  }
  static constexpr std::string_view kSuffixes[] = {"k", "M", "G", "T"};
  double scale = 1000;
  for (std::size_t i = 0; i < std::size(kSuffixes); ++i, scale *= 1000) {
    bool last = i + 1 == std::size(kSuffixes);
    if (value / scale >= 1000 && !last) continue;
    std::string s = ThreeDigits(value / scale);
    if (s != "1000" || last) return s.append(kSuffixes[i]);  // 999.96k rounds up to 1M
  }
  return "0";  // not reached
}

std::string RenderStackedBarChart(const ChartData& data, const ChartOptions& options) {
  const int width = std::clamp(options.width, 120, 20000);
  const int height = std::clamp(options.height, 80, 20000);
  const std::size_t max_x_labels = static_cast<std::size_t>(std::max(1, options.max_x_labels));
  const std::string id = ChartId(data);
  const std::size_t n = data.labels.size();
  std::string out;

  if (n == 0 || data.series.empty()) {
    AppendOpenSvg(out, data, id, width, 60);
    out += "<text class=\"chart-empty\" x=\"";
    AppendCoord(out, width / 2.0);
    out += "\" y=\"34\" text-anchor=\"middle\" font-size=\"14\" fill=\"currentColor\">";
    AppendEscaped(out, options.no_data_text);
    out += "</text></svg>";
    return out;
  }

  // Values, totals and whether every value is whole (then ticks are too).
  std::vector<double> totals(n, 0.0);
  bool integral = true;
  for (const ChartSeries& series : data.series) {
    for (std::size_t i = 0; i < n; ++i) {
      double v = ValueAt(series, i);
      totals[i] += v;
      if (v != std::floor(v)) integral = false;
    }
  }
  const double max_total = *std::max_element(totals.begin(), totals.end());
  const std::vector<double> ticks = ChartTicks(max_total, integral);
  const double top_value = ticks.back();
  std::vector<std::string> tick_labels;
  double tick_label_width = 0;
  for (double t : ticks) {
    tick_labels.push_back(FormatCompactNumber(t));
    tick_label_width = std::max(tick_label_width, EstimateWidth(tick_labels.back(), kAxisFont, 16));
  }

  // Layout: the legend wraps into rows at the bottom; each extra row makes the chart taller.
  const double left = std::max(24.0, tick_label_width + 10);
  const double right = width - kRight;
  std::vector<LegendItem> legend;
  {
    double x = left;
    int row = 0;
    for (const ChartSeries& series : data.series) {
      double item_width = kSwatch + 4 + EstimateWidth(series.name, kLegendFont, kMaxLegendChars) + 16;
      if (x > left && x + item_width > right) {
        x = left;
        ++row;
      }
      legend.push_back({x, row});
      x += item_width;
    }
  }
  const int rows = legend.back().row + 1;
  const double total_height = height + (rows - 1) * kLegendRow;
  const double legend_top = total_height - rows * kLegendRow - 4;
  const double bottom = legend_top - kXLabelBand;
  const double plot_height = bottom - kTop;
  const double plot_width = right - left;
  auto y_of = [&](double v) { return bottom - v / top_value * plot_height; };

  const double slot = plot_width / static_cast<double>(n);
  const double bar_width = slot >= 4 ? slot * 0.75 : slot;
  // Each bar's x and width in tenths, so stacked segments share exact edges.
  std::vector<long long> bar_x(n), bar_w(n);
  for (std::size_t i = 0; i < n; ++i) {
    double x0 = left + i * slot + (slot - bar_width) / 2;
    bar_x[i] = std::llround(x0 * 10);
    bar_w[i] = std::max(1LL, std::llround((x0 + bar_width) * 10) - bar_x[i]);
  }

  out.reserve(512 + n * 24 + data.series.size() * n * 48);
  AppendOpenSvg(out, data, id, width, total_height);

  // Grid lines, then tick labels.
  out += "<path class=\"chart-grid\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.15\" d=\"";
  for (std::size_t t = 1; t < ticks.size(); ++t) {
    out += 'M';
    AppendCoord(out, left);
    out += ' ';
    AppendCoord(out, y_of(ticks[t]));
    out += 'H';
    AppendCoord(out, right);
  }
  out += "\"/><g class=\"chart-y\" font-size=\"";
  AppendInt(out, kAxisFont);
  out += "\" fill=\"currentColor\" text-anchor=\"end\">";
  for (std::size_t t = 0; t < ticks.size(); ++t) {
    out += "<text x=\"";
    AppendCoord(out, left - 5);
    out += "\" y=\"";
    AppendCoord(out, y_of(ticks[t]) + 4);
    out += "\">" + tick_labels[t] + "</text>";
  }
  out += "</g>";

  // Bars: one group per series, so the class and default fill are written once.
  std::vector<double> base(n, 0.0);
  for (std::size_t s = 0; s < data.series.size(); ++s) {
    const ChartSeries& series = data.series[s];
    bool open = false;
    for (std::size_t i = 0; i < n; ++i) {
      double v = ValueAt(series, i);
      if (v == 0) continue;
      long long y_low = std::llround(y_of(base[i]) * 10);
      base[i] += v;
      long long y_high = std::llround(y_of(base[i]) * 10);
      if (y_low <= y_high) continue;  // too small to draw
      if (!open) {
        out += "<g class=\"series-";
        AppendInt(out, static_cast<long long>(s % 8));
        out += "\" fill=\"";
        out += kPalette[s % 8];
        out += "\">";
        open = true;
      }
      out += "<rect x=\"";
      AppendCoord(out, bar_x[i] / 10.0);
      out += "\" y=\"";
      AppendCoord(out, y_high / 10.0);
      out += "\" width=\"";
      AppendCoord(out, bar_w[i] / 10.0);
      out += "\" height=\"";
      AppendCoord(out, (y_low - y_high) / 10.0);
      out += "\"><title>";
      AppendEscaped(out, data.labels[i]);
      out += " \xE2\x80\x94 ";  // em dash
      AppendEscaped(out, series.name);
      out += ": " + FormatExact(v) + "</title></rect>";
    }
    if (open) out += "</g>";
  }
  out += "<path class=\"chart-axis\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.6\" d=\"M";
  AppendCoord(out, left);
  out += ' ';
  AppendCoord(out, bottom);
  out += 'H';
  AppendCoord(out, right);
  out += "\"/>";

  // X labels: every stride-th, the stride wide enough that labels neither exceed
  // max_x_labels nor overlap.
  double label_width = 0;
  for (const std::string& label : data.labels) {
    label_width = std::max(label_width, EstimateWidth(label, kAxisFont, kMaxXLabelChars));
  }
  std::size_t stride = (n + max_x_labels - 1) / max_x_labels;
  stride = std::max(stride, static_cast<std::size_t>(std::ceil((label_width + 6) / slot)));
  stride = std::clamp<std::size_t>(stride, 1, n);
  out += "<g class=\"chart-x\" font-size=\"";
  AppendInt(out, kAxisFont);
  out += "\" fill=\"currentColor\" text-anchor=\"middle\">";
  for (std::size_t i = 0; i < n; i += stride) {
    double half = EstimateWidth(data.labels[i], kAxisFont, kMaxXLabelChars) / 2;
    double center = std::clamp(left + (i + 0.5) * slot, half, std::max(half, width - half));
    out += "<text x=\"";
    AppendCoord(out, center);
    out += "\" y=\"";
    AppendCoord(out, bottom + 14);
    out += "\">";
    AppendEscaped(out, data.labels[i], kMaxXLabelChars);
    out += "</text>";
  }
  out += "</g>";

  // Legend: a swatch and the name of each series.
  out += "<g class=\"chart-legend\" font-size=\"";
  AppendInt(out, kLegendFont);
  out += "\" fill=\"currentColor\">";
  for (std::size_t s = 0; s < data.series.size(); ++s) {
    double row_top = legend_top + legend[s].row * kLegendRow;
    out += "<rect class=\"series-";
    AppendInt(out, static_cast<long long>(s % 8));
    out += "\" fill=\"";
    out += kPalette[s % 8];
    out += "\" x=\"";
    AppendCoord(out, legend[s].x);
    out += "\" y=\"";
    AppendCoord(out, row_top + 4);
    out += "\" width=\"10\" height=\"10\"/><text x=\"";
    AppendCoord(out, legend[s].x + kSwatch + 4);
    out += "\" y=\"";
    AppendCoord(out, row_top + 13);
    out += "\">";
    AppendEscaped(out, data.series[s].name, kMaxLegendChars);
    out += "</text>";
  }
  out += "</g></svg>";
  return out;
}

}  // namespace rt
