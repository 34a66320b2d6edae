#pragma once
// Backing up a database while servers and imports keep using it.
//
// SQLite: SQLite's online backup API copies the pages of one read snapshot (WAL mode lets
// writers go on meanwhile), then the copy is checked with PRAGMA integrity_check.
// PostgreSQL: pg_dump in its custom format (restore with `pg_restore --dbname=URL DEST`).
// Either way the backup is written to DEST.tmp, synced, and renamed to DEST only when
// complete, so a crash never leaves a partial backup under DEST. An existing DEST is never
// overwritten.

#include <string>

#include "util/status.h"

namespace rt {

/// Backs up the database at `location` (as --db takes it: `postgresql://...` or
/// `postgres://...` for PostgreSQL, `sqlite:PATH` or a plain path for SQLite) into the new
/// file `destination`. Errors: InvalidArgument when DEST exists or cannot be a file,
/// NotFound when there is no database at `location`, Database when reading it (or
/// pg_dump) fails or the copy does not check out, IoError when DEST cannot be written.
/// A password in a PostgreSQL URL reaches pg_dump through its environment (PGPASSWORD),
/// never its command line, which other users of the machine can read.
Status BackupDatabase(const std::string& location, const std::string& destination);

}  // namespace rt
