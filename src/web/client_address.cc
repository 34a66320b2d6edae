#include "web/client_address.h"

#include <algorithm>

namespace rt {

namespace asio = boost::asio;

namespace {

asio::ip::address Unmapped(asio::ip::address address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  return address;
}

// One X-Forwarded-For entry without blanks, and without the port some proxies add
// ("203.0.113.7:4711", "[2001:db8::1]:443").
std::string_view AddressPart(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (!s.empty() && s.front() == '[') {
    std::size_t close = s.find(']');
    return close == std::string_view::npos ? s : s.substr(1, close - 1);
  }
  std::size_t colon = s.find(':');
  if (colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos) return s.substr(0, colon);
  return s;
}

}  // namespace

ClientAddress ClientOf(asio::ip::address peer) {
  peer = Unmapped(peer);
  ClientAddress client{peer.to_string(), {}};
  if (peer.is_v4()) {
    client.rate_key = client.text;
    return client;
  }
  // One IPv6 client usually holds a whole /64.
  auto bytes = peer.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  client.rate_key = asio::ip::address_v6(bytes).to_string() + "/64";
  return client;
}

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& ranges) {
  TrustedProxies proxies;
  for (const std::string& range : ranges) {
    std::size_t slash = range.find('/');
    boost::system::error_code ec;
    asio::ip::address address = asio::ip::make_address(range.substr(0, slash), ec);
    int prefix = -1;
    if (!ec && slash != std::string::npos) {
      std::string_view digits = std::string_view(range).substr(slash + 1);
      bool numeric = !digits.empty() && digits.size() <= 3 &&
                     std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      prefix = numeric ? std::stoi(std::string(digits)) : 999;
    }
    address = Unmapped(address);
    int bits = address.is_v4() ? 32 : 128;
    if (ec || prefix > bits)
      return Status::InvalidArgument("trusted proxy \"" + range +
                                     "\": expected an address or a CIDR range, e.g. 127.0.0.1 or 10.0.0.0/8");
    if (prefix < 0) prefix = bits;
    if (address.is_v4())
      proxies.v4_.push_back(asio::ip::network_v4(address.to_v4(), static_cast<unsigned short>(prefix)).canonical());
    else
      proxies.v6_.push_back(asio::ip::network_v6(address.to_v6(), static_cast<unsigned short>(prefix)).canonical());
  }
  return proxies;
}

bool TrustedProxies::Contains(asio::ip::address address) const {
  address = Unmapped(address);
  if (address.is_v4()) {
    return std::any_of(v4_.begin(), v4_.end(), [&](const asio::ip::network_v4& net) {
      return asio::ip::network_v4(address.to_v4(), net.prefix_length()).canonical() == net;
    });
  }
  return std::any_of(v6_.begin(), v6_.end(), [&](const asio::ip::network_v6& net) {
    return asio::ip::network_v6(address.to_v6(), net.prefix_length()).canonical() == net;
  });
}

ClientAddress TrustedProxies::Resolve(asio::ip::address peer, std::string_view forwarded_for) const {
  if (empty() || forwarded_for.empty() || !Contains(peer)) return ClientOf(peer);
  asio::ip::address client = peer;
  while (!forwarded_for.empty()) {
    std::size_t comma = forwarded_for.rfind(',');
    std::string_view entry = AddressPart(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    boost::system::error_code ec;
    asio::ip::address named = asio::ip::make_address(std::string(entry), ec);
    if (ec) break;  // garbage (or "unknown"): the last trusted hop is the best we know
    client = named;
    if (!Contains(named)) break;
  }
  return ClientOf(client);
}

}  // namespace rt
