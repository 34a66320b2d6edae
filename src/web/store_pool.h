#pragma once
// One database connection per concurrent request: a Store is not thread-safe, and
// SQLite in WAL mode lets any number of readers run beside the importer.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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

  /// Whether the archive may have changed since this store last looked: true when
  /// another connection committed since, and for a store's first look (a new
  /// connection cannot tell what happened before it).
  bool ArchiveChanged(Store* store);

 private:
  std::string location_;
  StoreOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Store>> idle_;
  std::map<Store*, std::int64_t> last_seen_;  ///< ChangeCounter() per store, under mu_
};

}  // namespace rt
