#pragma once
// One database connection per concurrent request: a Store is not thread-safe, and
// SQLite in WAL mode lets any number of readers run beside the importer.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace rt {

class StorePool {
 public:
  StorePool(std::string location, StoreOptions options) : location_(std::move(location)), options_(options) {}

  /// A store for this request, back in the pool when the handle is destroyed.
  using Handle = std::unique_ptr<Store, std::function<void(Store*)>>;
  Result<Handle> Acquire();

  /// Whether the archive may have changed since the last call: asked of one watching
  /// connection (SQLite's data_version), so one commit is noticed once, and without
  /// borrowing a reader. True on the first call, and when the watcher cannot tell.
  bool ArchiveChanged();
  /// The next ArchiveChanged() asks the watcher even within the millisecond: after this
  /// server's own write, which the next request may well want to see.
  void LookAgain();

 private:
  std::string location_;
  StoreOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Store>> idle_;
  std::mutex watch_mu_;
  std::unique_ptr<Store> watcher_;   ///< GUARDED_BY(watch_mu_)
  std::optional<std::int64_t> last_seen_;  ///< its last ChangeCounter(), GUARDED_BY(watch_mu_)
  std::chrono::steady_clock::time_point last_look_;  ///< GUARDED_BY(watch_mu_)
  static constexpr std::chrono::milliseconds kLookInterval{1};
};

}  // namespace rt
