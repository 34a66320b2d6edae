#include "gateway/commit_queue.h"

#include <stdexcept>

namespace rt {

CommitQueue::CommitQueue(const std::string& db) {
  StoreOptions options;
  options.cache_mib = 16;
  options.durable_commits = true;
  Result<std::unique_ptr<Store>> store = Store::Open(db, options);
  if (!store.ok()) throw std::runtime_error(store.status().message());
  store_ = std::move(store.value());
  writer_ = std::thread([this] { Run(); });
}

CommitQueue::~CommitQueue() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

std::future<CommitResult> CommitQueue::Submit(Intake intake) {
  std::future<CommitResult> result;
  {
    std::lock_guard lock(mu_);
    pending_.push_back({std::move(intake), {}});
    result = pending_.back().done.get_future();
  }
  wake_.notify_one();
  return result;
}

void CommitQueue::Run() {
  for (;;) {
    std::deque<Pending> batch;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, nothing left
      while (!pending_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
    }
    Write(batch);
  }
}

void CommitQueue::Write(std::deque<Pending>& batch) {
  // Posts in one transaction, held messages in another: two fsyncs for the whole batch.
  std::vector<NewPost> posts;
  std::vector<HeldMessage> held;
  std::vector<Pending*> post_owners, held_owners;
  for (Pending& p : batch) {
    if (NewPost* post = std::get_if<NewPost>(&p.intake)) {
      posts.push_back(std::move(*post));
      post_owners.push_back(&p);
    } else {
      held.push_back(std::move(std::get<HeldMessage>(p.intake)));
      held_owners.push_back(&p);
    }
  }
  if (!posts.empty()) {
    Result<std::vector<PostOutcome>> stored = store_->Post(posts);
    if (stored.ok()) {
      for (std::size_t i = 0; i < posts.size(); ++i) post_owners[i]->done.set_value({Status::Ok(), false, stored.value()[i]});
    } else {
      // One bad post must not fail the others: write them one by one.
      for (std::size_t i = 0; i < posts.size(); ++i) {
        std::vector<NewPost> one;
        one.push_back(std::move(posts[i]));
        Result<std::vector<PostOutcome>> single = store_->Post(one);
        post_owners[i]->done.set_value(single.ok() ? CommitResult{Status::Ok(), false, single.value().front()}
                                                   : CommitResult{single.status(), false, {}});
      }
    }
  }
  if (!held.empty()) {
    Result<std::vector<std::int64_t>> stored = store_->Hold(held);
    if (stored.ok()) {
      for (Pending* p : held_owners) p->done.set_value({Status::Ok(), true, {}});
    } else {
      for (std::size_t i = 0; i < held.size(); ++i) {
        Result<std::vector<std::int64_t>> single = store_->Hold({held[i]});
        held_owners[i]->done.set_value({single.status(), true, {}});
      }
    }
  }
}

}  // namespace rt
