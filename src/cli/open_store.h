#pragma once
// Opening the database for a command, with the error a user can act on.

#include <memory>
#include <string>

#include "store/store.h"

namespace rt {

/// Opens the store or prints why it could not be opened to stderr and returns nullptr.
/// With `must_exist` (commands that only read), a missing database is an error rather
/// than a new empty one created by a typo in --db.
std::unique_ptr<Store> OpenStoreOrReport(const std::string& db, bool must_exist);

/// Database when `db` names a SQLite file that does not exist (a PostgreSQL database is
/// found, or not, by connecting to it).
Status CheckDatabaseExists(const std::string& db);

/// Prints "roundtable: <message>" to stderr and returns the exit code for the status.
int ReportFailure(const Status& status);

}  // namespace rt
