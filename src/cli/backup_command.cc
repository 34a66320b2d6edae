// roundtable backup: a consistent copy of the database while servers and imports use it.

#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "store/backup.h"

namespace rt {

namespace {

// "12.3 MB", "45.6 kB", "512 bytes" (decimal units, as import reports).
std::string Size(std::uint64_t bytes) {
  char buf[32];
  if (bytes >= 1000000000) std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(bytes) / 1e9);
  else if (bytes >= 1000000) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  else if (bytes >= 1000) std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1e3);
  else std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
  return buf;
}

}  // namespace

int RunBackup(const BackupArgs& args) {
  Status s = BackupDatabase(args.db, args.destination);
  if (!s.ok()) {
    struct stat st;
    if (s.code() == Status::Code::kInvalidArgument && lstat(args.destination.c_str(), &st) == 0) {
      std::fprintf(stderr, "roundtable: %s\n", s.message().c_str());
      return kExitExists;
    }
    return ReportFailure(s);
  }
  struct stat st;
  std::uint64_t bytes = stat(args.destination.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  const bool postgres = IsPostgresUrl(args.db);
  std::printf("backed up %s database %s to %s: %s (%s)\n", postgres ? "PostgreSQL" : "SQLite",
              DescribeDatabaseLocation(args.db).c_str(), args.destination.c_str(), Size(bytes).c_str(),
              postgres ? "pg_dump custom format; restore with pg_restore" : "integrity checked");
  return kExitOk;
}

}  // namespace rt
