#pragma once
// Where a database is, as --db names it: a PostgreSQL URL or a SQLite path (IsPostgresUrl
// and DescribeDatabaseLocation, for messages, are declared in store.h).

#include <string>

namespace rt {

// A connection URL split into the URL without its password and the password, parsed
// as libpq does: postgresql://[user[:password]@][hosts][/dbname][?param=value&...],
// where a `password` parameter also counts.
struct PgUrl {
  std::string url;       ///< without the password
  std::string password;  ///< decoded; empty when none
  bool malformed = false;
};

PgUrl SplitPassword(const std::string& location);

}  // namespace rt
