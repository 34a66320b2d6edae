#pragma once
// How many posts an account or address made in the last hour, per server process.
// Thread-safe. Memory is bounded: beyond kMaxKeys the oldest keys are forgotten.

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rt {

class RateWindow {
 public:
  static constexpr std::size_t kMaxKeys = 100000;
  static constexpr std::int64_t kWindowSeconds = 3600;

  /// Posts by `key` in the hour before `now`, then counts one more at `now`.
  int CountAndAdd(const std::string& key, std::int64_t now);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<std::int64_t>> times_;
};

}  // namespace rt
