#include <cerrno>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "export/exporter.h"

namespace rt {

int RunExport(const ExportArgs& args) {
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, true);
  if (!store) return kExitDatabase;
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (args.out != "-") {
    file.open(args.out, std::ios::binary | std::ios::trunc);
    if (!file) return ReportFailure(Status::IoError(args.out + ": cannot create the export file"));
    out = &file;
  }
  ExportFilter filter{args.forum, args.list};
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
