#pragma once
// Reads a file line by line, gzip or plain alike, in bounded memory.

#include <sys/types.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

/// Not thread-safe. Not copyable: owns the open file.
class LineReader {
 public:
  LineReader() = default;
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// NotFound or IoError naming the path when the file cannot be opened.
  Status Open(const std::string& path);

  /// Sets *line to the next line including its "\n" (the last line may lack it).
  /// The view stays valid until the next call. Returns false at the end of the file
  /// or on a read error (see status()). Lines longer than the buffer come in pieces
  /// of kMaxLine bytes, so a file of one huge line cannot exhaust memory.
  /// A damaged or truncated gzip stream yields every byte before the damage, then ends
  /// with status() saying what was wrong.
  bool Next(std::string_view* line);

  Status status() const { return status_; }
  /// Offset of the next line in the decompressed stream.
  std::uint64_t offset() const { return offset_; }
  /// Bytes of the file on disk consumed so far (compressed bytes for gzip).
  std::uint64_t disk_offset() const { return disk_read_ - (gzip_ ? stream_.avail_in : input_.size()); }

  static constexpr std::size_t kMaxLine = 1 << 20;

 private:
  bool Fill();
  /// Appends up to `room` decompressed bytes at buffer_[end_]; 0 at the end or on error.
  std::size_t Inflate(std::size_t room);
  /// Reads more of the file into input_ (and points stream_ at it); false at its end or
  /// on an error.
  bool ReadInput();
  /// read(2) of at most `size` bytes, retried on EINTR, counted in disk_read_; on an
  /// error sets status_ and returns -1.
  ssize_t ReadFile(char* into, std::size_t size);

  int fd_ = -1;
  std::string path_;
  bool gzip_ = false;
  z_stream stream_{};
  bool stream_open_ = false;
  std::string input_;  // bytes read from the file, not yet used (gzip: stream_.next_in points here)
  std::uint64_t disk_read_ = 0;
  std::string buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t offset_ = 0;
  Status status_;
};

}  // namespace rt
