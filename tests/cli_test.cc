// End-to-end: the real roundtable binary on real files.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "cli/commands.h"
#include "store/store.h"
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "test_util.h"

namespace rt {
namespace {

using testing::RunRoundtable;

using testing::GenerateArchive;

std::int64_t StatValue(const std::string& db, const char* key) {
  testing::CommandResult r = RunRoundtable({"stats", "--json", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return boost::json::parse(r.out).as_object().at(key).as_int64();
}

TEST(Cli, ImportThenExportIsByteIdentical) {
  testing::TempDir dir;
  std::string mbox = GenerateArchive(dir, 600, "a.mbox");
  std::string db = testing::TestDatabase(dir);
  testing::CommandResult r = RunRoundtable({"import", "--db", db, mbox});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("imported 600, duplicates 0, quarantined 0"), std::string::npos) << r.out;
  r = RunRoundtable({"export", "mbox", "--db", db, dir.File("out.mbox")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(testing::ReadFile(mbox) == testing::ReadFile(dir.File("out.mbox")));
  // And the export imports again as the same 600 messages.
  r = RunRoundtable({"import", "--db", db, dir.File("out.mbox")});
  EXPECT_NE(r.out.find("imported 0, duplicates 600"), std::string::npos) << r.out;
}

// The first import large enough trains the compression dictionary; smaller ones before
// it go without, later ones share it; every message still exports byte for byte.
TEST(Cli, ALargeFirstImportTrainsTheDictionaryLaterImportsShare) {
  testing::TempDir dir;
  std::string small = GenerateArchive(dir, 300, "small.mbox", 4);
  std::string large = GenerateArchive(dir, 2500, "large.mbox", 5);
  std::string later = GenerateArchive(dir, 2500, "later.mbox", 6);
  std::string db = testing::TestDatabase(dir);
  auto newest_dictionary = [&]() -> std::uint32_t {
    Result<std::unique_ptr<Store>> store = Store::Open(db);
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return 0;
    Result<std::shared_ptr<const CompressionDictionary>> d = store.value()->NewestDictionary();
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() && d.value() ? d.value()->id() : 0;
  };
  auto import = [&](const std::string& mbox) {
    testing::CommandResult r =
        RunRoundtable({"import", "--db", db, "--list", std::filesystem::path(mbox).stem().string(), mbox});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  import(small);
  EXPECT_EQ(newest_dictionary(), 0u);
  import(large);
  std::uint32_t trained = newest_dictionary();
  EXPECT_NE(trained, 0u);
  import(later);
  EXPECT_EQ(newest_dictionary(), trained);
  // The later import's messages are stored with it (checked on SQLite, where the test
  // can read the frames).
  if (!IsPostgresUrl(db)) {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(handle, "SELECT r.data, m.body_text FROM raw_messages r JOIN messages m ON m.id = r.message"
                                         " ORDER BY r.message DESC LIMIT 1", -1, &q, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    for (int column : {0, 1}) {
      std::string_view frame(static_cast<const char*>(sqlite3_column_blob(q, column)),
                             static_cast<std::size_t>(sqlite3_column_bytes(q, column)));
      EXPECT_EQ(FrameDictionaryId(frame), trained) << "column " << column;
    }
    sqlite3_finalize(q);
    sqlite3_close(handle);
  }

  for (const std::string& mbox : {small, large, later}) {
    std::string list = std::filesystem::path(mbox).stem().string();
    testing::CommandResult r = RunRoundtable({"export", "mbox", "--db", db, "--list", list, dir.File(list + ".out")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(testing::ReadFile(mbox) == testing::ReadFile(dir.File(list + ".out"))) << list;
  }
}

// The compression dictionary is stored before anything compressed with it: when storing
// it fails, nothing of the import is stored, the error says why, and a re-run completes it.
TEST(Cli, AnImportWhoseDictionaryCannotBeStoredStopsCleanlyAndARerunCompletesIt) {
  testing::TempDir dir;
  std::string db = testing::TestDatabase(dir);
  if (IsPostgresUrl(db)) GTEST_SKIP() << "the failure is injected through SQLite's API";
  std::string mbox = GenerateArchive(dir, 2500, "large.mbox", 7);
  ASSERT_EQ(RunRoundtable({"list", "create", "--db", db, "policy"}).exit_code, 0);  // creates the schema
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  auto exec = [&](const char* sql) { ASSERT_EQ(sqlite3_exec(handle, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql; };
  exec("CREATE TRIGGER refuse_dictionaries BEFORE INSERT ON compression_dictionaries"
       " BEGIN SELECT RAISE(ABORT, 'the disk refused the dictionary'); END");
  testing::CommandResult failed = RunRoundtable({"import", "--db", db, mbox});
  EXPECT_EQ(failed.exit_code, kExitDatabase) << failed.out << failed.err;
  EXPECT_NE(failed.err.find("the disk refused the dictionary"), std::string::npos) << failed.err;
  EXPECT_EQ(StatValue(db, "messages"), 0);
  exec("DROP TRIGGER refuse_dictionaries");
  sqlite3_close(handle);
  testing::CommandResult rerun = RunRoundtable({"import", "--db", db, mbox});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_NE(rerun.out.find("imported 2500, duplicates 0"), std::string::npos) << rerun.out;
  ASSERT_EQ(RunRoundtable({"export", "mbox", "--db", db, dir.File("out.mbox")}).exit_code, 0);
  EXPECT_TRUE(testing::ReadFile(mbox) == testing::ReadFile(dir.File("out.mbox")));
}

// A database a newer version migrated may hold what this one cannot read: it refuses it.
TEST(Cli, ADatabaseOfANewerVersionIsRefused) {
  testing::TempDir dir;
  std::string db = testing::TestDatabase(dir);
  if (IsPostgresUrl(db)) GTEST_SKIP() << "the schema table is written through SQLite's API here";
  ASSERT_EQ(RunRoundtable({"import", "--db", db, GenerateArchive(dir, 20, "a.mbox")}).exit_code, 0);
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle, "INSERT INTO schema_migrations VALUES (9999, '9999_future', 0)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  testing::CommandResult r = RunRoundtable({"stats", "--db", db});
  EXPECT_EQ(r.exit_code, kExitDatabase);
  EXPECT_NE(r.err.find("schema version 9999, newer than this roundtable knows"), std::string::npos) << r.err;
}

TEST(Cli, ReindexRebuildsTheSearchIndexWithTheSameAnswers) {
  testing::TempDir dir;
  std::string mbox = GenerateArchive(dir, 300, "a.mbox");
  std::string db = testing::TestDatabase(dir);
  ASSERT_EQ(RunRoundtable({"import", "--db", db, mbox}).exit_code, 0);
  auto search = [&](const char* q) {
    testing::CommandResult r = RunRoundtable({"search", "--json", "--limit", "50", "--db", db, q});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  std::string before = search("internet governance");
  EXPECT_FALSE(before.empty());
  testing::CommandResult r = RunRoundtable({"reindex", "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rebuilt the search index: 300 messages"), std::string::npos) << r.out;
  EXPECT_EQ(search("internet governance"), before);
  EXPECT_EQ(RunRoundtable({"reindex", "--db", dir.File("missing.db")}).exit_code, kExitDatabase);
}

TEST(Cli, KillDashNineMidImportThenRerunCompletesWithoutDuplicates) {
  testing::TempDir dir;
  const int kMessages = 30000;
  std::string mbox = GenerateArchive(dir, kMessages, "big.mbox", 3);
  std::string db = testing::TestDatabase(dir);
  for (int delay_ms : {700, 1500}) {
    pid_t pid = fork();
    if (pid == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      execl(ROUNDTABLE_BIN, "roundtable", "import", "--db", db.c_str(), mbox.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
  }
  std::int64_t before = StatValue(db, "messages");
  EXPECT_LT(before, kMessages) << "the import finished before it was killed; the test proves nothing";
  testing::CommandResult r = RunRoundtable({"import", "--db", db, mbox});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(StatValue(db, "messages"), kMessages);
  r = RunRoundtable({"export", "mbox", "--db", db, dir.File("out.mbox")});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(testing::ReadFile(dir.File("out.mbox")).size(), testing::ReadFile(mbox).size());
  r = RunRoundtable({"search", "--db", db, "--json", "--limit", "5", "policy"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (IsPostgresUrl(db)) return;
  // The killed imports left the search index's bulk settings behind; the one that
  // completed put back those the web server and the mail gateway write with.
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  std::string settings;
  sqlite3_exec(
      handle, "SELECT k || '=' || v || ' ' FROM message_index_config WHERE k IN ('automerge', 'hashsize') ORDER BY k",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) += values[0];
        return 0;
      },
      &settings, nullptr);
  sqlite3_close(handle);
  EXPECT_EQ(settings, "automerge=4 hashsize=1048576 ");
}

TEST(Cli, PythonEmailTestSuiteMessagesImportOrQuarantine) {
  const std::string data = "/usr/lib/python3.11/test/test_email/data";
  std::vector<std::string> files;
  for (auto& e : std::filesystem::directory_iterator(data))
    if (e.path().filename().string().rfind("msg_", 0) == 0) files.push_back(e.path().string());
  ASSERT_GE(files.size(), 40u) << "install libpython3.11-testsuite";
  testing::TempDir dir;
  std::string db = testing::TestDatabase(dir);
  std::vector<std::string> args = {"import", "--db", db, "--list", "pytest"};
  args.insert(args.end(), files.begin(), files.end());
  testing::CommandResult r = RunRoundtable(args);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 5) << r.exit_code << r.err << r.out;
  std::int64_t stored = StatValue(db, "messages") + StatValue(db, "quarantined");
  unsigned long long imported = 0, duplicates = 0, quarantined = 0;
  ASSERT_EQ(std::sscanf(r.out.c_str(), "imported %llu, duplicates %llu, quarantined %llu", &imported, &duplicates,
                        &quarantined),
            3)
      << r.out;
  EXPECT_EQ(imported + duplicates + quarantined, files.size());
  EXPECT_EQ(stored, static_cast<std::int64_t>(imported + quarantined));
}

TEST(Cli, PipermailArchivesAreRecovered) {
  testing::TempDir dir;
  testing::WriteGzipFile(dir.File("archive/2007-January.txt.gz"),
                         "From jdoe at example.org  Tue Jan  9 09:22:30 2007\n"
                         "From: jdoe at example.org (Jane Doe)\n"
                         "Date: Tue, 09 Jan 2007 09:22:30 -0500\n"
                         "Subject: [policy] Draft letter on the consultation\n"
                         "Message-ID: <45A3.1@example.org>\n\n"
                         "Dear all, the draft is attached.\n\n"
                         "From bob at example.net  Tue Jan  9 10:00:00 2007\n"
                         "From: bob at example.net (Bob Smith)\n"
                         "Date: Tue, 09 Jan 2007 10:00:00 -0500\n"
                         "Subject: [policy] Draft letter on the consultation\n"
                         "In-Reply-To: <45A3.1@example.org>\n"
                         "Message-ID: <45A3.2@example.net>\n\n"
                         "Thanks Jane.\n");
  testing::WriteFile(dir.File("archive/000123.html"),
                     "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<HTML>\n <HEAD>\n"
                     "   <TITLE> [policy] Draft letter on the consultation\n   </TITLE>\n </HEAD>\n <BODY>\n"
                     "   <H1>[policy] Re: Draft letter on the consultation</H1>\n    <B>Carol Ng</B> \n"
                     // Mailman 2.1 puts the page's own Message-ID in the reply link.
                     "    <A HREF=\"mailto:policy%40lists.example.org?Subject=Re%3A%20%5Bpolicy%5D%20Re%3A%20Draft&In-Reply-To=%3C45A3.3%40example.edu%3E\"\n"
                     "       TITLE=\"[policy] Draft letter\">carol at example.edu\n       </A><BR>\n"
                     "    <I>Wed Jan 10 08:00:00 EST 2007</I>\n    <HR>\n<!--beginarticle-->\n<PRE>I support the "
                     "draft &amp; the timeline.\n</PRE>\n\n<!--endarticle-->\n    <HR>\n</BODY></HTML>\n");
  testing::WriteFile(dir.File("archive/index.html"), "<html><body>index</body></html>");
  std::string db = testing::TestDatabase(dir);
  testing::CommandResult r = RunRoundtable({"import", "--db", db, dir.File("archive")});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("imported 3"), std::string::npos) << r.out;
  r = RunRoundtable({"thread", "--db", db, "45A3.1@example.org"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Jane Doe"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Bob Smith"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Carol Ng"), std::string::npos) << r.out;
  r = RunRoundtable({"search", "--db", db, "--json", "timeline"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  boost::json::object hit = boost::json::parse(r.out).as_object();
  EXPECT_EQ(hit.at("from_address").as_string(), "carol@example.edu");
  EXPECT_EQ(hit.at("list").as_string(), "policy");
  EXPECT_EQ(hit.at("date").as_string(), "2007-01-10T13:00:00Z");
  for (const char* key : {"message_id", "forum", "thread_id", "from_name", "subject", "snippet"})
    EXPECT_TRUE(hit.contains(key)) << key;
  r = RunRoundtable({"search", "--db", db, "--json", "from:jdoe"});
  EXPECT_NE(r.out.find("jdoe@example.org"), std::string::npos) << r.out;
  // Exported (the HTML page as the message it shows) and imported again: nothing new.
  ASSERT_EQ(RunRoundtable({"export", "mbox", "--db", db, dir.File("out.mbox")}).exit_code, 0);
  std::string exported = testing::ReadFile(dir.File("out.mbox"));
  EXPECT_NE(exported.find("\nMessage-ID: <45A3.3@example.edu>\n"), std::string::npos) << exported;
  EXPECT_NE(exported.find("\nDate: Wed, 10 Jan 2007 13:00:00 +0000\n"), std::string::npos) << exported;
  EXPECT_NE(exported.find("\nFrom: \"Carol Ng\" <carol@example.edu>\n"), std::string::npos) << exported;
  r = RunRoundtable({"import", "--db", db, dir.File("out.mbox")});
  EXPECT_NE(r.out.find("imported 0, duplicates 3"), std::string::npos) << r.out;
}

TEST(Cli, MaildirAndEml) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("md/cur/1:2,S"), "From: a@b.org\nMessage-ID: <1@b>\nSubject: one\n\nx\n");
  testing::WriteFile(dir.File("md/new/2"), "From: a@b.org\nMessage-ID: <2@b>\nSubject: two\n\ny\n");
  testing::WriteFile(dir.File("md/tmp/3"), "From: a@b.org\nMessage-ID: <3@b>\n\nincomplete\n");
  testing::WriteFile(dir.File("one.eml"), "From: a@b.org\nMessage-ID: <4@b>\nSubject: four\n\nz\n");
  std::string db = testing::TestDatabase(dir);
  testing::CommandResult r = RunRoundtable({"import", "--db", db, "--list", "l", dir.File("md"), dir.File("one.eml")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(StatValue(db, "messages"), 3);
}

TEST(Cli, ExportOfMessagesWithoutFinalNewlineReimportsWhole) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.eml"), "From: a@b.org\nMessage-ID: <1@b>\nSubject: one\n\nno newline");
  testing::WriteFile(dir.File("b.eml"), "From: a@b.org\nMessage-ID: <2@b>\nSubject: two\n\nsecond");
  std::string db = testing::TestDatabase(dir);
  ASSERT_EQ(RunRoundtable({"import", "--db", db, "--list", "l", dir.File("a.eml"), dir.File("b.eml")}).exit_code, 0);
  ASSERT_EQ(RunRoundtable({"export", "mbox", "--db", db, dir.File("out.mbox")}).exit_code, 0);
  std::string db2 = testing::TestDatabase(dir, "rt2.db");
  testing::CommandResult r = RunRoundtable({"import", "--db", db2, "--list", "l", dir.File("out.mbox")});
  EXPECT_NE(r.out.find("imported 2"), std::string::npos) << r.out;
}

TEST(Cli, ClearErrorsAndExitCodes) {
  testing::TempDir dir;
  std::string db = dir.File("rt.db");
  testing::CommandResult r = RunRoundtable({"search", "--db", dir.File("typo/none.db"), "x"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("no database at"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("typo")));
  r = RunRoundtable({"import", "--db", db, dir.File("missing.mbox")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("missing.mbox"), std::string::npos) << r.err;
  testing::WriteFile(dir.File("photo.jpg"), std::string("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01", 13));
  r = RunRoundtable({"import", "--db", db, dir.File("photo.jpg")});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not a mail archive"), std::string::npos) << r.err;
  r = RunRoundtable({"import", "--db", dir.path(), dir.File("photo.jpg")});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  r = RunRoundtable({"search", "--db", db, "\"unclosed"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unclosed quote"), std::string::npos);
  r = RunRoundtable({"thread", "--db", db, "<nobody@nowhere>"});
  EXPECT_EQ(r.exit_code, 6);
  r = RunRoundtable({"import", "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  for (const char* command : {"import", "search", "export", "stats", "thread"}) {
    std::vector<std::string> args = {command, "--help"};
    if (std::string(command) == "export") args.insert(args.begin() + 1, "mbox");
    r = RunRoundtable(args);
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("--db"), std::string::npos) << command << r.out;
  }
  // A quarantined message: exit 5 and the summary says so.
  testing::WriteFile(dir.File("bad.mbox"), "From a@b Tue Jan  9 09:22:30 2007\nno header here\n");
  r = RunRoundtable({"import", "--db", db, dir.File("bad.mbox")});
  EXPECT_EQ(r.exit_code, 5) << r.err << r.out;
  EXPECT_NE(r.out.find("quarantined 1"), std::string::npos) << r.out;
  // A typo in a filter is not an empty export.
  testing::WriteFile(dir.File("ok.eml"), "From: a@b.org\nMessage-ID: <ok@b>\nSubject: [policy] fine\n\nx\n");
  ASSERT_EQ(RunRoundtable({"import", "--db", db, dir.File("ok.eml")}).exit_code, 0);
  EXPECT_EQ(RunRoundtable({"export", "mbox", "--db", db, "--list", "policy", "-"}).exit_code, 0);
  r = RunRoundtable({"export", "mbox", "--db", db, "--list", "nope", "-"});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("no list \"nope\""), std::string::npos) << r.err;
  EXPECT_EQ(RunRoundtable({"export", "jsonl", "--db", db, "--forum", "nope", "-"}).exit_code, 6);
  EXPECT_EQ(RunRoundtable({"export", "jsonl", "--db", db, "--forum", "main", "-"}).exit_code, 0);
}

TEST(Cli, LockedDatabaseIsReported) {
  testing::TempDir dir;
  std::string db = dir.File("rt.db");
  testing::WriteFile(dir.File("a.eml"), "From: a@b.org\nMessage-ID: <1@b>\n\nx\n");
  ASSERT_EQ(RunRoundtable({"import", "--db", db, dir.File("a.eml")}).exit_code, 0);
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  testing::WriteFile(dir.File("b.eml"), "From: a@b.org\nMessage-ID: <2@b>\n\nx\n");
  testing::CommandResult r = RunRoundtable({"import", "--db", db, dir.File("b.eml")});
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("another roundtable process"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rt

namespace rt {
namespace {

TEST(Cli, SecretariatManagesAccountsListsAndSubscriptions) {
  testing::TempDir dir;
  std::string db = testing::TestDatabase(dir);
  using testing::RunRoundtable;
  EXPECT_EQ(RunRoundtable({"list", "create", "--db", db, "--forum", "igf", "policy", "--address",
                           "policy@lists.example.org", "--moderated", "yes"}).exit_code, kExitOk);
  EXPECT_EQ(RunRoundtable({"list", "create", "--db", db, "--forum", "igf", "policy"}).exit_code, kExitUsage);
  EXPECT_EQ(RunRoundtable({"list", "set", "--db", db, "--forum", "igf", "nope", "--description", "x"}).exit_code,
            kExitNotFound);
  testing::CommandResult add = RunRoundtable(
      {"user", "add", "--db", db, "Ana@Example.org", "--name", "Ana", "--group", "civil-society", "--country", "KE",
       "--password-stdin"}, "a long enough password\n");
  EXPECT_EQ(add.exit_code, kExitOk) << add.err;
  EXPECT_EQ(RunRoundtable({"user", "add", "--db", db, "x@y.org", "--password-stdin"}, "short\n").exit_code, kExitUsage);
  EXPECT_EQ(RunRoundtable({"user", "add", "--db", db, "not-an-address"}).exit_code, kExitUsage);
  EXPECT_EQ(RunRoundtable({"user", "add", "--db", db, "b@y.org", "--country", "Kenya"}).exit_code, kExitUsage);
  EXPECT_EQ(RunRoundtable({"user", "role", "--db", db, "ana@example.org", "moderator", "--forum", "igf", "--list",
                           "policy"}).exit_code, kExitOk);
  EXPECT_EQ(RunRoundtable({"user", "role", "--db", db, "ana@example.org", "king", "--forum", "igf"}).exit_code, kExitUsage);
  EXPECT_EQ(RunRoundtable({"subscribe", "--db", db, "--forum", "igf", "--list", "policy", "--mode", "digest",
                           "ana@example.org"}).exit_code, kExitOk);
  EXPECT_EQ(RunRoundtable({"user", "verify", "--db", db, "ana@example.org"}).exit_code, kExitOk);
  EXPECT_EQ(RunRoundtable({"user", "verify", "--db", db, "nobody@example.org"}).exit_code, kExitNotFound);
  testing::CommandResult list = RunRoundtable({"user", "list", "--db", db, "--json"});
  ASSERT_EQ(list.exit_code, kExitOk);
  boost::json::value u = boost::json::parse(list.out);
  EXPECT_EQ(u.at("email").as_string(), "ana@example.org");  // normalised
  EXPECT_EQ(u.at("has_password").as_bool(), true);
  EXPECT_EQ(u.at("country").as_string(), "KE");
  EXPECT_EQ(u.at("group_verified").as_bool(), true);
  EXPECT_EQ(u.at("roles").as_array().at(0).at("role").as_string(), "moderator");
}

}  // namespace
}  // namespace rt

namespace rt {
namespace {

TEST(Cli, ExportIntoAClosedPipeStopsQuietly) {
  testing::TempDir dir;
  std::string db = testing::TestDatabase(dir);
  std::string mbox = dir.File("a.mbox");
  ASSERT_EQ(std::system(("python3 " ROUNDTABLE_SOURCE_DIR "/bench/gen_archive.py --messages 2000 --seed 3 --format mbox --out " +
                         mbox + " >/dev/null").c_str()), 0);
  ASSERT_EQ(testing::RunRoundtable({"import", "--db", db, mbox}).exit_code, 0);
  std::string cmd = "bash -c '" ROUNDTABLE_BIN " export jsonl --db " + db + " - 2>" + dir.File("err") +
                    " | head -c 100 >/dev/null; exit ${PIPESTATUS[0]}'";
  int status = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(testing::ReadFile(dir.File("err")), "");
}

}  // namespace
}  // namespace rt
