#pragma once
// The SMTP capture server of the mail tests (tests/mail/smtp_capture.py, aiosmtpd) as a
// child process: a real SMTP server that keeps every message it accepts.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

namespace rt::testing {

/// tests/mail/smtp_capture.py (aiosmtpd) as a child process on a free port of 127.0.0.1;
/// every message it accepts lands in dir() as N.eml + N.json.
class CaptureServer {
  using Clock = std::chrono::steady_clock;
 public:
  explicit CaptureServer(std::vector<std::string> extra_args = {}) {
    std::vector<std::string> args = {"/usr/bin/python3", ROUNDTABLE_SOURCE_DIR "/tests/mail/smtp_capture.py",
                                     "--port", "0", "--dir", mail_dir(), "--ready-file", dir_.File("ready")};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::filesystem::create_directory(mail_dir());
    pid_ = SpawnChild(std::move(args));
    for (auto deadline = Clock::now() + std::chrono::seconds(10); Clock::now() < deadline; std::this_thread::sleep_for(std::chrono::milliseconds(10))) {
      std::string ready = ReadFile(dir_.File("ready"));
      if (!ready.empty()) {
        port_ = std::stoi(ready);
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("smtp_capture.py exited before listening");
      }
    }
    Stop();
    throw std::runtime_error("smtp_capture.py did not listen within 10 s");
  }
  ~CaptureServer() { Stop(); }
  CaptureServer(const CaptureServer&) = delete;
  CaptureServer& operator=(const CaptureServer&) = delete;

  int port() const { return port_; }
  std::string mail_dir() const { return dir_.File("mail"); }
  /// Message `seq` exactly as received ("" when there is none).
  std::string Message(int seq) const { return ReadFile(mail_dir() + "/" + std::to_string(seq) + ".eml"); }
  boost::json::object Envelope(int seq) const {
    return boost::json::parse(ReadFile(mail_dir() + "/" + std::to_string(seq) + ".json")).as_object();
  }
  int MessageCount() const {
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(mail_dir())) {
      n += entry.path().extension() == ".eml";
    }
    return n;
  }
  /// SIGTERM, then waits; the script must exit cleanly (status 0).
  int Stop() {
    if (pid_ <= 0) return 0;
    kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = Clock::now() + std::chrono::seconds(5);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace rt::testing
