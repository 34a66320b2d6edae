#pragma once
// Group commit for the mail gateway: posts and held messages from many LMTP
// connections are written together, so one fsync covers a batch. Each caller waits until
// its own message is durable; only then may the MTA be told "250".

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/intake.h"

namespace rt {

/// What became of one message: stored (and queued to the list), held, or not written.
struct CommitResult {
  Status status;
  bool held = false;
  PostOutcome post;  ///< when stored
};

class CommitQueue {
 public:
  static constexpr std::size_t kMaxBatch = 256;

  /// Opens its own connection with durable commits. Throws std::runtime_error when the
  /// database cannot be opened.
  explicit CommitQueue(const std::string& db);
  /// Writes what is pending, then stops.
  ~CommitQueue();
  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  /// Queues one intake; the future is ready once it is durable (or failed).
  std::future<CommitResult> Submit(Intake intake);

 private:
  struct Pending {
    Intake intake;
    std::promise<CommitResult> done;
  };
  void Run();
  void Write(std::deque<Pending>& batch);

  std::unique_ptr<Store> store_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> pending_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace rt
