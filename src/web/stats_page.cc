// Statistics of a forum: messages per month by list and by stakeholder group, as SVG
// charts drawn on the server with the same numbers in a table, and the busiest threads.

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "web/pages.h"
#include "web/svg_chart.h"

namespace rt {

namespace {

// Only the busiest series get their own colour; the rest are summed as "Other".
constexpr std::size_t kMaxSeries = 7;

struct Table {
  std::vector<std::string> months;
  std::vector<std::string> keys;
  std::map<std::pair<std::string, std::string>, std::int64_t> counts;
};

Table MakeTable(const std::vector<MonthlyCount>& rows, const std::string& other) {
  std::map<std::string, std::int64_t> totals;
  std::set<std::string> months;
  for (const MonthlyCount& r : rows) {
    totals[r.key] += r.messages;
    months.insert(r.month);
  }
  std::vector<std::pair<std::int64_t, std::string>> by_size;
  for (const auto& [key, total] : totals) by_size.emplace_back(-total, key);
  std::sort(by_size.begin(), by_size.end());
  Table table;
  std::set<std::string> kept;
  for (std::size_t i = 0; i < by_size.size() && i < kMaxSeries; ++i) kept.insert(by_size[i].second);
  for (const auto& [neg, key] : by_size)
    if (kept.count(key)) table.keys.push_back(key);
  if (kept.size() < by_size.size()) table.keys.push_back(other);
  // Every month from the first to the last, so quiet months show as gaps.
  if (!months.empty()) {
    int year = std::stoi(months.begin()->substr(0, 4)), month = std::stoi(months.begin()->substr(5, 2));
    const std::string& last = *months.rbegin();
    for (std::string m = *months.begin(); m <= last && table.months.size() < 12 * 200;) {
      table.months.push_back(m);
      if (++month > 12) month = 1, ++year;
      m = fmt::format("{:04}-{:02}", year, month);
    }
  }
  for (const MonthlyCount& r : rows) table.counts[{r.month, kept.count(r.key) ? r.key : other}] += r.messages;
  return table;
}

void AddChart(const PageContext& ctx, PageDictionary* page, const std::string& heading, const Table& table,
              const std::function<std::string(const std::string&)>& key_name) {
  ChartData chart;
  chart.title = heading;
  chart.description = heading;
  chart.labels = table.months;
  for (const std::string& key : table.keys) {
    ChartSeries series{key_name(key), {}};
    for (const std::string& month : table.months) {
      auto it = table.counts.find({month, key});
      series.values.push_back(it == table.counts.end() ? 0 : static_cast<double>(it->second));
    }
    chart.series.push_back(std::move(series));
  }
  ChartOptions options;
  options.no_data_text = ctx.T("No data");
  ctemplate::TemplateDictionary* section = page->dict.AddSectionDictionary("CHART");
  section->SetValue("HEADING", heading);
  section->SetValue("SVG", RenderStackedBarChart(chart, options));  // escapes every text itself
  for (const ChartSeries& s : chart.series) section->AddSectionDictionary("COLUMN")->SetValue("NAME", s.name);
  for (std::size_t m = 0; m < table.months.size(); ++m) {
    ctemplate::TemplateDictionary* row = section->AddSectionDictionary("ROW");
    row->SetValue("MONTH", table.months[m]);
    for (const ChartSeries& s : chart.series)
      row->AddSectionDictionary("CELL")->SetIntValue("VALUE", static_cast<long>(s.values[m]));
  }
}

}  // namespace

Result<Page> StatsPage(const PageContext& ctx, const std::string& forum) {
  Result<ForumActivity> activity = ctx.store.Activity(forum, 10);
  if (!activity.ok()) return activity.status();
  std::string title = FillPlaceholder(ctx.T("Statistics: {forum}"), "{forum}", forum);
  PageDictionary page;
  StartPage(ctx, title, &page);
  page.CrumbsTo(ctx, forum);
  page.dict.SetValue("TITLE_TEXT", title);
  std::string other = ctx.T("Other");
  AddChart(ctx, &page, ctx.T("Messages per month, by list"), MakeTable(activity.value().by_list, other),
           [](const std::string& key) { return key; });
  AddChart(ctx, &page, ctx.T("Messages per month, by stakeholder group"), MakeTable(activity.value().by_group, other),
           [&](const std::string& key) { return key == other ? other : GroupName(ctx, key); });
  for (const ThreadInfo& t : activity.value().top_threads) {
    ctemplate::TemplateDictionary* row = page.dict.AddSectionDictionary("TOP");
    row->SetValue("URL", ThreadUrl(t.id));
    row->SetValue("SUBJECT", SubjectOrPlaceholder(ctx, t.subject));
    row->SetValue("LIST", t.list);
    row->SetValue("MESSAGES", ctx.TN("{n} message", "{n} messages", t.messages));
  }
  return RenderPage(ctx, "stats.tpl", page);
}

}  // namespace rt
