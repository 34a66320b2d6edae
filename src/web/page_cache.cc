#include "web/page_cache.h"

#include <algorithm>

#include "util/compression.h"
#include "util/gzip.h"

namespace rt {

namespace {

// Below this, gzip's header and a round trip of CPU are not worth it.
constexpr std::size_t kMinGzipBytes = 512;

bool Compressible(const std::string& content_type) {
  return content_type.rfind("text/", 0) == 0 || content_type.find("json") != std::string::npos ||
         content_type.find("xml") != std::string::npos || content_type.find("javascript") != std::string::npos ||
         content_type.find("svg") != std::string::npos;
}

std::size_t Weight(const std::string& key, const CachedBody& body) {
  return key.size() + body.plain.size() + body.gzip.size() + body.content_type.size() + 128;
}

}  // namespace

std::shared_ptr<const CachedBody> MakeCachedBody(std::string content_type, std::string plain,
                                                 std::int64_t last_modified, bool compress) {
  auto body = std::make_shared<CachedBody>();
  body->etag = "\"" + ContentHash(plain).substr(0, 20) + "\"";
  if (compress && plain.size() >= kMinGzipBytes && Compressible(content_type)) body->gzip = GzipCompress(plain);
  body->content_type = std::move(content_type);
  body->plain = std::move(plain);
  body->last_modified = last_modified;
  return body;
}

std::shared_ptr<const CachedBody> PageCache::Find(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->body;
}

std::uint64_t PageCache::generation() {
  std::lock_guard lock(mu_);
  return generation_;
}

void PageCache::Insert(const std::string& key, std::shared_ptr<const CachedBody> body, std::uint64_t rendered_in) {
  std::size_t weight = Weight(key, *body);
  if (weight > max_bytes_ / 8) return;  // one huge page must not flush everything else
  std::lock_guard lock(mu_);
  if (rendered_in != generation_) return;
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= Weight(key, *it->second->body);
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front({key, std::move(body)});
  index_[key] = lru_.begin();
  bytes_ += weight;
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    Entry& last = lru_.back();
    bytes_ -= Weight(last.key, *last.body);
    index_.erase(last.key);
    lru_.pop_back();
  }
}

void PageCache::NewGeneration(std::int64_t unix_seconds) {
  std::lock_guard lock(mu_);
  ++generation_;
  std::int64_t previous = generation_time_.load();
  if (generation_ > 1 && unix_seconds <= previous) shared_second_ = previous;
  generation_time_ = std::max(unix_seconds, previous);
  lru_.clear();
  index_.clear();
  bytes_ = 0;
}

}  // namespace rt
