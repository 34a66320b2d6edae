// The DMARC lookups against a real DNS server: Debian's dnsmasq, serving the TXT records
// of a few names on a loopback port. (src/mail/dmarc_test.cc's scripted server covers
// what a real one will not do on cue: silence, SERVFAIL.)

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "mail/dmarc.h"
#include "test_util.h"

namespace rt {
namespace {

// Binds a socket of `type` to 127.0.0.1:port (0: any); the port, or -1.
int BindLoopback(int type, int port) {
  int fd = socket(AF_INET, type, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  socklen_t len = sizeof a;
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
  close(fd);
  return ok ? ntohs(a.sin_port) : -1;
}

// A port nothing uses on 127.0.0.1 right now for UDP nor TCP (dnsmasq listens on both).
int FreeDnsPort() {
  for (int tries = 0; tries < 50; ++tries) {
    int port = BindLoopback(SOCK_DGRAM, 0);
    if (port > 0 && BindLoopback(SOCK_STREAM, port) == port) return port;
  }
  throw std::runtime_error("no port free for both UDP and TCP");
}

// dnsmasq in the foreground, answering only from its command line: TXT records of
// example.org and its subdomains, NXDOMAIN for other names there, REFUSED elsewhere.
class Dnsmasq {
 public:
  Dnsmasq() : port_(FreeDnsPort()) {
    std::vector<std::string> args = {"/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
                                     "--conf-file=/dev/null", "--pid-file", "--listen-address=127.0.0.1",
                                     "--bind-interfaces", "--port=" + std::to_string(port_), "--local-ttl=200",
                                     "--local=/example.org/",
                                     "--txt-record=_dmarc.example.org,v=DMARC1; ,p=reject",
                                     "--txt-record=_dmarc.example.org,v=spf1 -all",
                                     "--txt-record=_dmarc.relaxed.example.org,v=DMARC1; p=none"};
    pid_ = testing::SpawnChild(std::move(args));  // exits 127 unless dnsmasq-base is installed
  }
  ~Dnsmasq() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  Dnsmasq(const Dnsmasq&) = delete;
  Dnsmasq& operator=(const Dnsmasq&) = delete;

  DnsResolverOptions Options() const {
    DnsResolverOptions o;
    o.nameserver = "127.0.0.1:" + std::to_string(port_);
    o.timeout_seconds = 1;
    o.attempts = 1;
    return o;
  }
  // Waits until it answers (it starts in a few milliseconds); false after 10 s.
  bool Ready() const {
    DnsResolver resolver(Options());
    for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10); std::chrono::steady_clock::now() < end;) {
      if (resolver.TxtRecords("_dmarc.example.org").ok()) return true;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

 private:
  int port_;
  pid_t pid_ = -1;
};

TEST(DnsmasqTest, TxtRecordsNxdomainAndRefusalFromARealServer) {
  Dnsmasq dns;
  ASSERT_TRUE(dns.Ready()) << "dnsmasq did not answer (is the package dnsmasq-base installed?)";
  DnsResolver resolver(dns.Options());

  Result<TxtAnswer> found = resolver.TxtRecords("_dmarc.example.org");
  ASSERT_TRUE(found.ok()) << found.status().message();
  std::vector<std::string> records = found.value().records;
  std::sort(records.begin(), records.end());
  EXPECT_EQ(records, (std::vector<std::string>{"v=DMARC1; p=reject", "v=spf1 -all"})) << "strings joined";
  EXPECT_EQ(found.value().ttl_seconds, 200u);

  Result<TxtAnswer> absent = resolver.TxtRecords("_dmarc.nobody.example.org");
  ASSERT_TRUE(absent.ok()) << absent.status().message();
  EXPECT_TRUE(absent.value().records.empty());

  EXPECT_FALSE(resolver.TxtRecords("_dmarc.elsewhere.test").ok()) << "REFUSED is no answer";

  EXPECT_TRUE(ShouldRewriteFrom(resolver, "example.org"));
  EXPECT_TRUE(ShouldRewriteFrom(resolver, "lists.example.org")) << "the organisational domain's p applies";
  EXPECT_FALSE(ShouldRewriteFrom(resolver, "relaxed.example.org"));
}

}  // namespace
}  // namespace rt
