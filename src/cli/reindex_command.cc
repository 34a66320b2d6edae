// roundtable reindex: the search index built again from the stored messages.

#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "cli/open_store.h"

namespace rt {

int RunReindex(const ReindexArgs& args) {
  std::unique_ptr<Store> store = OpenStoreOrReport(args.db, true);
  if (!store) return kExitDatabase;
  auto start = std::chrono::steady_clock::now();
  Status s = store->BeginBulkImport();
  if (!s.ok()) return ReportFailure(s);
  Result<std::int64_t> indexed = store->RebuildSearchIndex([](std::int64_t done) {
    std::fprintf(stderr, "indexed %lld messages\n", static_cast<long long>(done));
  });
  // The merge settings go back whether or not the rebuild worked.
  s = store->FinishBulkImport();
  if (!indexed.ok()) return ReportFailure(indexed.status());
  if (!s.ok()) return ReportFailure(s);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("rebuilt the search index: %lld messages in %.1f s\n", static_cast<long long>(indexed.value()), seconds);
  return kExitOk;
}

}  // namespace rt
