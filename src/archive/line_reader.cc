#include "archive/line_reader.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace rt {

namespace {
constexpr std::size_t kChunk = 1 << 18;
}

LineReader::~LineReader() {
  if (file_) gzclose(file_);
}

Status LineReader::Open(const std::string& path) {
  path_ = path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Status::NotFound(path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Status::InvalidArgument(path + ": is a directory");
  file_ = gzopen(path.c_str(), "rb");
  if (!file_) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  gzbuffer(file_, kChunk);
  buffer_.resize(kMaxLine + kChunk);
  return Status::Ok();
}

std::uint64_t LineReader::disk_offset() const { return file_ ? static_cast<std::uint64_t>(gzoffset(file_)) : 0; }

bool LineReader::Fill() {
  if (eof_ || !file_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  int n = gzread(file_, buffer_.data() + end_, static_cast<unsigned>(buffer_.size() - end_));
  if (n < 0) {
    int err = 0;
    const char* msg = gzerror(file_, &err);
    status_ = Status::IoError(path_ + ": read failed: " + (msg ? msg : "unknown error"));
    eof_ = true;
    return false;
  }
  if (n == 0) {
    // A truncated gzip stream reads as a short file; say so rather than pretend it ended.
    int err = 0;
    const char* msg = gzerror(file_, &err);
    if (err != Z_OK && err != Z_STREAM_END) status_ = Status::IoError(path_ + ": " + (msg ? msg : "read error"));
    eof_ = true;
    return false;
  }
  end_ += static_cast<std::size_t>(n);
  return true;
}

bool LineReader::Next(std::string_view* line) {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    std::size_t len = 0;
    if (nl) {
      len = static_cast<const char*>(nl) - start + 1;
    } else if (end_ - begin_ >= kMaxLine) {
      len = kMaxLine;
    } else if (!Fill()) {
      len = end_ - begin_;
      if (len == 0) return false;
    } else {
      continue;
    }
    *line = std::string_view(buffer_.data() + begin_, len);
    begin_ += len;
    offset_ += len;
    return true;
  }
}

}  // namespace rt
