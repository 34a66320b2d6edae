#pragma once
// The schema's history, applied in order at start (see sqlite_store.cc).

#include <vector>

namespace rt {

struct Migration {
  int version;       ///< from the file name: 0001_archive.sql -> 1
  const char* name;  ///< the file name without extension
  const char* sql;   ///< the whole file
};

/// Every migration in src/store/migrations, by increasing version (generated at build).
const std::vector<Migration>& Migrations();

}  // namespace rt
