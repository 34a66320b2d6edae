// Search: the CLI's query language, with form fields for the common filters.

#include <algorithm>
#include <cctype>

#include "search/query.h"
#include "web/display.h"
#include "web/pages.h"

namespace rt {

namespace {

constexpr int kHitsPerPage = 20;
// Deep pages of a broad query cost the most and help the least.
constexpr std::int64_t kMaxPage = 50;

std::string Operator(std::string_view name, const std::string& value) {
  if (value.empty()) return "";
  bool quote = value.find_first_of(" \t") != std::string::npos;
  std::string v;
  for (char c : value)
    if (c != '"') v.push_back(c);
  return " " + std::string(name) + ":" + (quote ? "\"" + v + "\"" : v);
}

}  // namespace

// The whole query as the CLI would take it: the words plus one operator per filled field.
std::string CombinedQuery(const RequestUrl& url) {
  std::string q = url.Param("q");
  q += Operator("from", url.Param("from"));
  q += Operator("list", url.Param("list"));
  q += Operator("after", url.Param("after"));
  q += Operator("before", url.Param("before"));
  return q;
}

Result<Page> SearchResultsPage(const PageContext& ctx) {
  PageDictionary page;
  StartPage(ctx, ctx.T("Search"), &page);
  for (const char* field : {"q", "from", "list", "after", "before"}) {
    std::string upper(field);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    page.dict.SetValue(upper, ctx.url.Param(field));
  }
  std::string text = CombinedQuery(ctx.url);
  bool blank = text.find_first_not_of(" \t") == std::string::npos;
  if (!blank) {
    Result<SearchQuery> query = ParseQuery(text);
    if (query.ok())
      if (Status limits = CheckQueryLimits(query.value(), text); !limits.ok()) query = limits;
    if (!query.ok()) {
      page.dict.SetValueAndShowSection("MESSAGE", query.status().message(), "ERROR");
    } else {
      std::int64_t number = std::clamp<std::int64_t>(ctx.url.IntParam("page", 1), 1, kMaxPage);
      SearchPage paging{kHitsPerPage, static_cast<int>((number - 1) * kHitsPerPage), true};
      Result<SearchResults> results = ctx.store.Search(query.value(), paging);
      if (!results.ok()) {
        if (results.status().code() != Status::Code::kInvalidArgument) return results.status();
        page.dict.SetValueAndShowSection("MESSAGE", results.status().message(), "ERROR");
      } else {
        ctemplate::TemplateDictionary* section = page.dict.AddSectionDictionary("RESULTS");
        std::int64_t total = results.value().total;
        section->SetValue("COUNT", results.value().total_is_lower_bound
                                       ? ctx.TN("More than {n} message found", "More than {n} messages found", total)
                                       : ctx.TN("{n} message found", "{n} messages found", total));
        section->SetIntValue("START", paging.offset + 1);
        for (const SearchHit& hit : results.value().hits) {
          ctemplate::TemplateDictionary* row = section->AddSectionDictionary("HIT");
          row->SetValue("URL", ThreadUrl(hit.thread_id) + "#m" + std::to_string(hit.id));
          row->SetValue("SUBJECT", SubjectOrPlaceholder(ctx, hit.subject));
          row->SetValue("AUTHOR", AuthorName(hit.from_name, hit.from_address));
          row->SetValue("LIST", hit.list);
          row->SetValue("DATE", DisplayDate(hit.date));
          row->SetValue("DATE_ISO", IsoDate(hit.date));
          row->SetValue("SNIPPET", hit.snippet);  // escaped by the store, <mark> added
        }
        std::string base = "/search?";
        for (const auto& [key, value] : ctx.url.params)
          if (key != "page" && !value.empty()) base += EncodeQueryValue(key) + "=" + EncodeQueryValue(value) + "&";
        base += "page=";
        if (number > 1) section->AddSectionDictionary("PREV")->SetValue("URL", base + std::to_string(number - 1));
        if (number < kMaxPage && paging.offset + kHitsPerPage < total)
          section->AddSectionDictionary("NEXT")->SetValue("URL", base + std::to_string(number + 1));
      }
    }
  }
  return RenderPage(ctx, "search.tpl", page);
}

}  // namespace rt
