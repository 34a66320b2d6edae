#include "mail/dmarc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <mutex>
#include <thread>

namespace rt {
namespace {

// ---- Parsing ----

TEST(DmarcRecordTest, Policies) {
  std::optional<DmarcRecord> r = ParseDmarcRecord("v=DMARC1; p=reject; sp=none; rua=mailto:d@example.org");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->policy, DmarcPolicy::kReject);
  EXPECT_EQ(r->subdomain_policy, DmarcPolicy::kNone);
  r = ParseDmarcRecord("v=DMARC1;p=quarantine");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->policy, DmarcPolicy::kQuarantine);
  EXPECT_EQ(r->subdomain_policy, DmarcPolicy::kQuarantine);  // sp= absent: p= applies
  r = ParseDmarcRecord("  v = DMARC1 ;  P = Reject ; pct=50;");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->policy, DmarcPolicy::kReject);
  r = ParseDmarcRecord("v=dmarc1; p=none; sp=bogus");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->subdomain_policy, DmarcPolicy::kNone);
}

TEST(DmarcRecordTest, NotDmarc) {
  EXPECT_FALSE(ParseDmarcRecord(""));
  EXPECT_FALSE(ParseDmarcRecord(";;"));
  EXPECT_FALSE(ParseDmarcRecord("v=spf1 -all"));
  EXPECT_FALSE(ParseDmarcRecord("p=reject; v=DMARC1"));  // v= must come first
  EXPECT_FALSE(ParseDmarcRecord("v=DMARC2; p=reject"));
  EXPECT_FALSE(ParseDmarcRecord("v=DMARC1"));              // no p=, no rua=
  EXPECT_FALSE(ParseDmarcRecord("v=DMARC1; p=block"));     // invalid p=, no rua=
  std::optional<DmarcRecord> r = ParseDmarcRecord("v=DMARC1; p=block; rua=mailto:x@example.org");
  ASSERT_TRUE(r);  // RFC 7489 6.3: acts as p=none
  EXPECT_EQ(r->policy, DmarcPolicy::kNone);
}

TEST(DmarcRecordTest, OrganizationalDomain) {
  EXPECT_EQ(OrganizationalDomain("example.org"), "example.org");
  EXPECT_EQ(OrganizationalDomain("mail.sub.Example.ORG."), "example.org");
  EXPECT_EQ(OrganizationalDomain("news.bbc.co.uk"), "bbc.co.uk");
  EXPECT_EQ(OrganizationalDomain("bbc.co.uk"), "bbc.co.uk");
  EXPECT_EQ(OrganizationalDomain("co.uk"), "co.uk");
  EXPECT_EQ(OrganizationalDomain("a.b.example.com.au"), "example.com.au");
  EXPECT_EQ(OrganizationalDomain("localhost"), "localhost");
  EXPECT_EQ(OrganizationalDomain(""), "");
}

// ---- Discovery over a table ----

class TableResolver : public DmarcResolver {
 public:
  std::map<std::string, std::vector<std::string>> records;
  std::set<std::string> failing;
  std::vector<std::string> asked;
  Result<TxtAnswer> TxtRecords(const std::string& name) override {
    asked.push_back(name);
    if (failing.count(name)) return Status::IoError("DNS: timeout for " + name);
    TxtAnswer a;
    auto it = records.find(name);
    if (it != records.end()) a.records = it->second;
    a.ttl_seconds = 300;
    return a;
  }
};

TEST(DmarcLookupTest, ExactDomainUsesP) {
  TableResolver t;
  t.records["_dmarc.example.org"] = {"v=spf1 -all", "v=DMARC1; p=reject; sp=none"};
  DmarcLookup l = LookupDmarcPolicy(t, "Example.ORG");
  EXPECT_EQ(l.policy, DmarcPolicy::kReject);
  EXPECT_EQ(l.record_name, "_dmarc.example.org");
  EXPECT_TRUE(l.status.ok());
  EXPECT_EQ(t.asked, std::vector<std::string>{"_dmarc.example.org"});
  EXPECT_TRUE(ShouldRewriteFrom(t, "example.org"));
}

TEST(DmarcLookupTest, SubdomainFallsBackToOrganisationalSp) {
  TableResolver t;
  t.records["_dmarc.example.org"] = {"v=DMARC1; p=reject; sp=none"};
  t.records["_dmarc.bbc.co.uk"] = {"v=DMARC1; p=none; sp=quarantine"};
  t.records["_dmarc.yahoo.example"] = {"v=DMARC1; p=reject"};
  DmarcLookup l = LookupDmarcPolicy(t, "lists.example.org");
  EXPECT_EQ(l.policy, DmarcPolicy::kNone);  // sp=none applies to subdomains
  EXPECT_EQ(l.record_name, "_dmarc.example.org");
  EXPECT_EQ(t.asked, (std::vector<std::string>{"_dmarc.lists.example.org", "_dmarc.example.org"}));
  EXPECT_FALSE(ShouldRewriteFrom(t, "lists.example.org"));
  EXPECT_EQ(LookupDmarcPolicy(t, "news.bbc.co.uk").policy, DmarcPolicy::kQuarantine);
  EXPECT_EQ(LookupDmarcPolicy(t, "mail.yahoo.example").policy, DmarcPolicy::kReject);  // no sp=: p=
}

TEST(DmarcLookupTest, SubdomainRecordWins) {
  TableResolver t;
  t.records["_dmarc.example.org"] = {"v=DMARC1; p=reject"};
  t.records["_dmarc.lists.example.org"] = {"v=DMARC1; p=none"};
  EXPECT_EQ(LookupDmarcPolicy(t, "lists.example.org").policy, DmarcPolicy::kNone);
  EXPECT_EQ(t.asked.size(), 1u);
}

TEST(DmarcLookupTest, NoRecordAnywhere) {
  TableResolver t;
  DmarcLookup l = LookupDmarcPolicy(t, "example.net");
  EXPECT_EQ(l.policy, DmarcPolicy::kNone);
  EXPECT_EQ(l.record_name, "");
  EXPECT_EQ(t.asked.size(), 1u);  // example.net is its own organisational domain
  EXPECT_FALSE(ShouldRewriteFrom(t, "example.net"));
}

TEST(DmarcLookupTest, SeveralRecordsGiveTheStrictest) {
  TableResolver t;
  t.records["_dmarc.example.org"] = {"v=DMARC1; p=none", "v=DMARC1; p=quarantine"};
  EXPECT_EQ(LookupDmarcPolicy(t, "example.org").policy, DmarcPolicy::kQuarantine);
}

TEST(DmarcLookupTest, FailureMeansRewrite) {
  TableResolver t;
  t.failing.insert("_dmarc.example.org");
  DmarcLookup l = LookupDmarcPolicy(t, "sub.example.org");
  EXPECT_EQ(l.policy, DmarcPolicy::kUnknown);
  EXPECT_FALSE(l.status.ok());
  EXPECT_TRUE(ShouldRewriteFrom(t, "sub.example.org"));
}

TEST(DmarcLookupTest, MalformedDomainsAskNothing) {
  TableResolver t;
  for (const char* d : {"", ".", "a..b", "exa mple.org", "x\r\ny.org", "b\xc3\xa4r.example"}) {
    DmarcLookup l = LookupDmarcPolicy(t, d);
    EXPECT_EQ(l.policy, DmarcPolicy::kNone);
    EXPECT_TRUE(l.status.ok());
  }
  EXPECT_TRUE(t.asked.empty());
}

// ---- The real resolver against a DNS server on the loopback ----

// Answers TXT queries on 127.0.0.1 from a table; names it does not know get NXDOMAIN
// with an SOA, names in `servfail` SERVFAIL, names in `silent` no answer at all.
class FakeDns {
 public:
  struct Txt {
    std::vector<std::vector<std::string>> records;  // each record: its strings
    std::uint32_t ttl = 300;
  };
  std::map<std::string, Txt> txt;
  std::set<std::string> servfail, silent;
  std::atomic<std::uint32_t> soa_minimum{120};

  FakeDns() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~FakeDns() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    close(fd_);
  }
  void Start() { thread_ = std::thread([this] { Serve(); }); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int queries() const { return queries_; }

 private:
  static void Put16(std::string* out, int v) {
    out->push_back(static_cast<char>((v >> 8) & 255));
    out->push_back(static_cast<char>(v & 255));
  }
  static void Put32(std::string* out, std::uint32_t v) {
    Put16(out, static_cast<int>(v >> 16));
    Put16(out, static_cast<int>(v & 0xffff));
  }
  static void PutName(std::string* out, const std::string& dotted) {
    std::size_t start = 0;
    while (start < dotted.size()) {
      std::size_t dot = dotted.find('.', start);
      if (dot == std::string::npos) dot = dotted.size();
      out->push_back(static_cast<char>(dot - start));
      out->append(dotted, start, dot - start);
      start = dot + 1;
    }
    out->push_back(0);
  }

  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char buf[512];
      sockaddr_in from{};
      socklen_t from_len = sizeof from;
      ssize_t n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n < 17) continue;
      ++queries_;
      // The question: labels from offset 12, then QTYPE and QCLASS.
      std::string name;
      std::size_t i = 12;
      while (i < static_cast<std::size_t>(n) && buf[i] != 0) {
        int len = static_cast<unsigned char>(buf[i]);
        if (!name.empty()) name.push_back('.');
        name.append(buf + i + 1, len);
        i += len + 1;
      }
      std::size_t question_end = i + 5;
      if (question_end > static_cast<std::size_t>(n)) continue;
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (silent.count(name)) continue;
      auto it = txt.find(name);
      int rcode = servfail.count(name) ? 2 : it == txt.end() ? 3 : 0;
      std::string out(buf, 2);                              // ID
      Put16(&out, 0x8400 | 0x0100 | 0x0080 | rcode);         // QR AA RD RA
      Put16(&out, 1);
      Put16(&out, rcode == 0 ? static_cast<int>(it->second.records.size()) : 0);
      Put16(&out, rcode == 3 ? 1 : 0);
      Put16(&out, 0);
      out.append(buf + 12, question_end - 12);
      if (rcode == 0) {
        for (const auto& record : it->second.records) {
          std::string rdata;
          for (const std::string& s : record) {
            rdata.push_back(static_cast<char>(s.size()));
            rdata += s;
          }
          Put16(&out, 0xC00C);
          Put16(&out, 16);
          Put16(&out, 1);
          Put32(&out, it->second.ttl);
          Put16(&out, static_cast<int>(rdata.size()));
          out += rdata;
        }
      } else if (rcode == 3) {
        std::string rdata;
        PutName(&rdata, "ns.example");
        PutName(&rdata, "hostmaster.example");
        for (std::uint32_t v : {1u, 3600u, 600u, 86400u, soa_minimum.load()}) Put32(&rdata, v);
        PutName(&out, "example");
        Put16(&out, 6);
        Put16(&out, 1);
        Put32(&out, 3600);
        Put16(&out, static_cast<int>(rdata.size()));
        out += rdata;
      }
      sendto(fd_, out.data(), out.size(), 0, reinterpret_cast<sockaddr*>(&from), from_len);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> queries_{0};
  std::thread thread_;
};

DnsResolverOptions Loopback(const FakeDns& dns) {
  DnsResolverOptions o;
  o.nameserver = dns.address();
  o.timeout_seconds = 1;
  o.attempts = 1;
  return o;
}

TEST(DnsResolverTest, ReadsTxtRecordsAndJoinsStrings) {
  FakeDns dns;
  dns.txt["_dmarc.example.org"] = {{{"v=DMARC1; ", "p=reject"}, {"v=spf1 -all"}}, 200};
  dns.Start();
  DnsResolver resolver(Loopback(dns));
  Result<TxtAnswer> a = resolver.TxtRecords("_dmarc.example.org");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a.value().records, (std::vector<std::string>{"v=DMARC1; p=reject", "v=spf1 -all"}));
  EXPECT_EQ(a.value().ttl_seconds, 200u);
  EXPECT_TRUE(ShouldRewriteFrom(resolver, "example.org"));
}

TEST(DnsResolverTest, NxdomainIsAnEmptyAnswerWithTheSoaTtl) {
  FakeDns dns;
  dns.soa_minimum = 120;
  dns.Start();
  DnsResolver resolver(Loopback(dns));
  Result<TxtAnswer> a = resolver.TxtRecords("_dmarc.nowhere.example");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_TRUE(a.value().records.empty());
  EXPECT_EQ(a.value().ttl_seconds, 120u);
  dns.soa_minimum = 5;  // clamped up to min_ttl_seconds
  a = resolver.TxtRecords("_dmarc.nowhere.example");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.value().ttl_seconds, 60u);
}

TEST(DnsResolverTest, ServfailIsAnError) {
  FakeDns dns;
  dns.servfail.insert("_dmarc.broken.example");
  dns.Start();
  DnsResolver resolver(Loopback(dns));
  Result<TxtAnswer> a = resolver.TxtRecords("_dmarc.broken.example");
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), Status::Code::kIoError);
}

TEST(DnsResolverTest, SilentServerTimesOutWithinTheDeadline) {
  FakeDns dns;
  dns.silent.insert("_dmarc.slow.example");
  dns.Start();
  DnsResolver resolver(Loopback(dns));
  auto start = std::chrono::steady_clock::now();
  Result<TxtAnswer> a = resolver.TxtRecords("_dmarc.slow.example");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_FALSE(a.ok());
  EXPECT_GT(seconds, 0.5);  // it did wait for the server
  EXPECT_LT(seconds, 2.0);
}

TEST(DnsResolverTest, NoServerListeningReturnsQuickly) {
  int port;
  {
    FakeDns closed;  // bound, then closed: nothing listens on the port afterwards
    port = std::stoi(closed.address().substr(10));
  }
  DnsResolverOptions o;
  o.nameserver = "127.0.0.1:" + std::to_string(port);
  o.timeout_seconds = 1;
  o.attempts = 1;
  DnsResolver resolver(o);
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(resolver.TxtRecords("_dmarc.example.org").ok());
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
}

TEST(DnsResolverTest, BadNameserverSetting) {
  DnsResolverOptions o;
  o.nameserver = "not-an-address:53";
  DnsResolver resolver(o);
  Result<TxtAnswer> a = resolver.TxtRecords("_dmarc.example.org");
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), Status::Code::kInvalidArgument);
}

TEST(CachingResolverTest, KeepsAnswersForTheirTtlNegativeOnesAndFailuresToo) {
  FakeDns dns;
  dns.txt["_dmarc.example.org"] = {{{"v=DMARC1; p=reject"}}, 300};
  dns.silent.insert("_dmarc.slow.example");
  dns.soa_minimum = 600;
  dns.Start();
  std::int64_t now = 1000;
  DnsResolverOptions o = Loopback(dns);
  CachingResolver cache(std::make_unique<DnsResolver>(o), o, [&now] { return now; });

  ASSERT_TRUE(cache.TxtRecords("_dmarc.example.org").ok());
  ASSERT_TRUE(cache.TxtRecords("_DMARC.Example.org.").ok());
  EXPECT_EQ(dns.queries(), 1);
  now += 299;
  EXPECT_EQ(cache.TxtRecords("_dmarc.example.org").value().records.size(), 1u);
  EXPECT_EQ(dns.queries(), 1);
  now += 1;  // the TTL has run out
  EXPECT_EQ(cache.TxtRecords("_dmarc.example.org").value().records.size(), 1u);
  EXPECT_EQ(dns.queries(), 2);

  // Negative answers are kept for the SOA's negative TTL.
  EXPECT_TRUE(cache.TxtRecords("_dmarc.none.example").value().records.empty());
  now += 599;
  EXPECT_TRUE(cache.TxtRecords("_dmarc.none.example").ok());
  EXPECT_EQ(dns.queries(), 3);
  now += 1;
  EXPECT_TRUE(cache.TxtRecords("_dmarc.none.example").ok());
  EXPECT_EQ(dns.queries(), 4);

  // A failure is kept for failure_ttl_seconds: one timeout, not one per post.
  EXPECT_FALSE(cache.TxtRecords("_dmarc.slow.example").ok());
  EXPECT_FALSE(cache.TxtRecords("_dmarc.slow.example").ok());
  EXPECT_EQ(dns.queries(), 5);
  now += 60;
  EXPECT_FALSE(cache.TxtRecords("_dmarc.slow.example").ok());
  EXPECT_EQ(dns.queries(), 6);
}

TEST(CachingResolverTest, ThreadSafeAndBounded) {
  auto table = std::make_unique<TableResolver>();
  for (int i = 0; i < 50; ++i) table->records["_dmarc.d" + std::to_string(i) + ".example"] = {"v=DMARC1; p=none"};
  // TableResolver is not thread-safe on its own; serialise it for this test.
  struct Locked : DmarcResolver {
    std::unique_ptr<TableResolver> inner;
    std::mutex mu;
    Result<TxtAnswer> TxtRecords(const std::string& name) override {
      std::lock_guard<std::mutex> l(mu);
      return inner->TxtRecords(name);
    }
  };
  auto locked = std::make_unique<Locked>();
  locked->inner = std::move(table);
  Locked* raw = locked.get();
  DnsResolverOptions o;
  o.max_cache_entries = 20;
  CachingResolver cache(std::move(locked), o);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 500; ++i) {
        // 15 names: they fit in the cache, so after the first round nearly every answer is
        // cached (a cycle through more names than it holds would defeat any LRU).
        std::string name = "_dmarc.d" + std::to_string((i * 7 + t) % 15) + ".example";
        Result<TxtAnswer> a = cache.TxtRecords(name);
        EXPECT_TRUE(a.ok());
        EXPECT_EQ(a.value().records.size(), 1u);
      }
    });
  for (auto& th : threads) th.join();
  std::lock_guard<std::mutex> l(raw->mu);
  EXPECT_GE(raw->inner->asked.size(), 15u);
  EXPECT_LT(raw->inner->asked.size(), 200u);
}

}  // namespace
}  // namespace rt
