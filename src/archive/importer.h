#pragma once
// `roundtable import`: any mix of archives into the store, streaming, in parallel,
// idempotent.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/store.h"

namespace rt {

struct ImportProgress {
  std::uint64_t messages = 0;     ///< read from the sources so far
  std::uint64_t bytes_done = 0;   ///< of all inputs, on disk
  std::uint64_t bytes_total = 0;  ///< of all inputs, on disk
  double seconds = 0;
};

struct ImportOptions {
  ImportTarget target;
  unsigned workers = 0;             ///< parser threads; 0: one per core
  /// Messages per transaction, at most. Each commit writes FTS5's pending terms out as a
  /// segment and rewrites every index page the batch touched (keys such as Message-IDs
  /// land all over their indexes): 2,000 write a sixth fewer WAL frames than 1,000.
  /// Batches wait for the writer holding only compressed text, so 2,000 peak at about
  /// the memory 1,000 took when they held the raw bytes too.
  std::size_t batch_messages = 2000;
  /// Raw bytes per transaction, at most, so memory stays flat however large the messages:
  /// 2,000 messages of 6 KB fit; 300 with 1 MB attachments peak at 266 MB (16 MiB: 294).
  std::size_t batch_bytes = 12 << 20;
  /// Bytes held between reading and writing, at most (plus a batch): raw messages, then
  /// their compressed forms and index terms, by string capacity. Reading waits while
  /// more is held. The bench corpus reaches it at moments, at no cost in speed; 4,000
  /// messages of 65 KB of distinct words (index terms as large as the text) peaked at
  /// 454 MB before it, 262 MB with it.
  std::size_t held_bytes = 64 << 20;
  /// Called on the writing thread after each batch is committed.
  std::function<void(const ImportProgress&)> on_progress;
};

struct ImportReport {
  ImportCounts counts;
  std::vector<std::string> input_errors;  ///< paths that could not be read or are no archive
  std::vector<std::string> skipped;       ///< files inside directories that hold no mail
  std::uint64_t bytes = 0;
  double seconds = 0;
};

/// Imports every path: files of any supported format (detected by content), Maildirs,
/// and directories (walked recursively, sorted by name). Messages already stored are
/// counted as duplicates, so re-running after an interruption completes the job.
/// An unreadable or unrecognised path is recorded in report->input_errors and the
/// others are still imported. Returns a non-ok Status only when the store fails
/// (then the last committed batch is the end of what was stored).
Status Import(Store& store, const std::vector<std::string>& paths, const ImportOptions& options,
              ImportReport* report);

}  // namespace rt
