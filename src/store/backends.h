#pragma once
// The backends Store::Open chooses between (store_open.cc).

#include <memory>
#include <string>

#include "store/store.h"

namespace rt {

/// A SQLite file, created when missing.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options);
/// A PostgreSQL database named by a libpq URL (postgresql://...).
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const StoreOptions& options);

}  // namespace rt
