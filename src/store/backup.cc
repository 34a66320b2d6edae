#include "store/backup.h"
#include "store/database_location.h"
#include "store/store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "search/fts_tokenizer.h"

extern char** environ;

namespace rt {

namespace {

std::string Errno(int e) { return std::strerror(e); }

std::string ParentDirectory(const std::string& path) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

Status SyncDirectory(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(dir + ": cannot open the folder to sync it: " + Errno(errno));
  int rc = fsync(fd);
  int e = errno;
  close(fd);
  if (rc != 0) return Status::IoError(dir + ": syncing the folder failed: " + Errno(e));
  return Status::Ok();
}

Status CheckDestination(const std::string& dest) {
  if (dest.empty() || dest == "-") return Status::InvalidArgument("the backup needs a file name to write to");
  struct stat st;
  if (lstat(dest.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return Status::InvalidArgument(dest + " is a folder: give the backup a file name inside it, e.g. " +
                                     (std::filesystem::path(dest) / "roundtable-backup.db").string());
    return Status::InvalidArgument(dest + " already exists; a backup never overwrites a file: choose a new name, "
                                          "or remove the old file first");
  }
  std::string dir = ParentDirectory(dest);
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Status::IoError("cannot write " + dest + ": the folder " + dir + " does not exist");
  return Status::Ok();
}

// DEST.tmp while the backup is written: created, locked (flock) so two backups to the same
// DEST cannot interleave, and removed unless Commit() renamed it to DEST. A DEST.tmp that
// is not locked was left by an interrupted backup and is reused.
class TempOutput {
 public:
  explicit TempOutput(const std::string& dest) : dest_(dest), tmp_(dest + ".tmp") {}
  ~TempOutput() {
    if (fd_ < 0) return;
    if (!committed_) RemoveSidecars(true);
    close(fd_);  // last: releases the lock
  }
  TempOutput(const TempOutput&) = delete;
  TempOutput& operator=(const TempOutput&) = delete;

  const std::string& path() const { return tmp_; }

  Status Open() {
    for (int attempt = 0; attempt < 10; ++attempt) {
      int fd = open(tmp_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0) return Status::IoError(tmp_ + ": cannot create the backup file: " + Errno(errno));
      if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK) return Status::Busy("another backup to " + dest_ + " is running (" + tmp_ + " is locked)");
        return Status::IoError(tmp_ + ": cannot lock the backup file: " + Errno(e));
      }
      // The file may have been renamed to DEST (a backup finishing) or removed (one
      // failing) between open and flock: then the lock is on someone else's file.
      struct stat opened, named;
      if (fstat(fd, &opened) == 0 && stat(tmp_.c_str(), &named) == 0 && opened.st_dev == named.st_dev &&
          opened.st_ino == named.st_ino) {
        fd_ = fd;
        break;
      }
      close(fd);
    }
    if (fd_ < 0) return Status::IoError(tmp_ + ": the file keeps changing under the backup");
    Status s = CheckDestination(dest_);  // another backup may have made DEST meanwhile
    if (!s.ok()) return s;
    if (ftruncate(fd_, 0) != 0) return Status::IoError(tmp_ + ": cannot truncate the backup file: " + Errno(errno));
    RemoveSidecars(false);  // an interrupted SQLite backup's journal must not be replayed
    return Status::Ok();
  }

  /// fsync: the bytes are on disk before the name DEST points at them.
  Status Sync() {
    if (fsync(fd_) != 0) return Status::IoError(tmp_ + ": syncing the backup failed: " + Errno(errno));
    return Status::Ok();
  }

  /// Renames DEST.tmp to DEST unless DEST exists, and syncs the folder.
  Status Commit() {
    if (renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, dest_.c_str(), RENAME_NOREPLACE) != 0) {
      int e = errno;
      if (e == EEXIST) return Exists();
      if (e != EINVAL && e != ENOSYS && e != ENOTSUP)
        return Status::IoError("cannot rename " + tmp_ + " to " + dest_ + ": " + Errno(e));
      // A file system without RENAME_NOREPLACE (NFS, some FUSE): a hard link never
      // replaces either; without hard links (FAT) only a check before renaming is left.
      if (link(tmp_.c_str(), dest_.c_str()) == 0) {
        unlink(tmp_.c_str());
      } else if (errno == EEXIST) {
        return Exists();
      } else {
        struct stat st;
        if (lstat(dest_.c_str(), &st) == 0) return Exists();
        if (rename(tmp_.c_str(), dest_.c_str()) != 0)
          return Status::IoError("cannot rename " + tmp_ + " to " + dest_ + ": " + Errno(errno));
      }
    }
    committed_ = true;
    return SyncDirectory(ParentDirectory(dest_));
  }

 private:
  Status Exists() const {
    return Status::InvalidArgument(dest_ + " appeared while the backup ran; it was left alone and the backup removed");
  }
  void RemoveSidecars(bool with_file) {
    for (const char* suffix : {"-journal", "-wal", "-shm"}) unlink((tmp_ + suffix).c_str());
    if (with_file) unlink(tmp_.c_str());
  }

  std::string dest_, tmp_;
  int fd_ = -1;
  bool committed_ = false;
};

// ---- SQLite ----

constexpr int kPagesPerStep = 256;     // 1 MiB of 4 KiB pages between yields
constexpr int kBusySleepMs = 50;
constexpr std::chrono::seconds kMaxWait{60};  // locked this long without progress: give up
constexpr int kMaxRestarts = 100;      // rollback-journal sources only, see below

class SqliteHandle {
 public:
  ~SqliteHandle() { sqlite3_close_v2(db); }
  sqlite3* db = nullptr;
};

// Runs SQL without results, waiting out SQLITE_BUSY/LOCKED for up to kMaxWait.
int ExecRetrying(sqlite3* db, const char* sql) {
  auto deadline = std::chrono::steady_clock::now() + kMaxWait;
  for (;;) {
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) return rc;
    if (std::chrono::steady_clock::now() > deadline) return rc;
    sqlite3_sleep(kBusySleepMs);
  }
}

// The first column of each row, at most `max_rows` rows.
Status QueryColumn(sqlite3* db, const char* sql, int max_rows, std::vector<std::string>* rows) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  while (rc == SQLITE_OK) {
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
      if (static_cast<int>(rows->size()) < max_rows) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        rows->push_back(text ? reinterpret_cast<const char*>(text) : "");
      }
      continue;
    }
    if (step != SQLITE_DONE) rc = step;
    break;
  }
  std::string error = rc == SQLITE_OK ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK) return Status::Database(std::string(sql) + ": " + error);
  return Status::Ok();
}

Status BackupSqlite(const std::string& path, const std::string& dest) {
  if (path.empty()) return Status::InvalidArgument("--db is empty");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Status::Database("no database at " + path + " (check --db)");

  // Read-only: the backup never changes the source, and works for a user that may only
  // read it (the folder must be writable, or its -shm file exist, as for any WAL reader).
  SqliteHandle src;
  int rc = sqlite3_open_v2(path.c_str(), &src.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return Status::Database(path + ": cannot open the database: " + sqlite3_errstr(rc));
  sqlite3_busy_timeout(src.db, 5000);
  std::vector<std::string> mode;
  Status s = QueryColumn(src.db, "PRAGMA journal_mode", 1, &mode);
  if (!s.ok()) return Status::Database(path + ": cannot read the database (is it a SQLite database?): " + s.message());
  const bool wal = !mode.empty() && mode[0] == "wal";
  // In WAL mode one read transaction held across all steps pins a snapshot: every page
  // comes from the same moment, and writers go on beside it (only checkpoints wait). In
  // rollback-journal mode a held read lock would stop writers, so each step takes its own,
  // and SQLite restarts the copy when another connection wrote in between.
  if (wal) {
    rc = sqlite3_exec(src.db, "BEGIN", nullptr, nullptr, nullptr);  // deferred: takes no lock yet
    if (rc == SQLITE_OK) rc = ExecRetrying(src.db, "SELECT count(*) FROM sqlite_master");
    if (rc != SQLITE_OK) return Status::Database(path + ": cannot start reading: " + sqlite3_errmsg(src.db));
  }

  TempOutput out(dest);
  s = out.Open();
  if (!s.ok()) return s;
  SqliteHandle dst;
  rc = sqlite3_open_v2(out.path().c_str(), &dst.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return Status::IoError(out.path() + ": cannot open the backup file: " + sqlite3_errstr(rc));
  sqlite3_busy_timeout(dst.db, 5000);

  sqlite3_backup* backup = sqlite3_backup_init(dst.db, "main", src.db, "main");
  if (!backup) return Status::Database(path + ": cannot start the backup: " + sqlite3_errmsg(dst.db));
  int restarts = 0;
  int remaining = -1;
  auto deadline = std::chrono::steady_clock::now() + kMaxWait;
  for (;;) {
    rc = sqlite3_backup_step(backup, kPagesPerStep);
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_OK) {
      deadline = std::chrono::steady_clock::now() + kMaxWait;
      int now = sqlite3_backup_remaining(backup);
      if (remaining >= 0 && now > remaining && ++restarts > kMaxRestarts) {
        sqlite3_backup_finish(backup);
        return Status::Busy(path + ": the copy had to start over " + std::to_string(restarts) +
                            " times because the database kept changing (it is not in WAL mode); retry when it is quieter");
      }
      remaining = now;
      if (!wal) sqlite3_sleep(1);  // lets a waiting writer take the lock between steps
      continue;
    }
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline) {
      sqlite3_sleep(kBusySleepMs);
      continue;
    }
    break;
  }
  sqlite3_backup_finish(backup);  // its result repeats the last step's
  if (rc != SQLITE_DONE) {
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      return Status::Busy(path + ": the database stayed locked for a minute; the backup gave up");
    if (rc == SQLITE_NOTADB) return Status::Database(path + " is not a SQLite database");
    if ((rc & 0xff) == SQLITE_IOERR || rc == SQLITE_FULL)
      return Status::IoError("copying into " + out.path() + " failed: " + sqlite3_errstr(rc));
    return Status::Database(path + ": the backup failed: " + sqlite3_errstr(rc));
  }
  if (wal) sqlite3_exec(src.db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close_v2(src.db);
  src.db = nullptr;

  // The copy keeps the source's WAL flag; a rollback journal makes it one self-contained
  // file (Roundtable switches it back to WAL when it opens it).
  std::vector<std::string> ignored;
  s = QueryColumn(dst.db, "PRAGMA journal_mode=DELETE", 1, &ignored);
  if (!s.ok()) return Status::Database(out.path() + ": " + s.message());
  // Checked as Roundtable would open it: with the message index's tokenizer, which newer
  // SQLite versions need to check the full-text index.
  if (RegisterFtsTokenizer(dst.db) != SQLITE_OK)
    return Status::Internal("cannot register the FTS5 tokenizer (SQLite without FTS5?)");
  std::vector<std::string> problems;
  s = QueryColumn(dst.db, "PRAGMA integrity_check", 5, &problems);
  if (!s.ok()) return Status::Database(out.path() + ": checking the backup failed: " + s.message());
  if (problems.size() != 1 || problems[0] != "ok") {
    std::string list;
    for (const std::string& p : problems) list += (list.empty() ? "" : "; ") + p;
    return Status::Database("the backup of " + path + " failed its integrity check (" + list +
                            "); the source itself may be damaged: check it with sqlite3 " + path +
                            " 'PRAGMA integrity_check'");
  }
  rc = sqlite3_close(dst.db);
  if (rc != SQLITE_OK) return Status::IoError(out.path() + ": closing the backup failed: " + sqlite3_errstr(rc));
  dst.db = nullptr;

  s = out.Sync();
  if (!s.ok()) return s;
  return out.Commit();
}

// ---- PostgreSQL ----

// Debian installs each version's programs in /usr/lib/postgresql/VERSION/bin and puts
// pg_wrapper in /usr/bin, which picks a version by the local clusters (and may set
// PGPORT from one). The newest pg_dump dumps every older server, so it goes first; then
// PATH, for other installations.
std::string FindPgDump() {
  std::vector<std::pair<int, std::string>> versions;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789.") != std::string::npos) continue;
    std::string program = (entry.path() / "bin" / "pg_dump").string();
    if (access(program.c_str(), X_OK) == 0) versions.emplace_back(std::atoi(name.c_str()), program);
  }
  std::sort(versions.begin(), versions.end());
  if (!versions.empty()) return versions.back().second;
  const char* path_env = std::getenv("PATH");
  std::string path = path_env && *path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t colon = path.find(':', pos);
    if (colon == std::string::npos) colon = path.size();
    std::string dir = path.substr(pos, colon - pos);
    std::string program = (dir.empty() ? "." : dir) + "/pg_dump";
    struct stat st;
    if (stat(program.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(program.c_str(), X_OK) == 0) return program;
    pos = colon + 1;
  }
  return "";
}

// The last lines of a program's error output, for a message.
std::string Tail(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  constexpr std::size_t kMax = 1000;
  if (text.size() > kMax) {
    text = text.substr(text.size() - kMax);
    std::size_t nl = text.find('\n');
    if (nl != std::string::npos) text = text.substr(nl + 1);
    text = "..." + text;
  }
  std::string flat;  // one line: libpq continues its messages on tab-indented lines
  for (char c : text) {
    bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
    if (!space) flat += c;
    else if (!flat.empty() && flat.back() != ' ') flat += ' ';
  }
  return flat;
}

// Runs program with argv and envp (no shell), stdin and stdout on /dev/null. Returns the
// wait status; `errors` gets what it wrote to stderr (its last 64 KiB).
Status RunProgram(const std::vector<std::string>& args, const std::vector<std::string>& env, int* wait_status,
                  std::string* errors) {
  std::vector<char*> argv, envp;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  int err_pipe[2], exec_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return Status::Internal("pipe: " + Errno(errno));
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) {
    close(err_pipe[0]);
    close(err_pipe[1]);
    return Status::Internal("pipe: " + Errno(errno));
  }
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  pid_t pid = devnull < 0 ? -1 : fork();
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(err_pipe[1], 2);
    signal(SIGPIPE, SIG_DFL);
    execve(argv[0], argv.data(), envp.data());
    int e = errno;
    ssize_t ignored = write(exec_pipe[1], &e, sizeof e);
    (void)ignored;
    _exit(127);
  }
  int fork_errno = errno;
  close(err_pipe[1]);
  close(exec_pipe[1]);
  if (devnull >= 0) close(devnull);
  if (pid < 0) {
    close(err_pipe[0]);
    close(exec_pipe[0]);
    return Status::Internal("cannot start " + args[0] + ": " + Errno(fork_errno));
  }
  char buf[4096];
  for (;;) {
    ssize_t n = read(err_pipe[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    errors->append(buf, static_cast<std::size_t>(n));
    if (errors->size() > (128 << 10)) errors->erase(0, errors->size() - (64 << 10));
  }
  close(err_pipe[0]);
  int exec_errno = 0;
  ssize_t got;
  do got = read(exec_pipe[0], &exec_errno, sizeof exec_errno);
  while (got < 0 && errno == EINTR);
  close(exec_pipe[0]);
  while (waitpid(pid, wait_status, 0) < 0)
    if (errno != EINTR) return Status::Internal("waiting for " + args[0] + ": " + Errno(errno));
  if (got == static_cast<ssize_t>(sizeof exec_errno))
    return Status::Database("cannot run " + args[0] + ": " + Errno(exec_errno));
  return Status::Ok();
}

Status BackupPostgres(const std::string& location, const std::string& dest) {
  std::string pg_dump = FindPgDump();
  if (pg_dump.empty())
    return Status::Database("pg_dump not found in /usr/lib/postgresql/*/bin or PATH: install it with "
                            "apt install postgresql-client");
  PgUrl url = SplitPassword(location);
  if (url.malformed) return Status::InvalidArgument("--db: malformed %-escape in the password of the URL");
  TempOutput out(dest);
  Status s = out.Open();
  if (!s.ok()) return s;

  std::vector<std::string> args = {pg_dump, "--format=custom", "--file=" + out.path(), "--no-password",
                                   "--dbname=" + url.url};
  // The password goes by the environment, which only this user can read (/proc/PID/environ);
  // any user can read a command line.
  std::vector<std::string> env;
  bool has_appname = false;
  for (char** e = environ; *e; ++e) {
    std::string_view var(*e);
    if (!url.password.empty() && var.rfind("PGPASSWORD=", 0) == 0) continue;
    if (var.rfind("PGAPPNAME=", 0) == 0) has_appname = true;
    env.emplace_back(var);
  }
  if (!url.password.empty()) env.push_back("PGPASSWORD=" + url.password);
  if (!has_appname) env.push_back("PGAPPNAME=roundtable backup");

  int status = 0;
  std::string errors;
  s = RunProgram(args, env, &status, &errors);
  if (!s.ok()) return s;
  if (WIFSIGNALED(status))
    return Status::Database(pg_dump + " was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
                            strsignal(WTERMSIG(status)) + ")" + (errors.empty() ? "" : ": " + Tail(errors)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Status::Database(pg_dump + " exited with status " + std::to_string(WEXITSTATUS(status)) +
                            (errors.empty() ? " and said nothing" : ": " + Tail(errors)));
  s = out.Sync();
  if (!s.ok()) return s;
  return out.Commit();
}

}  // namespace

Status BackupDatabase(const std::string& location, const std::string& destination) {
  Status s = CheckDestination(destination);
  if (!s.ok()) return s;
  if (IsPostgresUrl(location)) return BackupPostgres(location, destination);
  return BackupSqlite(location.rfind("sqlite:", 0) == 0 ? location.substr(7) : location, destination);
}

}  // namespace rt
