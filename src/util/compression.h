#pragma once
// zstd for stored raw messages and bodies, with or without a dictionary trained on the
// archive's own messages; BLAKE2b content hashes (libsodium).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace rt {

/// What a dictionary is trained on: the first kSampleBytes of each message, gathered
/// in one buffer as zstd's trainer reads them (no second copy).
class DictionarySamples {
 public:
  /// Headers and the first lines of text are what messages share: training reads no
  /// further into a message, and a long message's tail (attachments) would only slow it.
  static constexpr std::size_t kSampleBytes = 16384;

  void Add(std::string_view message);
  std::size_t count() const { return sizes_.size(); }
  std::size_t bytes() const { return flat_.size(); }

 private:
  friend class CompressionDictionary;
  std::string flat_;
  std::vector<std::size_t> sizes_;
};

/// A zstd dictionary: the headers, footers and phrasing an archive's messages share, so
/// each message's frame refers to them instead of carrying them. On mailing-list mail it
/// compresses messages about twice as well, and faster (docs/PERFORMANCE.md). Frames
/// made with one carry its id, and need it to be read.
class CompressionDictionary {
 public:
  /// Trained on `samples`, with a random id from zstd's range for private dictionaries.
  /// nullptr when zstd finds too little to train on.
  static std::shared_ptr<const CompressionDictionary> Train(const DictionarySamples& samples);
  /// A stored dictionary; BadFormat if `bytes` are none.
  static Result<std::shared_ptr<const CompressionDictionary>> FromBytes(std::string bytes);

  ~CompressionDictionary();
  CompressionDictionary(const CompressionDictionary&) = delete;
  CompressionDictionary& operator=(const CompressionDictionary&) = delete;

  std::uint32_t id() const { return id_; }
  const std::string& bytes() const { return bytes_; }

 private:
  friend std::string Compress(std::string_view, const CompressionDictionary*);
  friend class CompressionDictionaries;
  CompressionDictionary(std::string bytes, std::uint32_t id);

  /// Made at the first compression: its match tables cost far more than the decompression
  /// side, and servers, which only read, open a connection per thread.
  const ::ZSTD_CDict_s* CompressionTables() const;

  std::string bytes_;
  std::uint32_t id_;
  mutable std::once_flag compress_once_;
  mutable ::ZSTD_CDict_s* compress_ = nullptr;
  ::ZSTD_DDict_s* decompress_;
};

/// The dictionaries a database's frames may name, by id.
class CompressionDictionaries {
 public:
  void Add(std::shared_ptr<const CompressionDictionary> dictionary);
  /// nullptr when there is none with that id.
  const CompressionDictionary* Find(std::uint32_t id) const;
  /// The newest added, nullptr if none.
  const std::shared_ptr<const CompressionDictionary>& newest() const { return newest_; }

  /// The original bytes of a frame made with or without one of these dictionaries;
  /// BadFormat if `frame` is no valid zstd frame, NotFound if it names a dictionary
  /// that is not here.
  Result<std::string> Decompress(std::string_view frame) const;

 private:
  std::map<std::uint32_t, std::shared_ptr<const CompressionDictionary>> by_id_;
  std::shared_ptr<const CompressionDictionary> newest_;
};

/// zstd frame of `data` at a fast level suited to bulk import, against `dictionary` when
/// one is given.
std::string Compress(std::string_view data, const CompressionDictionary* dictionary = nullptr);
/// The id of the dictionary a frame was made with; 0 for none.
std::uint32_t FrameDictionaryId(std::string_view frame);

/// Lower-case hex BLAKE2b-256 of data.
std::string ContentHash(std::string_view data);

}  // namespace rt
