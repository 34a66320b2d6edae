#pragma once
// Who a request comes from: the peer itself, or, behind reverse proxies the operator
// trusts (nginx terminating TLS, a load balancer), the address they name in
// X-Forwarded-For. Rate limits and the access log are kept per client, not per proxy.

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include "util/status.h"

namespace rt {

struct ClientAddress {
  std::string text;      ///< "203.0.113.7", "2001:db8::1"
  std::string rate_key;  ///< what the rate limit counts: the IPv4 address, the IPv6 /64
};

/// The client address of a direct peer (IPv4-mapped IPv6 read as IPv4).
ClientAddress ClientOf(boost::asio::ip::address peer);

class TrustedProxies {
 public:
  /// `ranges`: addresses or CIDR ranges ("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8").
  /// InvalidArgument naming the first entry that is neither.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& ranges);

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool Contains(boost::asio::ip::address address) const;

  /// The client of a request from `peer` that carries `forwarded_for` (its
  /// X-Forwarded-For header, "" when absent). When `peer` is trusted, the header is read
  /// from the right, past every trusted proxy, to the first address that is not one:
  /// entries further left were written by the client and prove nothing. An entry that
  /// is no address stops the walk at the last trusted hop read (the peer, when it is the
  /// first). An untrusted peer is its own client.
  ClientAddress Resolve(boost::asio::ip::address peer, std::string_view forwarded_for) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

}  // namespace rt
