#pragma once
// Bytes held by a pipeline, with a ceiling that only its source waits on.

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace rt {

/// Thread-safe. The source Adds what it brings in and waits in WaitForRoom before
/// bringing more; the stages after it Add and Release as their data changes form and
/// leaves, and never wait, so the pipeline always drains and the source always wakes.
/// Memory then stays near the limit however large each piece of work turns out to be.
class ByteBudget {
 public:
  explicit ByteBudget(std::size_t limit) : limit_(limit) {}
  ByteBudget(const ByteBudget&) = delete;
  ByteBudget& operator=(const ByteBudget&) = delete;

  void Add(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    held_ += bytes;
  }

  void Release(std::size_t bytes) {
    std::lock_guard lock(mutex_);
    held_ -= bytes < held_ ? bytes : held_;
    if (held_ < limit_) room_.notify_all();
  }

  /// Blocks while the limit or more is held and Close was not called.
  void WaitForRoom() {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return closed_ || held_ < limit_; });
  }

  /// Wakes the source for good: the pipeline is stopping.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    room_.notify_all();
  }

 private:
  const std::size_t limit_;
  std::mutex mutex_;
  std::condition_variable room_;
  std::size_t held_ = 0;  // GUARDED_BY(mutex_)
  bool closed_ = false;   // GUARDED_BY(mutex_)
};

}  // namespace rt
