#include "archive/line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace rt {

namespace {
constexpr std::size_t kChunk = 1 << 18;
constexpr unsigned char kGzipMagic[2] = {0x1f, 0x8b};
}  // namespace

LineReader::~LineReader() {
  if (stream_open_) inflateEnd(&stream_);
  if (fd_ >= 0) ::close(fd_);
}

Status LineReader::Open(const std::string& path) {
  path_ = path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Status::NotFound(path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Status::InvalidArgument(path + ": is a directory");
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  buffer_.resize(kMaxLine + kChunk);
  input_.reserve(kChunk);
  if (!ReadInput() && !status_.ok()) return status_;
  gzip_ = input_.size() >= 2 && static_cast<unsigned char>(input_[0]) == kGzipMagic[0] &&
          static_cast<unsigned char>(input_[1]) == kGzipMagic[1];
  if (gzip_) {
    // 16 + MAX_WBITS: a gzip header and trailer, checked.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) return Status::Internal(path + ": cannot start zlib");
    stream_open_ = true;
    stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
    stream_.avail_in = static_cast<uInt>(input_.size());
  }
  return Status::Ok();
}

ssize_t LineReader::ReadFile(char* into, std::size_t size) {
  ssize_t n;
  do {
    n = ::read(fd_, into, size);
  } while (n < 0 && errno == EINTR);
  if (n < 0) status_ = Status::IoError(path_ + ": read failed: " + std::strerror(errno));
  else disk_read_ += static_cast<std::uint64_t>(n);
  return n;
}

bool LineReader::ReadInput() {
  input_.resize(kChunk);
  ssize_t n = ReadFile(input_.data(), kChunk);
  input_.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
  stream_.avail_in = static_cast<uInt>(input_.size());
  return n > 0;
}

std::size_t LineReader::Inflate(std::size_t room) {
  stream_.next_out = reinterpret_cast<Bytef*>(buffer_.data() + end_);
  stream_.avail_out = static_cast<uInt>(room);
  while (stream_.avail_out > 0) {
    if (stream_.avail_in == 0) {
      if (!ReadInput()) {
        if (status_.ok()) status_ = Status::IoError(path_ + ": the gzip file is truncated; read up to where it ends");
        eof_ = true;
        break;
      }
    }
    int rc = inflate(&stream_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (concatenated .gz files); anything else is padding.
      if (stream_.avail_in == 0 && !ReadInput()) {
        eof_ = true;
        break;
      }
      if (stream_.avail_in < 2 || stream_.next_in[0] != kGzipMagic[0] || stream_.next_in[1] != kGzipMagic[1]) {
        eof_ = true;
        break;
      }
      inflateReset(&stream_);
    } else if (rc != Z_OK && !(rc == Z_BUF_ERROR && stream_.avail_in == 0)) {
      // What inflated before the damage is kept; the rest of the file cannot be trusted.
      status_ = Status::IoError(path_ + ": the gzip data is damaged (" + (stream_.msg ? stream_.msg : "zlib error " + std::to_string(rc)) +
                                "); read up to the damage");
      eof_ = true;
      break;
    }
  }
  return room - stream_.avail_out;
}

bool LineReader::Fill() {
  if (eof_ || fd_ < 0) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  std::size_t room = buffer_.size() - end_;
  std::size_t n = 0;
  if (gzip_) {
    n = Inflate(room);
  } else if (!input_.empty()) {
    // The first chunk of a plain file, read at Open to look for gzip's magic.
    n = std::min(room, input_.size());
    std::memcpy(buffer_.data() + end_, input_.data(), n);
    input_.erase(0, n);
  } else {
    ssize_t got = ReadFile(buffer_.data() + end_, room);
    if (got <= 0) {
      eof_ = true;
      return false;
    }
    n = static_cast<std::size_t>(got);
  }
  end_ += n;
  return n > 0;
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
