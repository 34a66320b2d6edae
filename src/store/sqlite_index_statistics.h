#pragma once
// What BM25 needs to know about the SQLite message index besides a query's matches,
// kept in memory and shared by every connection of the process to one database file.
//
// FTS5 stores no document frequencies, and finds a document's length with a b-tree
// lookup per ranked row: together more than half of a search's time. Lengths never
// change except when a message is edited (message_edits records which) or the whole
// index is rebuilt (a mark in settings), and messages are never deleted, so the table
// follows the archive by reading what is new since the last look. Frequencies are
// estimates anyway (see SqliteStore::RankArguments); one is reused until the archive has
// grown by kFrequencyDrift.
//
// Thread-safe. Snapshots are immutable: a search keeps the one it started with.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sql_connection.h"
#include "util/status.h"

namespace rt {

class SqliteIndexStatistics {
 public:
  /// Tokens per indexed message, by message id; 0 where unknown (a message indexed
  /// after the snapshot: the ranking function then asks FTS5).
  using Lengths = std::vector<std::uint32_t>;

  /// The statistics of the database at `path`, shared with every other caller naming
  /// the same file (a private instance for ":memory:" and other unnamed databases).
  static std::shared_ptr<SqliteIndexStatistics> ForDatabase(const std::string& path);

  /// Document lengths as of `archive_version` (Store::ChangeCounter) or later, read
  /// through `db` when the archive has changed since the last call.
  Result<std::shared_ptr<const Lengths>> DocumentLengths(SqlConnection& db, std::int64_t archive_version);

  /// A frequency remembered for `term` while the newest message id is `max_id`.
  std::optional<double> DocumentFrequency(const std::string& term, std::int64_t max_id);
  void RememberDocumentFrequency(const std::string& term, std::int64_t max_id, double frequency);

 private:
  struct Frequency {
    double value;
    std::int64_t max_id;  // the newest message when it was estimated
  };

  std::mutex mutex_;
  std::shared_ptr<const Lengths> lengths_ = std::make_shared<Lengths>();
  std::optional<std::int64_t> synced_version_;
  std::int64_t last_edit_ = 0;  // message_edits rows already applied
  std::string rebuilt_;         // the index's rebuild mark when last read
  std::unordered_map<std::string, Frequency> frequencies_;
};

}  // namespace rt
