#include <cerrno>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "export/exporter.h"

namespace rt {

namespace {

// A typo in --forum or --list must not pass for an empty export.
Status CheckFilter(Store& store, const ExportFilter& filter) {
  if (!filter.forum.empty()) {
    if (Result<ForumInfo> forum = store.Forum(filter.forum); !forum.ok()) return forum.status();
  }
  if (filter.list.empty()) return Status::Ok();
  Result<std::vector<ForumInfo>> forums = store.Forums();
  if (!forums.ok()) return forums.status();
  for (const ForumInfo& f : forums.value()) {
    if (!filter.forum.empty() && f.slug != filter.forum) continue;
    Result<std::vector<ListInfo>> lists = store.Lists(f.slug);
    if (!lists.ok()) return lists.status();
    for (const ListInfo& l : lists.value())
      if (l.name == filter.list) return Status::Ok();
  }
  return Status::NotFound("there is no list \"" + filter.list + "\"" +
                          (filter.forum.empty() ? std::string() : " in forum \"" + filter.forum + "\""));
}

}  // namespace

int RunExport(const ExportArgs& args) {
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, true);
  if (!store) return kExitDatabase;
  ExportFilter filter{args.forum, args.list};
  if (Status s = CheckFilter(*store, filter); !s.ok()) return ReportFailure(s);
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (args.out != "-") {
    file.open(args.out, std::ios::binary | std::ios::trunc);
    if (!file) return ReportFailure(Status::IoError(args.out + ": cannot create the export file"));
    out = &file;
  }
  Result<std::uint64_t> count =
      args.format == "mbox" ? ExportMbox(*store, filter, *out) : ExportJsonl(*store, filter, *out);
  // The reader of standard output stopped reading ("| head"): nothing went wrong here.
  if (!count.ok() && args.out == "-" && errno == EPIPE) return kExitOk;
  if (!count.ok()) return ReportFailure(count.status());
  out->flush();
  if (!*out) return ReportFailure(Status::IoError(args.out + ": writing failed"));
  std::cerr << "exported " << count.value() << " messages\n";
  return kExitOk;
}

}  // namespace rt
