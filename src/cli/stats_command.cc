#include <boost/json.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/open_store.h"

namespace rt {

namespace {

boost::json::object Counts(const std::vector<CountRow>& rows) {
  boost::json::object o;
  for (const CountRow& r : rows) o[r.key] = r.count;
  return o;
}

void PrintRows(const char* title, const std::vector<CountRow>& rows) {
  std::cout << title << ":\n";
  for (const CountRow& r : rows) std::cout << "  " << r.key << std::string(r.key.size() < 30 ? 30 - r.key.size() : 1, ' ') << r.count << '\n';
}

}  // namespace

int RunStats(const StatsArgs& args) {
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, true);
  if (!store) return kExitDatabase;
  Result<ArchiveStats> stats = store->Stats();
  if (!stats.ok()) return ReportFailure(stats.status());
  const ArchiveStats& s = stats.value();
  if (args.json) {
    boost::json::object o;
    o["messages"] = s.messages;
    o["threads"] = s.threads;
    o["people"] = s.people;
    o["quarantined"] = s.quarantined;
    o["forums"] = s.forums;
    o["lists"] = s.lists;
    o["per_list"] = Counts(s.per_list);
    o["per_year"] = Counts(s.per_year);
    o["per_stakeholder_group"] = Counts(s.per_group);
    std::cout << boost::json::serialize(o) << '\n';
    return kExitOk;
  }
  std::cout << "messages     " << s.messages << "\nthreads      " << s.threads << "\npeople       " << s.people
            << "\nquarantined  " << s.quarantined << "\nforums       " << s.forums << "\nlists        " << s.lists
            << "\n\n";
  PrintRows("per list", s.per_list);
  PrintRows("per year", s.per_year);
  PrintRows("per stakeholder group", s.per_group);
  return kExitOk;
}

}  // namespace rt
