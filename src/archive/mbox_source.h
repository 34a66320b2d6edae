#pragma once
// mbox files (mboxo and mboxrd, plain or gzip) and pipermail monthly text archives.

#include "archive/line_reader.h"
#include "archive/message_source.h"

namespace rt {

/// Splits at "From " separator lines that follow a blank line (or start the file);
/// unescapes ">From " lines (mboxrd rule: one '>' removed from any ">*From " line, which
/// also undoes mboxo escaping); drops the blank line that precedes each separator.
/// An unescaped "From " line in a body (common in pipermail archives) is not taken for
/// a separator unless it carries a date and follows a blank line; without the blank line
/// (some writers leave it out) it separates only when a header line comes next.
class MboxSource : public MessageSource {
 public:
  MboxSource(std::string path, SourceFormat format) : path_(std::move(path)), format_(format) {}
  Status Open();
  bool Next(RawMessage* out) override;
  Status status() const override { return reader_.status(); }
  std::uint64_t bytes_done() const override { return reader_.disk_offset(); }
  std::uint64_t bytes_total() const override { return size_; }

 private:
  bool StartFirstMessage(RawMessage* out);
  /// Adds a line of the current message to *out: mboxrd unescaping, the size cap.
  void Take(std::string_view line, RawMessage* out);
  std::string path_;
  SourceFormat format_;
  LineReader reader_;
  std::uint64_t size_ = 0;
  std::string pending_envelope_;
  std::string pending_first_line_;  // read ahead: the next message's first header line
  std::uint64_t pending_offset_ = 0;
  bool have_pending_ = false;
  bool started_ = false;
};

}  // namespace rt
