#pragma once
// The roundtable commands, each a plain function from parsed arguments to an exit
// code, so main.cc alone knows about the command-line parser.

#include <optional>
#include <string>
#include <vector>

namespace rt {

/// Exit codes, documented in docs/CLI.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,     ///< a bug or an unexpected system failure
  kExitUsage = 2,        ///< wrong arguments
  kExitInput = 3,        ///< an input path is missing, unreadable or not an archive
  kExitDatabase = 4,     ///< the database cannot be opened, is locked, or failed
  kExitQuarantined = 5,  ///< import finished, but some messages were quarantined
  kExitNotFound = 6,     ///< the message asked for does not exist
  kExitExists = 7,       ///< the file to create exists already (backup never overwrites)
};

struct ImportArgs {
  std::string db;
  std::string forum = "main";
  std::string list;
  std::string rules;
  std::vector<std::string> paths;
  unsigned workers = 0;
  bool progress = true;
};
int RunImport(const ImportArgs& args);

struct SearchArgs {
  std::string db;
  std::string query;
  int limit = 20;
  int offset = 0;
  bool json = false;
};
int RunSearch(const SearchArgs& args);

struct ExportArgs {
  std::string db;
  std::string format;  ///< "mbox" or "jsonl"
  std::string forum;
  std::string list;
  std::string out;     ///< "-" for standard output
};
int RunExport(const ExportArgs& args);

struct StatsArgs {
  std::string db;
  bool json = false;
};
int RunStats(const StatsArgs& args);

struct ThreadArgs {
  std::string db;
  std::string message_id;
};
int RunThread(const ThreadArgs& args);

struct ServeArgs {
  std::string db;
  std::string listen = "127.0.0.1:8080";  ///< HOST:PORT, [IPv6]:PORT or :PORT
  std::string public_url;                 ///< default http://LISTEN
  unsigned threads = 0;                   ///< 0: one per core
  std::string access_log = "-";           ///< file, "-" for stderr, "off"
  double rate_limit = 50;                 ///< requests per second per client IP; 0: none
  std::vector<std::string> trusted_proxies;  ///< reverse proxies whose X-Forwarded-For is believed
  unsigned max_connections = 4096;
  std::size_t cache_mib = 16;
  int db_cache_mib = 32;                  ///< SQLite page cache per database connection
  std::string lmtp;         ///< HOST:PORT for the MTA's list mail; "" for none
  std::string smtp;         ///< HOST:PORT of the relay that sends the list's mail; "" keeps it queued
  int smtp_rate = 0;        ///< copies per second to the relay at most; 0: its own pace
  int smtp_busy_rate = 200; ///< the same while the web server is saturated; 0: no limit
  std::string mail_domain;  ///< domain of web posts' Message-IDs and of lists without an address
  std::string site_address; ///< sender of the site's own mail (default roundtable@MAIL_DOMAIN)
  int held_first_posts = 1; ///< a new account's first posts wait for a moderator
  int posts_per_hour = 20;  ///< per account and address; more are held
  int digest_hour = 0;      ///< UTC hour of the daily digests; -1: none (cron runs `digest`)
  int bounces_to_disable = 5;  ///< BounceRules::disable_after
};
/// Serves the web archive and the API until SIGTERM/SIGINT.
int RunServe(const ServeArgs& args);

struct UserArgs {
  std::string db;
  std::string action;  ///< "add", "list", "role" or "verify"
  std::string email;
  std::string name, group = "unknown", country, affiliation, languages;
  bool password_stdin = false;  ///< add: read the password from the first line of stdin
  bool verified = false;        ///< add: the address is known to be theirs
  bool json = false;            ///< list
  std::string role;             ///< role: participant, moderator or secretariat
  std::string forum = "main", list;
  bool remove = false;          ///< role, verify: take it back
};
/// roundtable user add|list|role: accounts for the secretariat.
int RunUser(const UserArgs& args);

struct ListArgs {
  std::string db;
  std::string action;  ///< "create" or "set"
  std::string forum = "main", name;
  std::optional<std::string> address, description;
  std::optional<bool> moderated;
};
/// roundtable list create|set: lists and their settings.
int RunList(const ListArgs& args);

struct SubscribeArgs {
  std::string db;
  std::string forum = "main", list, address, mode = "each";
};
/// roundtable subscribe: adds an address to a list, or changes its delivery mode.
int RunSubscribe(const SubscribeArgs& args);

struct DigestArgs {
  std::string db;
  std::string public_url = "http://127.0.0.1:8080";
  std::string mail_domain;
};
/// roundtable digest: queues every list's digest now (a running server sends them).
int RunDigest(const DigestArgs& args);

struct BackupArgs {
  std::string db;
  std::string destination;  ///< a new file; never overwritten
};
/// roundtable backup: a consistent copy of the database while it is in use (SQLite's
/// online backup, or pg_dump's custom format for PostgreSQL).
int RunBackup(const BackupArgs& args);

struct ReindexArgs {
  std::string db;
};
/// roundtable reindex: rebuilds the search index from the stored messages, in one
/// transaction (after an upgrade that changes how words are indexed).
int RunReindex(const ReindexArgs& args);

struct DbCopyArgs {
  std::string from;
  std::string to;
};
/// roundtable db copy: the whole database into a new one (SQLite to PostgreSQL, typically),
/// verified by row counts and checksums.
int RunDbCopy(const DbCopyArgs& args);

}  // namespace rt
