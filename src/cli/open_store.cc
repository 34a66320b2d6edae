#include "cli/open_store.h"

#include <cstdio>
#include <filesystem>

#include "cli/commands.h"

namespace rt {

Status CheckDatabaseExists(const std::string& db) {
  std::error_code ec;
  if (IsPostgresUrl(db) || std::filesystem::exists(DescribeDatabaseLocation(db), ec)) return Status::Ok();
  return Status::Database("no database at " + DescribeDatabaseLocation(db) + " (import an archive first, or check --db)");
}

std::unique_ptr<Store> OpenStoreOrReport(const std::string& db, bool must_exist) {
  if (Status exists = CheckDatabaseExists(db); must_exist && !exists.ok()) {
    ReportFailure(exists);
    return nullptr;
  }
  Result<std::unique_ptr<Store>> store = Store::Open(db);
  if (!store.ok()) {
    ReportFailure(store.status());
    return nullptr;
  }
  return std::move(store.value());
}

int ReportFailure(const Status& status) {
  std::fprintf(stderr, "roundtable: %s\n", status.message().c_str());
  switch (status.code()) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kInvalidArgument: return kExitUsage;
    case Status::Code::kNotFound: return kExitNotFound;
    case Status::Code::kBadFormat:
    case Status::Code::kIoError: return kExitInput;
    case Status::Code::kDatabase:
    case Status::Code::kBusy: return kExitDatabase;
    case Status::Code::kInternal: return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace rt
