#pragma once
// Rendered responses kept in memory, so a popular thread costs one render per archive
// change instead of one per reader. Bounded in bytes, least recently used out first,
// and emptied whenever the archive changes (a new generation).

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rt {

/// A response body in the two encodings a client may take, with its validator.
struct CachedBody {
  std::string content_type;
  std::string plain;
  std::string gzip;  ///< empty: not worth compressing
  std::string etag;  ///< quoted strong validator of `plain`
  std::int64_t last_modified = 0;  ///< Unix seconds
};

/// Builds the cached form of a body: ETag, and gzip for text worth compressing.
/// Without `compress`, no gzip form is made.
std::shared_ptr<const CachedBody> MakeCachedBody(std::string content_type, std::string plain,
                                                 std::int64_t last_modified, bool compress = true);

class PageCache {
 public:
  explicit PageCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  /// nullptr when absent.
  std::shared_ptr<const CachedBody> Find(const std::string& key);
  /// The generation to pass to Insert: read it before reading the archive to render.
  std::uint64_t generation();
  /// Keeps `body` unless the archive changed since `rendered_in` began (it may be stale).
  void Insert(const std::string& key, std::shared_ptr<const CachedBody> body, std::uint64_t rendered_in);

  /// Called when the archive changed: everything cached before is stale.
  void NewGeneration(std::int64_t unix_seconds);
  /// When the current generation began: the Last-Modified of what it renders. Never
  /// goes back, even when the clock does.
  std::int64_t generation_time() const { return generation_time_.load(); }
  /// Whether more than one generation began within this second: then a Last-Modified of
  /// that second does not tell which generation a client's copy came from.
  bool SeveralGenerationsIn(std::int64_t unix_seconds) const { return shared_second_.load() == unix_seconds; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const CachedBody> body;
  };
  std::mutex mu_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::uint64_t generation_ = 0;
  std::atomic<std::int64_t> generation_time_{0};
  std::atomic<std::int64_t> shared_second_{-1};  ///< the latest second in which two generations began
  std::list<Entry> lru_;  ///< most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace rt
