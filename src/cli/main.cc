// roundtable: the command line. Parses arguments with CLI11 and hands each command
// its plain argument struct (commands.h).

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "mime/mime_parser.h"
#include "store/sqlite_connection.h"

namespace {

constexpr const char* kDefaultDb = "./data/roundtable.db";

void AddDbOption(CLI::App* command, std::string* db) {
  command->add_option("--db", *db,
                      "The database: a SQLite file (or sqlite:PATH) or a PostgreSQL URL (postgresql://...)"
                      " (default ./data/roundtable.db)")
      ->envname("ROUNDTABLE_DB")
      ->default_val(kDefaultDb);
}

}  // namespace

int main(int argc, char** argv) {
  rt::InitMime();
  rt::ConfigureSqlite();
  CLI::App app{"Roundtable: mailing-list archives for open, multi-stakeholder policy work"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "roundtable 0.1");
  int exit_code = rt::kExitOk;

  rt::ImportArgs import;
  CLI::App* import_cmd = app.add_subcommand(
      "import", "Import mbox (also gzip'd), Maildir, .eml and Mailman pipermail archives; formats are detected by content");
  AddDbOption(import_cmd, &import.db);
  import_cmd->add_option("--forum", import.forum, "Forum slug to import into")->default_val("main");
  import_cmd->add_option("--list", import.list, "List name (default: from List-Id or the [tag] in the subject)");
  import_cmd->add_option("--rules", import.rules, "Stakeholder rules file mapping address domains to groups")
      ->check(CLI::ExistingFile);
  import_cmd->add_option("--workers", import.workers, "Parser threads (default: one per core)")
      ->check(CLI::Range(0u, 64u));
  import_cmd->add_flag("!--no-progress", import.progress, "No progress bar, even on a terminal");
  import_cmd->add_option("PATH", import.paths, "Files or directories to import")->required();
  import_cmd->callback([&] { exit_code = rt::RunImport(import); });

  rt::SearchArgs search;
  CLI::App* search_cmd = app.add_subcommand(
      "search", "Search the archive: words, \"phrases\", from:, list:, subject:, before:/after:YYYY-MM-DD, -word");
  AddDbOption(search_cmd, &search.db);
  search_cmd->add_flag("--json", search.json, "One JSON object per hit");
  search_cmd->add_option("--limit", search.limit, "Hits to show")->default_val(20)->check(CLI::Range(1, 10000));
  search_cmd->add_option("--offset", search.offset, "Hits to skip (for paging)")->default_val(0)->check(CLI::NonNegativeNumber);
  std::vector<std::string> words;
  search_cmd->add_option("QUERY", words, "The search; several arguments are joined with spaces")->required();
  search_cmd->callback([&] {
    for (const std::string& w : words) search.query += (search.query.empty() ? "" : " ") + w;
    exit_code = rt::RunSearch(search);
  });

  rt::ExportArgs exp;
  CLI::App* export_cmd = app.add_subcommand("export", "Export the archive as mboxrd or JSON lines");
  export_cmd->require_subcommand(1);
  for (const char* format : {"mbox", "jsonl"}) {
    CLI::App* sub = export_cmd->add_subcommand(
        format, std::string(format) == "mbox" ? "mboxrd; each message byte-identical to the one imported"
                                              : "One JSON object per message, for tools");
    AddDbOption(sub, &exp.db);
    sub->add_option("--forum", exp.forum, "Only this forum");
    sub->add_option("--list", exp.list, "Only this list");
    sub->add_option("OUT", exp.out, "Output file, or - for standard output")->required();
    sub->callback([&, format] {
      exp.format = format;
      exit_code = rt::RunExport(exp);
    });
  }

  rt::StatsArgs stats;
  CLI::App* stats_cmd = app.add_subcommand("stats", "Messages, threads, people and quarantine, per list, year and stakeholder group");
  AddDbOption(stats_cmd, &stats.db);
  stats_cmd->add_flag("--json", stats.json, "One JSON object");
  stats_cmd->callback([&] { exit_code = rt::RunStats(stats); });

  rt::ThreadArgs thread;
  CLI::App* thread_cmd = app.add_subcommand("thread", "Show the thread containing a message as an indented tree");
  AddDbOption(thread_cmd, &thread.db);
  thread_cmd->add_option("MESSAGE_ID", thread.message_id, "Message-ID, with or without <>")->required();
  thread_cmd->callback([&] { exit_code = rt::RunThread(thread); });

  rt::ServeArgs serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Serve the archive on the web and the JSON API (/api/v1)");
  AddDbOption(serve_cmd, &serve.db);
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on")->default_val("127.0.0.1:8080");
  serve_cmd->add_option("--public-url", serve.public_url, "Base URL readers use, for feeds (default http://LISTEN)");
  serve_cmd->add_option("--threads", serve.threads, "Server threads (default: one per core)")->check(CLI::Range(0u, 256u));
  serve_cmd->add_option("--access-log", serve.access_log, "Access log file (JSON lines), - for stderr, off for none")
      ->default_val("-");
  serve_cmd->add_option("--rate-limit", serve.rate_limit, "Requests per second per client address (0: no limit)")
      ->default_val(50)->check(CLI::Range(0.0, 1e9));
  serve_cmd->add_option("--trusted-proxy", serve.trusted_proxies,
                        "A reverse proxy (address or CIDR range, repeatable) whose X-Forwarded-For names the client,"
                        " for rate limits and the access log, e.g. 127.0.0.1 behind a local nginx");
  serve_cmd->add_option("--max-connections", serve.max_connections, "Open connections at most")
      ->default_val(4096)->check(CLI::Range(1u, 1000000u));
  serve_cmd->add_option("--cache-mib", serve.cache_mib, "Memory for rendered pages, MiB")->default_val(16)
      ->check(CLI::Range(1, 4096));
  serve_cmd->add_option("--lmtp", serve.lmtp, "HOST:PORT to take list mail from the MTA over LMTP");
  serve_cmd->add_option("--smtp", serve.smtp, "HOST:PORT of the SMTP relay for outgoing mail (default: keep it queued)");
  serve_cmd->add_option("--mail-domain", serve.mail_domain,
                        "Mail domain: Message-IDs of web posts, lists without their own address (default: the host of --public-url)");
  serve_cmd->add_option("--site-address", serve.site_address, "Sender of the site's own mail (default roundtable@MAIL_DOMAIN)");
  serve_cmd->add_option("--held-first-posts", serve.held_first_posts, "A new account's first posts, and a subscriber's first mail, wait for a moderator")
      ->default_val(1)
      ->check(CLI::Range(0, 1000));
  serve_cmd->add_option("--posts-per-hour", serve.posts_per_hour,
                        "Posts per hour per account and per address; more wait for a moderator")
      ->default_val(20)
      ->check(CLI::Range(1, 1000000));
  serve_cmd->add_option("--bounces-to-disable", serve.bounces_to_disable,
                        "Days with a failed delivery (within a week of each other) that stop a subscriber's mail")
      ->default_val(5)
      ->check(CLI::Range(1, 1000));
  serve_cmd->add_option("--smtp-rate", serve.smtp_rate,
                        "Copies handed to the relay per second at most (0: as fast as it takes them)")
      ->default_val(0)
      ->check(CLI::Range(0, 1000000));
  serve_cmd->add_option("--smtp-busy-rate", serve.smtp_busy_rate,
                        "Copies handed to the relay per second at most while every web thread is busy (0: no limit)")
      ->default_val(200)
      ->check(CLI::Range(0, 1000000));
  serve_cmd->add_option("--digest-hour", serve.digest_hour, "UTC hour of the daily digests (-1: none)")
      ->default_val(0)
      ->check(CLI::Range(-1, 23));
  serve_cmd->add_option("--db-cache-mib", serve.db_cache_mib, "SQLite page cache per connection, MiB")
      ->default_val(32)->check(CLI::Range(1, 4096));
  serve_cmd->callback([&] { exit_code = rt::RunServe(serve); });

  rt::UserArgs user;
  CLI::App* user_cmd = app.add_subcommand("user", "Accounts: add, list, verify, and give or take back roles");
  user_cmd->require_subcommand(1);
  CLI::App* user_add = user_cmd->add_subcommand("add", "Add an account");
  AddDbOption(user_add, &user.db);
  user_add->add_option("EMAIL", user.email, "The account's address")->required();
  user_add->add_option("--name", user.name, "Display name");
  user_add->add_option("--group", user.group,
                       "Declared stakeholder group: government, private-sector, civil-society, technical-community,"
                       " academia, intergovernmental, other")->default_val("unknown");
  user_add->add_option("--country", user.country, "ISO 3166 country code, e.g. KE");
  user_add->add_option("--affiliation", user.affiliation, "Organisation");
  user_add->add_option("--languages", user.languages, "Languages, e.g. en,fr");
  user_add->add_flag("--password-stdin", user.password_stdin, "Read a password from the first line of standard input");
  user_add->add_flag("--verified", user.verified, "The address is known to belong to them");
  user_add->callback([&] {
    user.action = "add";
    exit_code = rt::RunUser(user);
  });
  CLI::App* user_list = user_cmd->add_subcommand("list", "List the accounts and their roles");
  AddDbOption(user_list, &user.db);
  user_list->add_flag("--json", user.json, "One JSON object per account");
  user_list->callback([&] {
    user.action = "list";
    exit_code = rt::RunUser(user);
  });
  CLI::App* user_role = user_cmd->add_subcommand(
      "role", "Make an account moderator of a list or secretariat of a forum (participant: neither)");
  AddDbOption(user_role, &user.db);
  user_role->add_option("EMAIL", user.email, "The account's address")->required();
  user_role->add_option("ROLE", user.role, "participant, moderator or secretariat")->required();
  user_role->add_option("--forum", user.forum, "Forum slug")->default_val("main");
  user_role->add_option("--list", user.list, "List (for moderator)");
  user_role->add_flag("--remove", user.remove, "Take the role back");
  user_role->callback([&] {
    user.action = "role";
    exit_code = rt::RunUser(user);
  });

  CLI::App* user_verify = user_cmd->add_subcommand(
      "verify", "Vouch for an account's declared stakeholder group (e.g. a government delegate)");
  AddDbOption(user_verify, &user.db);
  user_verify->add_option("EMAIL", user.email, "The account's address")->required();
  user_verify->add_flag("--remove", user.remove, "Withdraw the verification");
  user_verify->callback([&] {
    user.action = "verify";
    exit_code = rt::RunUser(user);
  });

  rt::ListArgs list;
  std::string list_address, list_description, list_moderated;
  CLI::App* list_cmd = app.add_subcommand("list", "Mailing lists: create one, or change its settings");
  list_cmd->require_subcommand(1);
  for (const char* action : {"create", "set"}) {
    CLI::App* sub = list_cmd->add_subcommand(action, std::string(action) == "create" ? "Create a list"
                                                                                     : "Change a list's settings");
    AddDbOption(sub, &list.db);
    sub->add_option("NAME", list.name, "List name")->required();
    sub->add_option("--forum", list.forum, "Forum slug (created when missing)")->default_val("main");
    CLI::Option* address = sub->add_option("--address", list_address, "Posting address, e.g. policy@lists.example.org");
    CLI::Option* description = sub->add_option("--description", list_description, "One line about the list");
    CLI::Option* moderated = sub->add_option("--moderated", list_moderated, "yes: every post is held for a moderator")
                                 ->check(CLI::IsMember({"yes", "no"}));
    sub->callback([&, action, address, description, moderated] {
      list.action = action;
      if (address->count()) list.address = list_address;
      if (description->count()) list.description = list_description;
      if (moderated->count()) list.moderated = list_moderated == "yes";
      exit_code = rt::RunList(list);
    });
  }

  rt::SubscribeArgs subscribe;
  CLI::App* subscribe_cmd = app.add_subcommand("subscribe", "Subscribe an address to a list, or change its delivery mode");
  AddDbOption(subscribe_cmd, &subscribe.db);
  subscribe_cmd->add_option("--forum", subscribe.forum, "Forum slug")->default_val("main");
  subscribe_cmd->add_option("--list", subscribe.list, "List name")->required();
  subscribe_cmd->add_option("--mode", subscribe.mode, "each (every message), digest (daily, MIME), digest-plain (daily, plain text) or none (web only)")
      ->default_val("each")->check(CLI::IsMember({"each", "digest", "digest-plain", "none"}));
  subscribe_cmd->add_option("ADDRESS", subscribe.address, "The subscriber's address")->required();
  subscribe_cmd->callback([&] { exit_code = rt::RunSubscribe(subscribe); });

  rt::DigestArgs digest;
  CLI::App* digest_cmd = app.add_subcommand("digest", "Queue every list's digest of the posts since its last one, now");
  AddDbOption(digest_cmd, &digest.db);
  digest_cmd->add_option("--public-url", digest.public_url, "Base URL of the archive, for links in the digests")
      ->default_val("http://127.0.0.1:8080");
  digest_cmd->add_option("--mail-domain", digest.mail_domain, "Mail domain of lists without their own address");
  digest_cmd->callback([&] { exit_code = rt::RunDigest(digest); });

  rt::BackupArgs backup;
  CLI::App* backup_cmd = app.add_subcommand(
      "backup", "Back up the database while it is in use into a new file (SQLite: online copy; PostgreSQL: pg_dump)");
  AddDbOption(backup_cmd, &backup.db);
  backup_cmd->add_option("DEST", backup.destination, "The backup file to create; an existing file is never overwritten")
      ->required();
  backup_cmd->footer(
      "SQLite: copies one consistent snapshot with SQLite's online backup API while servers and imports\n"
      "keep writing, and checks the copy with PRAGMA integrity_check. Restore: stop every roundtable\n"
      "process, delete the database's -wal and -shm files, copy DEST over the database file.\n"
      "PostgreSQL (--db postgresql://...): runs pg_dump --format=custom. Restore into an empty\n"
      "database: pg_restore --dbname=URL DEST\n"
      "The backup is written to DEST.tmp and renamed to DEST only when complete and synced.");
  backup_cmd->callback([&] { exit_code = rt::RunBackup(backup); });

  rt::ReindexArgs reindex;
  CLI::App* reindex_cmd =
      app.add_subcommand("reindex", "Build the search index again from the stored messages (after an upgrade)");
  AddDbOption(reindex_cmd, &reindex.db);
  reindex_cmd->footer(
      "One transaction: searches keep the old index until it commits, and an interrupted rebuild\n"
      "leaves the old one. Needed after upgrading from a version that indexed Chinese or Japanese\n"
      "text as whole runs (before 2026-11-24); it also merges the index, which speeds up searches\n"
      "in archives imported before 2026-11-23. About 6 s per 100,000 messages on 2 cores.");
  reindex_cmd->callback([&] { exit_code = rt::RunReindex(reindex); });

  rt::DbCopyArgs copy;
  CLI::App* db_cmd = app.add_subcommand("db", "Move the whole database to another one");
  db_cmd->require_subcommand(1);
  CLI::App* copy_cmd = db_cmd->add_subcommand(
      "copy", "Copy every forum, list, message, person and account into a new database, and prove the copy");
  copy_cmd->add_option("--from", copy.from, "The database to copy (sqlite:PATH, a path, or postgresql://...)")
      ->required();
  copy_cmd->add_option("--to", copy.to, "The new, empty database (postgresql://... or sqlite:PATH)")->required();
  copy_cmd->footer(
      "Every table's rows and a checksum of them are compared on both sides before the copy is\n"
      "committed, in one transaction: an interrupted or failed copy leaves the target as it was.\n"
      "The search index is rebuilt from the stored texts. The source may stay in use meanwhile\n"
      "(one snapshot of it is copied); stop writing to it before switching servers over.");
  copy_cmd->callback([&] { exit_code = rt::RunDbCopy(copy); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? rt::kExitOk : rt::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "roundtable: internal error: %s\n", e.what());
    return rt::kExitInternal;
  }
  return exit_code;
}
