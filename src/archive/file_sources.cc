#include "archive/file_sources.h"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rt {

namespace fs = std::filesystem;

Status ReadWholeFile(const std::string& path, std::string* out, bool* truncated) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  out->clear();
  *truncated = false;
  char chunk[1 << 16];
  int n;
  while ((n = gzread(file, chunk, sizeof chunk)) > 0) {
    if (out->size() + static_cast<std::size_t>(n) > kMaxMessageBytes) {
      *truncated = true;
      break;
    }
    out->append(chunk, static_cast<std::size_t>(n));
  }
  gzclose(file);
  if (n < 0) return Status::IoError(path + ": read failed");
  return Status::Ok();
}

FileListSource::FileListSource(std::vector<std::string> files, SourceFormat format)
    : files_(std::move(files)), format_(format) {
  for (const std::string& f : files_) {
    struct stat st;
    if (stat(f.c_str(), &st) == 0) total_ += static_cast<std::uint64_t>(st.st_size);
  }
}

bool FileListSource::Next(RawMessage* out) {
  while (next_ < files_.size()) {
    const std::string& path = files_[next_++];
    out->source = path;
    out->offset = 0;
    out->envelope.clear();
    out->format = format_;
    Status s = ReadWholeFile(path, &out->bytes, &out->truncated);
    struct stat st;
    if (stat(path.c_str(), &st) == 0) done_ += static_cast<std::uint64_t>(st.st_size);
    if (!s.ok()) {
      // One unreadable file must not end the import; remember the first failure.
      if (status_.ok()) status_ = s;
      continue;
    }
    return true;
  }
  return false;
}

namespace {

// ".Trash", ".INBOX.Junk", ".Deleted Messages": the last part of a Maildir++ folder name.
bool IsPrivateFolder(const std::string& name) {
  std::string last = name.substr(name.rfind('.') + 1);
  for (char& c : last) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"trash", "junk", "spam", "drafts", "draft", "deleted messages", "deleted items", "bulk mail"})
    if (last == word) return true;
  return false;
}

}  // namespace

Result<std::vector<std::string>> ListMaildir(const std::string& dir) {
  std::vector<std::string> files;
  // The folder itself, then its Maildir++ subfolders (".Sent", ".Archive.2007"), each a
  // Maildir of its own; but not spam, deleted mail or unsent drafts, which have no place
  // in a public archive.
  std::vector<fs::path> folders{fs::path(dir)};
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() < 2 || name[0] != '.' || name == ".." || IsPrivateFolder(name) || it->is_symlink(ec) ||
        !it->is_directory(ec))
      continue;
    if (fs::is_directory(it->path() / "cur", ec) || fs::is_directory(it->path() / "new", ec)) folders.push_back(it->path());
  }
  if (ec) return Status::IoError(dir + ": " + ec.message());
  for (const fs::path& folder : folders) {
    for (const char* sub : {"cur", "new"}) {
      fs::path p = folder / sub;
      if (!fs::is_directory(p, ec)) continue;
      for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().filename().string()[0] != '.') files.push_back(it->path().string());
      }
      if (ec) return Status::IoError(p.string() + ": " + ec.message());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace rt
