// roundtable backup: online, consistent copies of a database in use, never over an
// existing file, never a half-written one under the backup's name.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cli/commands.h"
#include "store/backup.h"
#include "store/store.h"
#include "test_util.h"

namespace rt {
namespace {

using testing::CommandResult;
using testing::RunRoundtable;
using testing::TempDir;

using testing::GenerateArchive;

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// One integer from a read-only SQLite connection; -1 on any error.
std::int64_t QueryInt(const std::string& db, const char* sql) {
  sqlite3* conn = nullptr;
  std::int64_t value = -1;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(conn, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(conn, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
      value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
  }
  sqlite3_close(conn);
  return value;
}

// `roundtable import` into a new list each round, over and over, until destroyed: every
// round stores the whole archive again (dedup is per list), so the database keeps changing.
class ImportLoop {
 public:
  ImportLoop(const std::string& db, const std::string& mbox) {
    std::string script = "n=0; while :; do n=$((n+1)); '" + std::string(ROUNDTABLE_BIN) + "' import --no-progress --db '" +
                         db + "' --list copy$n '" + mbox + "' >/dev/null 2>&1; done";
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test
      if (getppid() != parent) _exit(126);
      execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    setpgid(pid_, pid_);  // also here, so the group exists before any kill below
  }
  ~ImportLoop() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  ImportLoop(const ImportLoop&) = delete;
  ImportLoop& operator=(const ImportLoop&) = delete;

 private:
  pid_t pid_ = -1;
};

TEST(Backup, CopyOfAnImportedDatabaseFindsTheSameMessages) {
  TempDir dir;
  std::string mbox = GenerateArchive(dir, 400, "a.mbox");
  std::string db = dir.File("rt.db");
  CommandResult r = RunRoundtable({"import", "--no-progress", "--db", db, mbox});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;

  std::string dest = dir.File("backup.db");
  r = RunRoundtable({"backup", "--db", db, dest});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("backed up SQLite database " + db + " to " + dest + ": ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("B (integrity checked)\n"), std::string::npos) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_FALSE(Exists(dest + ".tmp"));
  EXPECT_FALSE(Exists(dest + "-journal"));
  EXPECT_FALSE(Exists(dest + "-wal"));
  struct stat st;
  ASSERT_EQ(stat(dest.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "a backup holds password hashes: readable by its owner only";

  for (const char* query : {"policy", "consultation", "subject:draft", "\"working group\""}) {
    CommandResult original = RunRoundtable({"search", "--db", db, "--json", "--limit", "100", query});
    CommandResult copy = RunRoundtable({"search", "--db", dest, "--json", "--limit", "100", query});
    ASSERT_EQ(copy.exit_code, 0) << copy.err;
    EXPECT_FALSE(original.out.empty()) << query;
    EXPECT_EQ(copy.out, original.out) << query;
  }
  CommandResult original = RunRoundtable({"stats", "--json", "--db", db});
  CommandResult copy = RunRoundtable({"stats", "--json", "--db", dest});
  EXPECT_EQ(copy.out, original.out);
  EXPECT_EQ(boost::json::parse(copy.out).as_object().at("messages").as_int64(), 400);
}

TEST(Backup, RefusesAnExistingDestination) {
  TempDir dir;
  std::string db = dir.File("rt.db");
  CommandResult r = RunRoundtable({"import", "--no-progress", "--db", db, GenerateArchive(dir, 20, "a.mbox")});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;

  std::string dest = dir.File("precious.db");
  testing::WriteFile(dest, "yesterday's backup");
  r = RunRoundtable({"backup", "--db", db, dest});
  EXPECT_EQ(r.exit_code, kExitExists);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(testing::ReadFile(dest), "yesterday's backup");
  EXPECT_FALSE(Exists(dest + ".tmp"));

  r = RunRoundtable({"backup", "--db", db, dir.path()});  // a folder
  EXPECT_EQ(r.exit_code, kExitExists);
  EXPECT_NE(r.err.find("is a folder"), std::string::npos) << r.err;

  r = RunRoundtable({"backup", "--db", db, dir.File("no/such/folder/b.db")});
  EXPECT_EQ(r.exit_code, kExitInput);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;

  // A missing database is an error, not a new empty one (nor an empty backup).
  r = RunRoundtable({"backup", "--db", dir.File("typo.db"), dir.File("b.db")});
  EXPECT_EQ(r.exit_code, kExitDatabase);
  EXPECT_NE(r.err.find("no database at"), std::string::npos) << r.err;
  EXPECT_FALSE(Exists(dir.File("typo.db")));
  EXPECT_FALSE(Exists(dir.File("b.db")));
  EXPECT_FALSE(Exists(dir.File("b.db.tmp")));
}

TEST(Backup, ReplacesWhatAnInterruptedBackupLeftButNotOneRunning) {
  TempDir dir;
  std::string db = dir.File("rt.db");
  CommandResult r = RunRoundtable({"import", "--no-progress", "--db", db, GenerateArchive(dir, 50, "a.mbox")});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::string dest = dir.File("b.db");

  // Another backup to the same name holds DEST.tmp: left alone.
  testing::WriteFile(dest + ".tmp", "in progress");
  int fd = open((dest + ".tmp").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX), 0);
  r = RunRoundtable({"backup", "--db", db, dest});
  EXPECT_EQ(r.exit_code, kExitDatabase);
  EXPECT_NE(r.err.find("another backup"), std::string::npos) << r.err;
  EXPECT_EQ(testing::ReadFile(dest + ".tmp"), "in progress");
  EXPECT_FALSE(Exists(dest));
  close(fd);

  // A crash left DEST.tmp and a journal beside it: both are stale, the backup is whole.
  testing::WriteFile(dest + ".tmp-journal", std::string(4096, 'x'));
  r = RunRoundtable({"backup", "--db", db, dest});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Exists(dest + ".tmp"));
  EXPECT_FALSE(Exists(dest + ".tmp-journal"));
  EXPECT_EQ(QueryInt(dest, "SELECT count(*) FROM messages"), 50);
}

TEST(Backup, ConsistentWhileAnotherProcessImports) {
  TempDir dir;
  std::string mbox = GenerateArchive(dir, 1500, "a.mbox", 5);
  std::string db = dir.File("rt.db");
  CommandResult r = RunRoundtable({"import", "--no-progress", "--db", db, mbox});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const std::int64_t base = QueryInt(db, "SELECT count(*) FROM messages");
  ASSERT_EQ(base, 1500);

  ImportLoop writer(db, mbox);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (QueryInt(db, "SELECT count(*) FROM messages") <= base && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_GT(QueryInt(db, "SELECT count(*) FROM messages"), base) << "the import loop never wrote";

  std::vector<std::int64_t> counts;
  for (int i = 0; i < 4; ++i) {
    std::string dest = dir.File("b" + std::to_string(i) + ".db");
    r = RunRoundtable({"backup", "--db", db, dest});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Tables written in the same transactions agree in the copy: one moment, not a mix.
    std::int64_t messages = QueryInt(dest, "SELECT count(*) FROM messages");
    EXPECT_GE(messages, base);
    EXPECT_EQ(QueryInt(dest, "SELECT count(*) FROM raw_messages"), messages) << dest;
    EXPECT_EQ(QueryInt(dest, "SELECT sum(message_count) FROM threads"), messages) << dest;
    EXPECT_EQ(QueryInt(dest, "SELECT count(*) FROM message_index_docsize"), messages) << dest;
    EXPECT_EQ(QueryInt(dest, "SELECT count(*) FROM messages m LEFT JOIN threads t ON t.id = m.thread_id"
                             " WHERE t.id IS NULL"),
              0)
        << dest;
    CommandResult stats = RunRoundtable({"stats", "--json", "--db", dest});
    ASSERT_EQ(stats.exit_code, 0) << stats.err;
    EXPECT_EQ(boost::json::parse(stats.out).as_object().at("messages").as_int64(), messages);
    CommandResult search = RunRoundtable({"search", "--db", dest, "--json", "--limit", "5", "policy"});
    EXPECT_EQ(search.exit_code, 0) << search.err;
    EXPECT_FALSE(search.out.empty());
    counts.push_back(messages);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_LT(counts.front(), counts.back()) << "the database did not change between backups; the test proves little";
}

TEST(Backup, PostgresFailureNamesPgDumpAndNeverShowsThePassword) {
  TempDir dir;
  std::string dest = dir.File("pg.dump");
  // Port 1 on loopback: nothing listens, so pg_dump fails at once (or is not installed).
  CommandResult r = RunRoundtable({"backup", "--db", "postgresql://rt:s3cr%40t@127.0.0.1:1/roundtable", dest});
  EXPECT_EQ(r.exit_code, kExitDatabase);
  EXPECT_NE(r.err.find("pg_dump"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("s3cr"), std::string::npos) << r.err;
  EXPECT_FALSE(Exists(dest));
  EXPECT_FALSE(Exists(dest + ".tmp"));
}

TEST(Backup, LocationsAreShownWithoutPasswords) {
  EXPECT_EQ(DescribeDatabaseLocation("sqlite:/srv/rt/roundtable.db"), "/srv/rt/roundtable.db");
  EXPECT_EQ(DescribeDatabaseLocation("data/roundtable.db"), "data/roundtable.db");
  EXPECT_EQ(DescribeDatabaseLocation("postgresql://rt:s3cr%40t@db1:5432,db2:5432/roundtable"
                                     "?target_session_attrs=read-write"),
            "postgresql://rt@db1:5432,db2:5432/roundtable?target_session_attrs=read-write");
  EXPECT_EQ(DescribeDatabaseLocation("postgres://db1/roundtable?password=x&sslmode=require"),
            "postgres://db1/roundtable?sslmode=require");
  EXPECT_EQ(DescribeDatabaseLocation("postgresql:///roundtable"), "postgresql:///roundtable");
  EXPECT_TRUE(IsPostgresUrl("postgres://db1/rt"));
  EXPECT_FALSE(IsPostgresUrl("sqlite:postgres.db"));
  EXPECT_FALSE(IsPostgresUrl("postgres.db"));
}

}  // namespace
}  // namespace rt
