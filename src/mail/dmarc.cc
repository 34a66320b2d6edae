#include "mail/dmarc.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>

#include <algorithm>
#include <iterator>
#include <chrono>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "util/ascii.h"

namespace rt {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::optional<DmarcPolicy> PolicyValue(std::string_view value) {
  std::string v = AsciiLower(Trim(value));
  if (v == "none") return DmarcPolicy::kNone;
  if (v == "quarantine") return DmarcPolicy::kQuarantine;
  if (v == "reject") return DmarcPolicy::kReject;
  return std::nullopt;
}

int Strictness(DmarcPolicy p) {
  switch (p) {
    case DmarcPolicy::kReject: return 3;
    case DmarcPolicy::kQuarantine: return 2;
    case DmarcPolicy::kNone: return 1;
    case DmarcPolicy::kUnknown: return 0;
  }
  return 0;
}

// Second-level labels under which registrations are made at the third level, for the
// country codes where that is the rule or common. Not the Public Suffix List: see
// OrganizationalDomain in the header.
constexpr std::string_view kTwoLevelSuffixes[] = {
    "ac.uk",  "co.uk",  "gov.uk", "ltd.uk", "me.uk",  "net.uk", "nhs.uk", "org.uk", "plc.uk", "sch.uk",
    "asn.au", "com.au", "edu.au", "gov.au", "id.au",  "net.au", "org.au", "ac.nz",  "co.nz",  "govt.nz",
    "net.nz", "org.nz", "ac.jp",  "co.jp",  "go.jp",  "ne.jp",  "or.jp",  "ac.za",  "co.za",  "gov.za",
    "org.za", "com.br", "gov.br", "net.br", "org.br", "ac.in",  "co.in",  "gov.in", "net.in", "org.in",
    "com.cn", "edu.cn", "gov.cn", "net.cn", "org.cn", "com.mx", "gob.mx", "org.mx", "com.ar", "gob.ar",
    "co.kr",  "go.kr",  "or.kr",  "com.sg", "gov.sg", "com.tr", "gov.tr", "org.tr", "com.hk", "gov.hk",
    "ac.il",  "co.il",  "gov.il", "org.il", "com.ng", "gov.ng", "co.ke",  "go.ke",  "or.ke",  "co.id",
    "go.id",  "com.pk", "gov.pk", "com.eg",
};

bool IsDomainName(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.') return false;
  char prev = '.';
  for (char c : d) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  return true;
}

std::int64_t SteadySeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::uint32_t Clamp(std::uint32_t ttl, const DnsResolverOptions& o) {
  return std::clamp(ttl, o.min_ttl_seconds, std::max(o.min_ttl_seconds, o.max_ttl_seconds));
}

// "127.0.0.1:5353" (port optional, 53 by default).
bool ParseNameserver(const std::string& text, sockaddr_in* out) {
  std::string host = text;
  int port = 53;
  std::size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    host = text.substr(0, colon);
    std::string digits = text.substr(colon + 1);
    if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    port = std::stoi(digits);
    if (port <= 0 || port > 65535) return false;
  }
  std::memset(out, 0, sizeof *out);
  out->sin_family = AF_INET;
  out->sin_port = htons(static_cast<std::uint16_t>(port));
  return inet_pton(AF_INET, host.c_str(), &out->sin_addr) == 1;
}

// The SOA negative TTL (RFC 2308 5: the smaller of the SOA record's TTL and its
// MINIMUM field) from the authority section, if there is one.
std::optional<std::uint32_t> NegativeTtl(ns_msg& msg) {
  for (int i = 0; i < ns_msg_count(msg, ns_s_ns); ++i) {
    ns_rr rr;
    if (ns_parserr(&msg, ns_s_ns, i, &rr) < 0 || ns_rr_type(rr) != ns_t_soa) continue;
    const unsigned char* p = ns_rr_rdata(rr);
    const unsigned char* end = p + ns_rr_rdlen(rr);
    for (int name = 0; name < 2; ++name) {  // MNAME, RNAME
      int n = dn_skipname(p, end);
      if (n < 0) return std::nullopt;
      p += n;
    }
    if (end - p < 20) return std::nullopt;
    std::uint32_t minimum = ns_get32(p + 16);
    return std::min<std::uint32_t>(minimum, ns_rr_ttl(rr));
  }
  return std::nullopt;
}

// Closes a resolver state on every path out.
struct ResState {
  struct __res_state state;
  bool open = false;
  ResState() { std::memset(&state, 0, sizeof state); }
  ~ResState() {
    if (open) res_nclose(&state);
  }
  ResState(const ResState&) = delete;
  ResState& operator=(const ResState&) = delete;
};

}  // namespace

const char* DmarcPolicyName(DmarcPolicy policy) {
  switch (policy) {
    case DmarcPolicy::kNone: return "none";
    case DmarcPolicy::kQuarantine: return "quarantine";
    case DmarcPolicy::kReject: return "reject";
    case DmarcPolicy::kUnknown: return "unknown";
  }
  return "unknown";
}

std::optional<DmarcRecord> ParseDmarcRecord(std::string_view txt) {
  bool seen_version = false;
  std::optional<DmarcPolicy> p, sp;
  bool has_rua = false;
  while (!txt.empty()) {
    std::size_t semi = txt.find(';');
    std::string_view part = Trim(txt.substr(0, semi));
    txt.remove_prefix(semi == std::string_view::npos ? txt.size() : semi + 1);
    if (part.empty()) continue;
    std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      if (!seen_version) return std::nullopt;
      continue;
    }
    std::string tag = AsciiLower(Trim(part.substr(0, eq)));
    std::string_view value = Trim(part.substr(eq + 1));
    if (!seen_version) {
      if (tag != "v" || AsciiLower(value) != "dmarc1") return std::nullopt;
      seen_version = true;
    } else if (tag == "p") {
      p = PolicyValue(value);
    } else if (tag == "sp") {
      sp = PolicyValue(value);
    } else if (tag == "rua") {
      has_rua = has_rua || !value.empty();
    }
  }
  if (!seen_version) return std::nullopt;
  if (!p) {
    if (!has_rua) return std::nullopt;
    p = DmarcPolicy::kNone;
  }
  return DmarcRecord{*p, sp.value_or(*p)};
}

std::string OrganizationalDomain(std::string_view domain) {
  std::string d = AsciiLower(Trim(domain));
  while (!d.empty() && d.back() == '.') d.pop_back();
  // Positions of the last three dots.
  std::size_t last = d.rfind('.');
  if (last == std::string::npos || last == 0) return d;
  std::size_t second = d.rfind('.', last - 1);
  if (second == std::string::npos) return d;
  std::string_view last_two = std::string_view(d).substr(second + 1);
  bool two_level = std::find(std::begin(kTwoLevelSuffixes), std::end(kTwoLevelSuffixes), last_two) != std::end(kTwoLevelSuffixes);
  if (!two_level) return d.substr(second + 1);
  if (second == 0) return d;
  std::size_t third = d.rfind('.', second - 1);
  return third == std::string::npos ? d : d.substr(third + 1);
}

DnsResolver::DnsResolver(DnsResolverOptions options) : options_(std::move(options)) {}

Result<TxtAnswer> DnsResolver::TxtRecords(const std::string& name) {
  ResState res;
  if (res_ninit(&res.state) != 0) return Status::IoError("DNS: cannot initialise the resolver");
  res.open = true;
  res.state.retrans = std::max(1, options_.timeout_seconds);
  res.state.retry = std::max(1, options_.attempts);
  res.state.options &= ~static_cast<unsigned long>(RES_DNSRCH | RES_DEFNAMES);
  if (!options_.nameserver.empty()) {
    sockaddr_in server;
    if (!ParseNameserver(options_.nameserver, &server))
      return Status::InvalidArgument("DNS: bad nameserver \"" + options_.nameserver + "\" (want IPv4:port)");
    res.state.nscount = 1;
    res.state.nsaddr_list[0] = server;
  }

  unsigned char query[NS_PACKETSZ];
  int query_len = res_nmkquery(&res.state, ns_o_query, name.c_str(), ns_c_in, ns_t_txt, nullptr, 0, nullptr, query,
                               sizeof query);
  if (query_len < 0) return Status::InvalidArgument("DNS: cannot ask for \"" + name + "\"");
  std::vector<unsigned char> answer(NS_MAXMSG);
  int len = res_nsend(&res.state, query, query_len, answer.data(), static_cast<int>(answer.size()));
  if (len < 0) return Status::IoError("DNS: no answer for " + name + " (timeout or no reachable server)");
  len = std::min(len, static_cast<int>(answer.size()));

  ns_msg msg;
  if (ns_initparse(answer.data(), len, &msg) < 0) return Status::IoError("DNS: unreadable answer for " + name);
  int rcode = ns_msg_getflag(msg, ns_f_rcode);
  if (rcode != ns_r_noerror && rcode != ns_r_nxdomain)
    return Status::IoError("DNS: server failure for " + name + " (rcode " + std::to_string(rcode) + ")");

  TxtAnswer out;
  std::optional<std::uint32_t> ttl;
  if (rcode == ns_r_noerror) {
    for (int i = 0; i < ns_msg_count(msg, ns_s_an); ++i) {
      ns_rr rr;
      if (ns_parserr(&msg, ns_s_an, i, &rr) < 0) return Status::IoError("DNS: unreadable record for " + name);
      // A CNAME chain comes first; only the TXT records at its end count.
      if (ns_rr_type(rr) != ns_t_txt || ns_rr_class(rr) != ns_c_in) continue;
      const unsigned char* p = ns_rr_rdata(rr);
      const unsigned char* end = p + ns_rr_rdlen(rr);
      std::string text;
      while (p < end) {
        std::size_t n = *p++;
        if (static_cast<std::size_t>(end - p) < n) return Status::IoError("DNS: malformed TXT record for " + name);
        text.append(reinterpret_cast<const char*>(p), n);
        p += n;
      }
      out.records.push_back(std::move(text));
      ttl = std::min<std::uint32_t>(ttl.value_or(UINT32_MAX), ns_rr_ttl(rr));
    }
  }
  if (out.records.empty()) ttl = NegativeTtl(msg).value_or(options_.negative_ttl_seconds);
  out.ttl_seconds = Clamp(*ttl, options_);
  return out;
}

struct CachingResolver::Cache {
  struct Entry {
    Result<TxtAnswer> answer;
    std::int64_t expires;
  };
  std::mutex mu;
  std::unordered_map<std::string, Entry> entries;  // GUARDED_BY(mu)
};

CachingResolver::CachingResolver(std::unique_ptr<DmarcResolver> upstream, DnsResolverOptions options,
                                 std::function<std::int64_t()> now)
    : upstream_(std::move(upstream)),
      options_(std::move(options)),
      now_(now ? std::move(now) : std::function<std::int64_t()>(SteadySeconds)),
      cache_(std::make_unique<Cache>()) {}

CachingResolver::~CachingResolver() = default;

Result<TxtAnswer> CachingResolver::TxtRecords(const std::string& name) {
  std::string key = AsciiLower(name);
  while (!key.empty() && key.back() == '.') key.pop_back();
  {
    std::lock_guard<std::mutex> lock(cache_->mu);
    auto it = cache_->entries.find(key);
    if (it != cache_->entries.end() && it->second.expires > now_()) return it->second.answer;
  }
  // Asked without the lock: a slow lookup must not hold up answers for other names.
  Result<TxtAnswer> answer = upstream_->TxtRecords(name);
  std::int64_t keep = answer.ok() ? answer.value().ttl_seconds : options_.failure_ttl_seconds;
  std::lock_guard<std::mutex> lock(cache_->mu);
  if (cache_->entries.size() >= options_.max_cache_entries) {
    std::int64_t now = now_();
    std::erase_if(cache_->entries, [now](const auto& e) { return e.second.expires <= now; });
    if (cache_->entries.size() >= options_.max_cache_entries) cache_->entries.clear();
  }
  cache_->entries.insert_or_assign(key, Cache::Entry{answer, now_() + keep});
  return answer;
}

std::unique_ptr<DmarcResolver> NewDmarcResolver(DnsResolverOptions options) {
  return std::make_unique<CachingResolver>(std::make_unique<DnsResolver>(options), options);
}

namespace {

// The strictest policy among the DMARC records in `records` (nullopt when none is
// one), read as p= or, for an organisational-domain record, sp=.
std::optional<DmarcPolicy> PolicyOf(const std::vector<std::string>& records, bool subdomain) {
  std::optional<DmarcPolicy> best;
  for (const std::string& txt : records) {
    std::optional<DmarcRecord> r = ParseDmarcRecord(txt);
    if (!r) continue;
    DmarcPolicy p = subdomain ? r->subdomain_policy : r->policy;
    if (!best || Strictness(p) > Strictness(*best)) best = p;
  }
  return best;
}

}  // namespace

DmarcLookup LookupDmarcPolicy(DmarcResolver& resolver, std::string_view from_domain) {
  DmarcLookup out;
  std::string domain = AsciiLower(Trim(from_domain));
  while (!domain.empty() && domain.back() == '.') domain.pop_back();
  if (!IsDomainName(domain)) return out;
  const std::string names[2] = {domain, OrganizationalDomain(domain)};
  for (int i = 0; i < 2; ++i) {
    bool org = i == 1;
    if (org && names[1] == names[0]) break;
    std::string name = "_dmarc." + names[i];
    Result<TxtAnswer> answer = resolver.TxtRecords(name);
    if (!answer.ok()) {
      out.policy = DmarcPolicy::kUnknown;
      out.status = answer.status();
      return out;
    }
    if (std::optional<DmarcPolicy> p = PolicyOf(answer.value().records, org)) {
      out.policy = *p;
      out.record_name = name;
      return out;
    }
  }
  return out;
}

bool ShouldRewriteFrom(DmarcResolver& resolver, std::string_view from_domain) {
  DmarcPolicy p = LookupDmarcPolicy(resolver, from_domain).policy;
  return p == DmarcPolicy::kReject || p == DmarcPolicy::kQuarantine || p == DmarcPolicy::kUnknown;
}

}  // namespace rt
