#pragma once
// Server-side SVG charts for the statistics pages: plain data in, one inline <svg> out.
// No scripts, no styles: colours come from class="series-N" (the site's CSS) with an
// Okabe-Ito fill as the default, so the charts pass a strict Content-Security-Policy.

#include <string>
#include <vector>

namespace rt {

/// One stacked layer: `values[i]` belongs to `ChartData::labels[i]`. Missing values
/// (a shorter vector), negative, NaN and infinite values count as 0; values beyond
/// the labels are ignored; values above 1e15 are clipped to 1e15.
struct ChartSeries {
  std::string name;
  std::vector<double> values;
};

struct ChartData {
  std::string title;                ///< accessible name (<title>), already translated
  std::string description;          ///< <desc>, e.g. "Messages per month, by list"
  std::vector<std::string> labels;  ///< x axis, one bar each, e.g. "2007-01"
  std::vector<ChartSeries> series;  ///< stacked bottom to top, in order
};

struct ChartOptions {
  int width = 720;         ///< viewBox width; CSS scales the <svg> to the page
  int height = 260;        ///< viewBox height with a one-row legend; each further row adds 18
  int max_x_labels = 12;   ///< at most this many x labels are drawn (fewer if they would overlap)
  std::string no_data_text = "No data";  ///< shown, translated, when there are no labels or series
};

/// A stacked bar chart as one inline <svg> element: role="img", aria-labelledby its
/// <title> and <desc>, direction="ltr", sized by its viewBox only; a y axis with 4 or 5
/// round ticks from 0; x labels thinned to at most `max_x_labels`; a legend of one
/// swatch and name per series; each segment a <rect> with a <title> tooltip
/// "label — series: value" (zero segments, and those under 0.1 units tall, are left
/// out). Every text from `data` is XML-escaped, control characters and malformed UTF-8
/// replaced, so the result is well-formed XML whatever the input. Without labels or
/// series the chart holds only `no_data_text`.
/// The title is not drawn: the page's heading shows it. Element ids are derived from
/// the content, so two charts on one page only share ids when they are identical.
/// Size is linear in labels × series; a pure function, safe from any thread.
std::string RenderStackedBarChart(const ChartData& data, const ChartOptions& options = {});

/// The y-axis ticks for bars reaching `max_value`: 0 and 3 or 4 equal steps of
/// 1, 2, 2.5 or 5 × 10^k, the last >= max_value. With `integral`, steps are whole
/// numbers (no 2.5 below 10). A `max_value` <= 0 or not finite gives 0, 1, 2, 3.
std::vector<double> ChartTicks(double max_value, bool integral);

/// A short number for axes and tables: 950 -> "950", 1200 -> "1.2k", 2500000 -> "2.5M",
/// 0.25 -> "0.25"; about three significant digits, k/M/G/T suffixes, no locale.
std::string FormatCompactNumber(double value);

}  // namespace rt
