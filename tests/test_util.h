#pragma once
// Helpers shared by the tests: temporary folders, files, and running the real binary.

#include <string>
#include <string_view>
#include <vector>

namespace rt::testing {

/// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, std::string_view content);
std::string ReadFile(const std::string& path);
/// gzip-compresses content into path.
void WriteGzipFile(const std::string& path, std::string_view content);

struct CommandResult {
  int exit_code = -1;
  std::string out;  ///< standard output
  std::string err;  ///< standard error
};

/// Runs the roundtable binary under test with these arguments (shell-quoted here).
CommandResult RunRoundtable(const std::vector<std::string>& args);

}  // namespace rt::testing
