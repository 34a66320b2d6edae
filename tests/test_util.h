#pragma once
// Helpers shared by the tests: temporary folders, files, running the real binary, and
// talking HTTP to it as a server.

#include <sys/types.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
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

/// A fresh schema with a random name in the PostgreSQL database at `server_url`, as a URL
/// whose search_path selects it. Throws std::runtime_error when the server cannot be reached.
std::string NewPostgresSchema(const std::string& server_url);

/// Where a test's store lives. When RT_TEST_STORE_PG is set (a PostgreSQL URL: ctest's
/// "postgresql." run of the storage tests), a NewPostgresSchema in it; otherwise
/// dir.File("db/" + name), an SQLite file.
std::string TestDatabase(const TempDir& dir, const std::string& name = "test.db");

/// An mbox of `messages` realistic list messages in `lists` lists (bench/gen_archive.py),
/// at dir.File(name). Throws std::runtime_error when the generator fails.
std::string GenerateArchive(const TempDir& dir, int messages, const std::string& name, int seed = 1, int lists = 1);

/// RFC 3986 percent-encoding of everything but unreserved characters and `also_safe`.
std::string PercentEncode(std::string_view s, std::string_view also_safe = "");

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
/// `input` is what the command reads on its standard input.
CommandResult RunRoundtable(const std::vector<std::string>& args, std::string_view input = {});

/// Starts `args` (args[0] a path) as a child process, killed when the thread that started
/// it ends (so a crashed test leaves nothing running). Its stdin is /dev/null; its stdout
/// and stderr go to `output_path` when given, else where the test's go. The child exits
/// 127 when args[0] cannot run. Throws std::runtime_error when fork fails.
pid_t SpawnChild(std::vector<std::string> args, const std::string& output_path = "");

/// `roundtable serve` on a port of 127.0.0.1 the system picks, as a child process.
/// The constructor returns once the server listens (its stderr announces the port) and
/// throws std::runtime_error when it does not within 20 s or exits first. The destructor
/// sends SIGTERM and waits for it (SIGKILL after 15 s). The server is killed if the thread
/// that started it ends first (so a crashed test leaves no server behind).
class ServerProcess {
 public:
  /// Runs `roundtable serve --db DB --listen 127.0.0.1:0 --access-log off` followed by
  /// `extra_args`.
  explicit ServerProcess(const std::string& db, const std::vector<std::string>& extra_args = {"--rate-limit", "0"});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  /// What the server wrote to stderr so far.
  std::string Stderr() const;
  /// Sends SIGTERM (unless it already exited) and waits up to `timeout` for the exit, then
  /// sends SIGKILL. Returns the exit code, or -N when signal N ended it. Only the first call
  /// waits; later ones return the same value.
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(15));

 private:
  TempDir dir_;  // holds the stderr file
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = 0;
  bool exited_ = false;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// A response as read off the wire.
struct HttpReply {
  int status = 0;
  HttpHeaders headers;  ///< names lower-cased, in order received
  std::string body;     ///< as sent: still gzip'd when Content-Encoding says so

  /// The first header named `lower_name`, or "" when absent.
  std::string Header(std::string_view lower_name) const;
  bool Has(std::string_view lower_name) const;
};

/// What HttpConnection throws.
struct HttpClientError : std::runtime_error {
  /// `got_bytes`: part of a response had arrived when the connection failed.
  HttpClientError(const std::string& what, bool got_bytes) : std::runtime_error(what), got_bytes(got_bytes) {}
  bool got_bytes;
};

/// One HTTP/1.1 connection to 127.0.0.1:port over a plain POSIX socket. Requests and
/// responses may be pipelined: Send() writes, Read() reads the next response. Every
/// failure (refused, closed early, malformed, `timeout` without a byte) throws
/// HttpClientError.
class HttpConnection {
 public:
  explicit HttpConnection(int port, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  /// Writes "METHOD TARGET HTTP/1.1" with Host, then `headers`, then Content-Length and
  /// `body` when the body is not empty.
  void Send(std::string_view method, std::string_view target, const HttpHeaders& headers = {},
            std::string_view body = {});
  /// Writes bytes as they are.
  void SendRaw(std::string_view bytes);
  /// Reads one response: status line, headers, and a body of Content-Length bytes (none
  /// for a HEAD request, 1xx, 204 and 304; up to the close without a Content-Length).
  HttpReply Read(bool head_request = false);

 private:
  void Fill();  // reads more bytes into buffer_, or throws
  int fd_ = -1;
  std::chrono::milliseconds timeout_;
  std::string buffer_;
  bool eof_ = false;
};

/// One request on its own connection ("Connection: close"), its response read whole.
HttpReply HttpFetch(int port, std::string_view method, std::string_view target, const HttpHeaders& headers = {},
                    std::string_view body = {});
inline HttpReply HttpGet(int port, std::string_view target, const HttpHeaders& headers = {}) {
  return HttpFetch(port, "GET", target, headers);
}

/// Decompresses a gzip stream (zlib); throws std::runtime_error when it is not one.
std::string Gunzip(std::string_view gzipped);

}  // namespace rt::testing
