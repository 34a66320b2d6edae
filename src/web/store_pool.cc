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

bool StorePool::ArchiveChanged(Store* store) {
  Result<std::int64_t> now = store->ChangeCounter();
  if (!now.ok()) return true;
  std::lock_guard lock(mu_);
  auto [it, first_look] = last_seen_.try_emplace(store, now.value());
  if (first_look) return true;
  bool changed = it->second != now.value();
  it->second = now.value();
  return changed;
}

}  // namespace rt
