#pragma once
// The schema's history, applied in order at start (see sqlite_store.cc). Each backend has
// its own files with the same names and versions, so a schema version means the same on
// both: src/store/migrations/*.sql for SQLite, src/store/migrations/postgresql/*.sql for
// PostgreSQL (the same tables and columns, so the same statements run on both).

#include <vector>

namespace rt {

struct Migration {
  int version;       ///< from the file name: 0001_archive.sql -> 1
  const char* name;  ///< the file name without extension
  const char* sql;   ///< the whole file
};

/// Every migration in src/store/migrations (SQLite), by increasing version (generated at build).
const std::vector<Migration>& Migrations();

/// Every migration in src/store/migrations/postgresql, by increasing version (generated at
/// build). Each file is several statements, with function bodies quoted in $$: run it whole
/// (one simple query), never split on ';'.
const std::vector<Migration>& PostgresMigrations();

}  // namespace rt
