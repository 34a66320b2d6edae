#include "cli/open_store.h"

#include <cstdio>
#include <filesystem>

#include "cli/commands.h"

namespace rt {

std::unique_ptr<Store> OpenStoreOrReport(const std::string& db, bool must_exist) {
  std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
  std::error_code ec;
  if (must_exist && !IsPostgresUrl(db) && !std::filesystem::exists(path, ec)) {
    ReportFailure(Status::Database("no database at " + path + " (import an archive first, or check --db)"));
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
