#include "test_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "store/pg_connection.h"

namespace rt::testing {

TempDir::TempDir() {
  char tmpl[] = "/tmp/roundtable-test-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TestDatabase(const TempDir& dir, const std::string& name) {
  const char* server = std::getenv("RT_TEST_STORE_PG");
  if (!server || !*server) return dir.File("db/" + name);
  return NewPostgresSchema(server);
}

std::string NewPostgresSchema(const std::string& server_url) {
  const char* base = server_url.c_str();
  std::random_device random;
  char schema[32];
  std::snprintf(schema, sizeof schema, "t_%08x%08x", random(), random());
  Result<std::unique_ptr<PgConnection>> connection = PgConnection::Open(base);
  if (!connection.ok()) throw std::runtime_error(server_url + ": " + connection.status().message());
  Status created = connection.value()->Exec(std::string("CREATE SCHEMA ") + schema, "creating a test schema");
  if (!created.ok()) throw std::runtime_error(created.message());
  // Dropped when the test process ends: hundreds of schemas left in the catalog made each
  // later test's connections many times slower. (A crashed test's stays, until the next
  // run's pg_server.sh start makes the database anew.)
  struct Dropper {
    std::vector<std::pair<std::string, std::string>> schemas;  // server URL, schema
    ~Dropper() {
      for (const auto& [url, name] : schemas)
        if (Result<std::unique_ptr<PgConnection>> c = PgConnection::Open(url); c.ok())
          // Never waits long on a straggler's lock: then the schema just stays.
          c.value()->Exec("SET lock_timeout = 2000; DROP SCHEMA IF EXISTS " + name + " CASCADE", "dropping a test schema");
    }
  };
  static Dropper dropper;
  dropper.schemas.emplace_back(server_url, schema);
  return std::string(base) + (std::strchr(base, '?') ? "&" : "?") + "options=-csearch_path%3D" + schema;
}

std::string GenerateArchive(const TempDir& dir, int messages, const std::string& name, int seed, int lists) {
  std::string out = dir.File(name);
  std::string cmd = "python3 " + std::string(ROUNDTABLE_SOURCE_DIR) + "/bench/gen_archive.py --messages " +
                    std::to_string(messages) + " --lists " + std::to_string(lists) + " --seed " +
                    std::to_string(seed) + " --format mbox --out " + out + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  return out;
}

std::string PercentEncode(std::string_view s, std::string_view also_safe) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        also_safe.find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void WriteFile(const std::string& path, std::string_view content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteGzipFile(const std::string& path, std::string_view content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, content.data(), static_cast<unsigned>(content.size()));
  gzclose(f);
}

namespace {
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}
}  // namespace

CommandResult RunRoundtable(const std::vector<std::string>& args, std::string_view input) {
  TempDir dir;
  WriteFile(dir.File("in"), input);
  std::string cmd = Quote(ROUNDTABLE_BIN);
  for (const std::string& a : args) cmd += " " + Quote(a);
  cmd += " >" + dir.File("out") + " 2>" + dir.File("err") + " <" + dir.File("in");
  int status = std::system(cmd.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(dir.File("out"));
  result.err = ReadFile(dir.File("err"));
  return result;
}

pid_t SpawnChild(std::vector<std::string> args, const std::string& output_path) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    int in = open("/dev/null", O_RDONLY);
    if (in < 0) _exit(126);
    dup2(in, 0);
    if (!output_path.empty()) {
      int out = open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (out < 0) _exit(126);
      dup2(out, 1);
      dup2(out, 2);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// --- ServerProcess ---

ServerProcess::ServerProcess(const std::string& db, const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {ROUNDTABLE_BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--access-log", "off"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::string err_path = dir_.File("stderr");
  pid_ = SpawnChild(std::move(args), err_path);
  // "roundtable: serving DB on http://127.0.0.1:PORT (Ctrl-C to stop)"
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string err = ReadFile(err_path);
    std::size_t at = err.find(" on http://127.0.0.1:");
    if (at != std::string::npos) {
      std::size_t digits = at + std::strlen(" on http://127.0.0.1:");
      std::size_t end = err.find_first_not_of("0123456789", digits);
      if (end != std::string::npos && end > digits) {
        port_ = std::stoi(err.substr(digits, end - digits));
        return;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      throw std::runtime_error("roundtable serve exited (" + std::to_string(exit_status_) + ") before listening: " + err);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Stop(std::chrono::seconds(5));
  throw std::runtime_error("roundtable serve did not announce a port within 20 s: " + Stderr());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop();
}

std::string ServerProcess::Stderr() const { return ReadFile(dir_.File("stderr")); }

int ServerProcess::Stop(std::chrono::milliseconds timeout) {
  if (exited_ || pid_ <= 0) return exit_status_;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  pid_t done = 0;
  while ((done = waitpid(pid_, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (done == 0) {
    kill(pid_, SIGKILL);
    done = waitpid(pid_, &status, 0);
  }
  exited_ = true;
  if (done != pid_) exit_status_ = -1;
  else exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return exit_status_;
}

// --- HTTP client ---

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string HttpReply::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return value;
  return "";
}

bool HttpReply::Has(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return true;
  return false;
}

HttpConnection::HttpConnection(int port, std::chrono::milliseconds timeout) : timeout_(timeout) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw HttpClientError(std::string("socket: ") + std::strerror(errno), false);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::string why = std::strerror(errno);
    close(fd_);
    fd_ = -1;
    throw HttpClientError("connect to 127.0.0.1:" + std::to_string(port) + ": " + why, false);
  }
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) close(fd_);
}

void HttpConnection::SendRaw(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw HttpClientError(std::string("send: ") + std::strerror(errno), false);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void HttpConnection::Send(std::string_view method, std::string_view target, const HttpHeaders& headers,
                          std::string_view body) {
  std::string request = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty()) request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n";
  request += body;
  SendRaw(request);
}

void HttpConnection::Fill() {
  pollfd p{fd_, POLLIN, 0};
  int ready;
  do {
    ready = poll(&p, 1, static_cast<int>(timeout_.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready < 0) throw HttpClientError(std::string("poll: ") + std::strerror(errno), !buffer_.empty());
  if (ready == 0) throw HttpClientError("no answer within " + std::to_string(timeout_.count()) + " ms", !buffer_.empty());
  char chunk[16384];
  ssize_t n;
  do {
    n = recv(fd_, chunk, sizeof chunk, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw HttpClientError(std::string("recv: ") + std::strerror(errno), !buffer_.empty());
  if (n == 0) {
    eof_ = true;
    return;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
}

HttpReply HttpConnection::Read(bool head_request) {
  std::size_t end_of_headers;
  while ((end_of_headers = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (eof_) throw HttpClientError(buffer_.empty() ? "closed without an answer" : "closed in the headers", !buffer_.empty());
    Fill();
  }
  HttpReply reply;
  std::string_view head(buffer_.data(), end_of_headers);
  std::size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12)
    throw HttpClientError("bad status line: " + std::string(status_line), true);
  reply.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  std::string_view rest = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    std::size_t eol = rest.find("\r\n");
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 2);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) throw HttpClientError("bad header line: " + std::string(line), true);
    reply.headers.emplace_back(Lower(line.substr(0, colon)), std::string(Trim(line.substr(colon + 1))));
  }
  buffer_.erase(0, end_of_headers + 4);

  bool no_body = head_request || reply.status / 100 == 1 || reply.status == 204 || reply.status == 304;
  if (no_body) return reply;
  if (Lower(reply.Header("transfer-encoding")).find("chunked") != std::string::npos)
    throw HttpClientError("chunked bodies are not supported by this client", true);
  if (reply.Has("content-length")) {
    std::size_t length = std::stoull(reply.Header("content-length"));
    while (buffer_.size() < length) {
      if (eof_)
        throw HttpClientError("closed after " + std::to_string(buffer_.size()) + " of " + std::to_string(length) +
                                  " body bytes", true);
      Fill();
    }
    reply.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
  } else {
    while (!eof_) Fill();
    reply.body = std::move(buffer_);
    buffer_.clear();
  }
  return reply;
}

HttpReply HttpFetch(int port, std::string_view method, std::string_view target, const HttpHeaders& headers,
                    std::string_view body) {
  HttpConnection connection(port);
  HttpHeaders all = headers;
  all.emplace_back("Connection", "close");
  connection.Send(method, target, all, body);
  return connection.Read(method == "HEAD");
}

std::string Gunzip(std::string_view gzipped) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzipped.data()));
  z.avail_in = static_cast<uInt>(gzipped.size());
  std::string out;
  char chunk[65536];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw std::runtime_error("not a gzip stream (zlib error " + std::to_string(rc) + ")");
    }
    out.append(chunk, sizeof chunk - z.avail_out);
  } while (rc != Z_STREAM_END && (z.avail_in > 0 || z.avail_out == 0));
  inflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("truncated gzip stream");
  return out;
}

}  // namespace rt::testing
