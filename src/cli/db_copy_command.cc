// roundtable db copy: moves the database to another backend and proves the copy.

#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "store/db_copy.h"
#include "store/store.h"

namespace rt {

int RunDbCopy(const DbCopyArgs& args) {
  if (Status exists = CheckDatabaseExists(args.from); !exists.ok()) return ReportFailure(exists);
  bool terminal = isatty(fileno(stderr));
  Result<std::vector<TableCopy>> copied =
      CopyDatabase(args.from, args.to, [&](std::string_view table, std::int64_t rows) {
        if (terminal)
          std::fprintf(stderr, "\r%-24.*s %12lld rows", static_cast<int>(table.size()), table.data(),
                       static_cast<long long>(rows));
      });
  if (terminal) std::fprintf(stderr, "\r%50s\r", "");
  if (!copied.ok()) return ReportFailure(copied.status());
  std::int64_t rows = 0;
  for (const TableCopy& t : copied.value()) {
    std::printf("%-24s %12lld rows  checksum %016llx  same on both sides\n", t.table.c_str(),
                static_cast<long long>(t.rows), static_cast<unsigned long long>(t.checksum));
    rows += t.rows;
  }
  std::printf("copied %s to %s: %zu tables, %lld rows, verified\n", DescribeDatabaseLocation(args.from).c_str(),
              DescribeDatabaseLocation(args.to).c_str(), copied.value().size(), static_cast<long long>(rows));
  return kExitOk;
}

}  // namespace rt
