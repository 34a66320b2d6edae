#include "gateway/rate_window.h"

namespace rt {

int RateWindow::CountAndAdd(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mu_);
  if (times_.size() >= kMaxKeys && !times_.count(key)) {
    // Forget keys with nothing in the window; failing that, start afresh (a flood of
    // distinct senders is a problem the MTA's own limits deal with).
    std::erase_if(times_, [&](const auto& entry) { return entry.second.back() <= now - kWindowSeconds; });
    if (times_.size() >= kMaxKeys) times_.clear();
  }
  std::deque<std::int64_t>& times = times_[key];
  while (!times.empty() && times.front() <= now - kWindowSeconds) times.pop_front();
  int count = static_cast<int>(times.size());
  times.push_back(now);
  return count;
}

}  // namespace rt
