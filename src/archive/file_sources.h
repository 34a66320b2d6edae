#pragma once
// Sources whose messages are whole files: Maildir folders, .eml files and pipermail
// HTML pages.

#include <vector>

#include "archive/message_source.h"

namespace rt {

/// Reads a whole file (gzip looked through) into *out, up to kMaxMessageBytes;
/// *truncated says whether there was more.
Status ReadWholeFile(const std::string& path, std::string* out, bool* truncated);

/// Yields each of `files` as one message of `format`.
class FileListSource : public MessageSource {
 public:
  FileListSource(std::vector<std::string> files, SourceFormat format);
  bool Next(RawMessage* out) override;
  Status status() const override { return status_; }
  std::uint64_t bytes_done() const override { return done_; }
  std::uint64_t bytes_total() const override { return total_; }

 private:
  std::vector<std::string> files_;
  SourceFormat format_;
  std::size_t next_ = 0;
  std::uint64_t done_ = 0;
  std::uint64_t total_ = 0;
  Status status_;
};

/// The message files of a Maildir and of its Maildir++ subfolders (".Sent" ...; not
/// Trash, Junk, Spam or Drafts), sorted:
/// cur/ and new/; tmp/ is skipped because deliveries there are incomplete by definition.
Result<std::vector<std::string>> ListMaildir(const std::string& dir);

}  // namespace rt
