#pragma once
// Streams the raw messages of one input (a file or a Maildir), one at a time.

#include <cstdint>
#include <memory>
#include <string>

#include "archive/input_format.h"
#include "archive/message.h"
#include "util/status.h"

namespace rt {

/// Messages larger than this are cut and quarantined rather than held whole in memory.
constexpr std::size_t kMaxMessageBytes = 64u << 20;

class MessageSource {
 public:
  virtual ~MessageSource() = default;
  /// Fills *out with the next message and returns true; false at the end or on an
  /// I/O error (then status() says which).
  virtual bool Next(RawMessage* out) = 0;
  virtual Status status() const = 0;
  /// Bytes of input consumed so far, for progress reporting.
  virtual std::uint64_t bytes_done() const = 0;
  /// Total bytes of input, for progress reporting (0 if unknown).
  virtual std::uint64_t bytes_total() const = 0;
};

/// Opens `path`, already detected as `format` (not kDirectory). NotFound / IoError
/// when it cannot be opened.
Result<std::unique_ptr<MessageSource>> OpenMessageSource(const std::string& path, InputFormat format);

}  // namespace rt
