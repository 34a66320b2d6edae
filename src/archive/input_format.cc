#include "archive/input_format.h"

#include <sys/stat.h>
#include <zlib.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "archive/pipermail_page.h"
#include "mime/mime_parser.h"

namespace rt {

namespace {

constexpr std::size_t kHeadBytes = 64 * 1024;

bool IsDir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string_view FirstLine(std::string_view text) {
  std::size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string Describe(std::string_view head) {
  std::string first(FirstLine(head).substr(0, 60));
  for (char& c : first)
    if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) >= 127) c = '?';
  return first.empty() ? "empty file" : "it starts with \"" + first + "\"";
}

// "... 09:22:30 96": asctime with a two-digit year, as some pre-2000 mailers wrote it.
bool EndsWithTimeAndShortYear(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  constexpr std::string_view kShape = "dd:dd:dd dd";
  if (line.size() < kShape.size() + 1) return false;
  std::string_view tail = line.substr(line.size() - kShape.size());
  if (line[line.size() - kShape.size() - 1] != ' ') return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    bool digit = std::isdigit(static_cast<unsigned char>(tail[i]));
    if (kShape[i] == 'd' ? !digit : tail[i] != kShape[i]) return false;
  }
  return true;
}

}  // namespace

const char* InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kMbox: return "mbox";
    case InputFormat::kPipermailText: return "pipermail text archive";
    case InputFormat::kEml: return "single message";
    case InputFormat::kPipermailHtml: return "pipermail HTML page";
    case InputFormat::kMaildir: return "Maildir";
    case InputFormat::kDirectory: return "directory";
  }
  return "unknown";
}

bool LooksLikeHeaderLine(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] > 32 && line[i] < 127 && line[i] != ':') ++i;
  return i > 0 && i < line.size() && line[i] == ':';
}

bool IsMboxSeparator(std::string_view line) {
  if (line.substr(0, 5) != "From ") return false;
  if (line.size() > 1000) return false;
  if (EndsWithTimeAndShortYear(line)) return true;
  // A date: an hh:mm time and, before or after it, a separate run of exactly four digits
  // (asctime "Tue Jan  9 09:22:30 2007" or RFC 5322 "Sat, 13 Jan 2007 10:01:00 +0000").
  bool time = false, year = false;
  std::size_t run = 0;
  for (std::size_t i = 5; i <= line.size(); ++i) {
    bool digit = i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]));
    if (digit) {
      ++run;
      continue;
    }
    char after = i < line.size() ? line[i] : ' ';
    char before = line[i - run - 1];
    if (run == 4 && before == ' ' && (after == ' ' || after == '\r')) year = true;
    if (run >= 1 && run <= 2 && after == ':' && i + 2 < line.size() &&
        std::isdigit(static_cast<unsigned char>(line[i + 1])) && std::isdigit(static_cast<unsigned char>(line[i + 2])))
      time = true;
    run = 0;
  }
  return time && year;
}

Result<InputFormat> DetectFromHead(std::string_view head) {
  head = WithoutLeadingBlankLines(head);
  std::string_view first = FirstLine(head);
  if (IsMboxSeparator(first)) {
    // Pipermail writes the envelope sender obfuscated: "From jdoe at example.org  Tue ...".
    std::string_view sender = first.substr(5);
    std::size_t at = sender.find(" at ");
    std::size_t gap = sender.find("  ");
    bool obfuscated = at != std::string_view::npos && at < sender.find(':') && (gap == std::string_view::npos || at < gap);
    return obfuscated ? InputFormat::kPipermailText : InputFormat::kMbox;
  }
  if (first.substr(0, 5) == "From " && head.find("\nFrom: ") != std::string_view::npos &&
      head.find("\nFrom: ") < 2000)
    return InputFormat::kMbox;  // a separator with an unusual date; the header follows
  if (LooksLikePipermailPage(head)) return InputFormat::kPipermailHtml;
  if (LooksLikeHeaderLine(first)) return InputFormat::kEml;
  return Status::BadFormat("not a mail archive: " + Describe(head) +
                           " (expected mbox, Maildir, .eml or a pipermail archive)");
}

// Text, not binary: no NUL bytes and few control characters.
static bool LooksLikeText(std::string_view head) {
  if (head.empty()) return false;
  std::size_t control = 0;
  for (char c : head) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u == 0) return false;
    if (u < 32 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
  }
  return control * 100 < head.size();
}

Result<InputFormat> DetectInputFormat(const std::string& path, bool named) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Status::NotFound(path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) {
    if (IsDir(path + "/cur") || IsDir(path + "/new")) return InputFormat::kMaildir;
    return InputFormat::kDirectory;
  }
  // A pipe would block, and its bytes cannot be read twice (once to detect, once to import).
  if (!S_ISREG(st.st_mode))
    return Status::BadFormat(path + ": not a regular file (a pipe or device); save the archive to a file first");
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  std::string head(kHeadBytes, '\0');
  int n = gzread(file, head.data(), static_cast<unsigned>(head.size()));
  gzclose(file);
  if (n < 0) return Status::IoError(path + ": cannot read");
  head.resize(static_cast<std::size_t>(n));
  Result<InputFormat> format = DetectFromHead(head);
  if (!format.ok()) {
    if (named && LooksLikeText(head)) return InputFormat::kEml;
    return Status::BadFormat(path + ": " + format.status().message());
  }
  return format;
}

}  // namespace rt
