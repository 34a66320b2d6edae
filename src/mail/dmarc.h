#pragma once
// DMARC (RFC 7489) policy discovery, to decide whether a post's From must be
// rewritten before the list sends it on (Mailman's dmarc_mitigate_action
// munge_from): a receiver applying p=reject or p=quarantine to the author's domain
// would otherwise refuse or junk the list's copies, whose DKIM and SPF no longer
// align with that domain.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace rt {

enum class DmarcPolicy { kNone, kQuarantine, kReject, kUnknown };

const char* DmarcPolicyName(DmarcPolicy policy);

/// A parsed DMARC record.
struct DmarcRecord {
  DmarcPolicy policy = DmarcPolicy::kNone;            ///< p=
  DmarcPolicy subdomain_policy = DmarcPolicy::kNone;  ///< sp=, or p= when sp= is absent
};

/// Parses one TXT record. nullopt when it is not a DMARC record: the first tag is not
/// v=DMARC1 (case-insensitive, as Mailman and OpenDMARC read it), or p= is missing or
/// invalid and there is no rua= (RFC 7489 6.3: a record with an invalid p= but a rua=
/// counts as p=none). An invalid sp= falls back to p=. Unknown tags are ignored.
std::optional<DmarcRecord> ParseDmarcRecord(std::string_view txt);

/// The organisational domain of `domain` (RFC 7489 3.2), lower-cased, without a
/// trailing dot: its last two labels, or its last three when the last two are a
/// well-known two-level public suffix (co.uk, com.au, co.jp, com.br, ... a fixed list
/// in dmarc.cc). The full Public Suffix List is not used, so a domain under a
/// rarer multi-label suffix (e.g. city.kawasaki.jp) gets a too-short organisational
/// domain; the only effect is one extra, useless lookup. A domain of one or two
/// labels is its own organisational domain.
std::string OrganizationalDomain(std::string_view domain);

/// What a DNS TXT lookup found.
struct TxtAnswer {
  /// Each TXT record of the name, its character-strings joined (RFC 7208 3.3).
  /// Empty when the name does not exist (NXDOMAIN) or has no TXT records (NODATA).
  std::vector<std::string> records;
  std::uint32_t ttl_seconds = 0;  ///< how long the answer may be reused
};

/// Where TXT records come from: DNS in production, a table in tests.
class DmarcResolver {
 public:
  virtual ~DmarcResolver() = default;
  /// The TXT records of `name` ("_dmarc.example.org"). A name without records is an
  /// ok answer with no records; an error Status (kIoError) only when the lookup failed
  /// (timeout, SERVFAIL, unreadable answer). Implementations must be thread-safe.
  virtual Result<TxtAnswer> TxtRecords(const std::string& name) = 0;
};

/// Settings of the DNS resolver and its cache.
struct DnsResolverOptions {
  int timeout_seconds = 2;  ///< per try; glibc counts whole seconds (at least 1)
  int attempts = 2;         ///< tries per server before giving up
  /// "127.0.0.1:5353" or "[::1]:53" to ask this server only (tests); empty: the
  /// servers in /etc/resolv.conf.
  std::string nameserver;
  std::uint32_t min_ttl_seconds = 60;         ///< answers are kept at least this long
  std::uint32_t max_ttl_seconds = 3600;       ///< and at most this long
  std::uint32_t negative_ttl_seconds = 900;   ///< no record, when the answer gives no SOA
  std::uint32_t failure_ttl_seconds = 60;     ///< a failed lookup is not retried sooner
  std::size_t max_cache_entries = 10000;      ///< beyond: the cache is emptied and starts again
};

/// TXT lookups through glibc's resolver (res_nmkquery/res_nsend on a private
/// resolver state per call, so it is thread-safe; answers read with ns_initparse and
/// ns_parserr; link with -lresolv). Each call returns within about
/// timeout_seconds * attempts * servers. The TTL of an answer is the smallest TTL of
/// its TXT records; of a negative answer, the SOA's negative TTL (RFC 2308), else
/// negative_ttl_seconds; both clamped to [min_ttl_seconds, max_ttl_seconds].
/// No caching: wrap it in a CachingResolver.
class DnsResolver : public DmarcResolver {
 public:
  explicit DnsResolver(DnsResolverOptions options = {});
  Result<TxtAnswer> TxtRecords(const std::string& name) override;

 private:
  const DnsResolverOptions options_;
};

/// A thread-safe cache in front of another resolver: answers are kept for their
/// ttl_seconds, negative answers too, and failures for failure_ttl_seconds (so a dead
/// resolver costs one timeout per name per minute, not one per post). Concurrent
/// misses for the same name may each ask upstream; the upstream call is made without
/// holding the lock. `now` is the clock (seconds; steady_clock when empty).
class CachingResolver : public DmarcResolver {
 public:
  CachingResolver(std::unique_ptr<DmarcResolver> upstream, DnsResolverOptions options,
                  std::function<std::int64_t()> now = {});
  ~CachingResolver() override;
  CachingResolver(const CachingResolver&) = delete;
  CachingResolver& operator=(const CachingResolver&) = delete;
  Result<TxtAnswer> TxtRecords(const std::string& name) override;

 private:
  struct Cache;
  const std::unique_ptr<DmarcResolver> upstream_;
  const DnsResolverOptions options_;
  const std::function<std::int64_t()> now_;
  const std::unique_ptr<Cache> cache_;
};

/// The production resolver: DNS through a cache.
std::unique_ptr<DmarcResolver> NewDmarcResolver(DnsResolverOptions options = {});

/// The policy that applies to mail From: an address at `from_domain`.
struct DmarcLookup {
  /// kNone when neither the domain nor its organisational domain publish a record;
  /// kUnknown when a lookup failed (status says why).
  DmarcPolicy policy = DmarcPolicy::kNone;
  std::string record_name;  ///< where the record was found ("_dmarc.example.org"), "" if none
  Status status;            ///< not ok when a DNS lookup failed
};

/// RFC 7489 6.6.3: the record at _dmarc.<from_domain> (its p=); if there is none, the
/// record at _dmarc.<organisational domain> (its sp=, falling back to p=). Several DMARC
/// records at one name (a misconfiguration the RFC says to ignore) give the strictest
/// of them, as Mailman does: rewriting a From that needed no rewriting is cheaper than
/// losing the post. An empty or malformed from_domain gives kNone.
DmarcLookup LookupDmarcPolicy(DmarcResolver& resolver, std::string_view from_domain);

/// Whether the list must rewrite From for mail from `from_domain`: true for p=reject
/// and p=quarantine, and also when the lookup failed, as Mailman does (a receiver
/// may well see the record the list could not).
bool ShouldRewriteFrom(DmarcResolver& resolver, std::string_view from_domain);

}  // namespace rt
