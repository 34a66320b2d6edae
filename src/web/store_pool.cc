#include "web/store_pool.h"

namespace rt {

Result<StorePool::Handle> StorePool::Acquire() {
  std::unique_ptr<Store> store;
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      store = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!store) {
    Result<std::unique_ptr<Store>> opened = Store::Open(location_, options_);
    if (!opened.ok()) return opened.status();
    store = std::move(opened.value());
  }
  return Handle(store.release(), [this](Store* s) {
    std::lock_guard lock(mu_);
    idle_.emplace_back(s);
  });
}

void StorePool::LookAgain() {
  std::lock_guard lock(watch_mu_);
  last_look_ = {};
}

bool StorePool::ArchiveChanged() {
  std::lock_guard lock(watch_mu_);
  // One look a millisecond at most: a burst of requests shares it, and a writer that
  // commits a thousand times a second (the mail queue) costs readers nothing more.
  auto look = std::chrono::steady_clock::now();
  if (last_seen_ && look - last_look_ < kLookInterval) return false;
  last_look_ = look;
  if (!watcher_) {
    Result<std::unique_ptr<Store>> opened = Store::Open(location_, StoreOptions{1});
    if (!opened.ok()) return true;
    watcher_ = std::move(opened.value());
  }
  Result<std::int64_t> now = watcher_->ChangeCounter();
  if (!now.ok()) return true;
  bool changed = !last_seen_ || *last_seen_ != now.value();
  last_seen_ = now.value();
  return changed;
}

}  // namespace rt
