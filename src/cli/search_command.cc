#include <boost/json.hpp>

#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "cli/terminal_text.h"
#include "mime/mail_date.h"

namespace rt {

namespace {

// The terminal shows matches in [brackets]; the snippet's HTML is for the web and JSON.
std::string PlainSnippet(std::string_view html) {
  std::string out;
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (html.substr(i, 6) == "<mark>") { out += '['; i += 5; }
    else if (html.substr(i, 7) == "</mark>") { out += ']'; i += 6; }
    else if (html.substr(i, 5) == "&amp;") { out += '&'; i += 4; }
    else if (html.substr(i, 4) == "&lt;") { out += '<'; i += 3; }
    else if (html.substr(i, 4) == "&gt;") { out += '>'; i += 3; }
    else if (html.substr(i, 6) == "&quot;") { out += '"'; i += 5; }
    else if (html.substr(i, 5) == "&#39;") { out += '\''; i += 4; }
    else out += html[i];
  }
  return out;
}

}  // namespace

int RunSearch(const SearchArgs& args) {
  Result<SearchQuery> query = ParseQuery(args.query);
  if (!query.ok()) return ReportFailure(query.status());
  if (Status limits = CheckQueryLimits(query.value(), args.query); !limits.ok()) return ReportFailure(limits);
  if (query.value().include.empty() && query.value().from.empty() && query.value().lists.empty() &&
      !query.value().after && !query.value().before)
    return ReportFailure(Status::InvalidArgument("the search is empty: give words, a phrase or a filter"));
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, true);
  if (!store) return kExitDatabase;
  Result<SearchResults> results = store->Search(query.value(), {args.limit, args.offset, false});
  if (!results.ok()) return ReportFailure(results.status());
  for (const SearchHit& h : results.value().hits) {
    if (args.json) {
      boost::json::object o;
      o["message_id"] = h.message_id;
      o["forum"] = h.forum;
      o["list"] = h.list;
      o["thread_id"] = h.thread_id;
      o["date"] = FormatIsoUtc(h.date);
      o["from_name"] = h.from_name;
      o["from_address"] = h.from_address;
      o["subject"] = h.subject;
      o["snippet"] = h.snippet;
      std::cout << boost::json::serialize(o) << '\n';
    } else {
      std::cout << FormatIsoUtc(h.date).substr(0, 10) << "  " << TerminalText(h.list) << "  "
                << TerminalText(h.from_name.empty() ? h.from_address : h.from_name) << "\n  " << TerminalText(h.subject)
                << "\n  <" << TerminalText(h.message_id) << ">\n  " << TerminalText(PlainSnippet(h.snippet)) << "\n\n";
    }
  }
  if (!args.json && results.value().hits.empty()) std::cout << "no messages match\n";
  return kExitOk;
}

}  // namespace rt
