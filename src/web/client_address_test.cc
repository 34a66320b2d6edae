#include "web/client_address.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

boost::asio::ip::address Ip(const char* text) { return boost::asio::ip::make_address(text); }

TrustedProxies Proxies(const std::vector<std::string>& ranges) {
  Result<TrustedProxies> proxies = TrustedProxies::Parse(ranges);
  EXPECT_TRUE(proxies.ok()) << proxies.status().message();
  return proxies.ok() ? proxies.value() : TrustedProxies();
}

TEST(ClientAddressTest, DirectPeersAreKeyedByAddressOrIpv6Slash64) {
  EXPECT_EQ(ClientOf(Ip("203.0.113.7")).rate_key, "203.0.113.7");
  EXPECT_EQ(ClientOf(Ip("::ffff:203.0.113.7")).text, "203.0.113.7");
  ClientAddress v6 = ClientOf(Ip("2001:db8:1:2:aaaa::1"));
  EXPECT_EQ(v6.text, "2001:db8:1:2:aaaa::1");
  EXPECT_EQ(v6.rate_key, "2001:db8:1:2::/64");
}

TEST(ClientAddressTest, RangesParseAndMatch) {
  TrustedProxies proxies = Proxies({"127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1"});
  EXPECT_TRUE(proxies.Contains(Ip("127.0.0.1")));
  EXPECT_FALSE(proxies.Contains(Ip("127.0.0.2")));
  EXPECT_TRUE(proxies.Contains(Ip("10.200.3.4")));
  EXPECT_TRUE(proxies.Contains(Ip("::ffff:10.1.1.1")));
  EXPECT_FALSE(proxies.Contains(Ip("11.0.0.1")));
  EXPECT_TRUE(proxies.Contains(Ip("fd12::5")));
  EXPECT_TRUE(proxies.Contains(Ip("::1")));
  EXPECT_FALSE(proxies.Contains(Ip("2001:db8::1")));
  for (const char* bad : {"localhost", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "::1/129", "300.1.1.1", ""}) {
    Result<TrustedProxies> parsed = TrustedProxies::Parse({bad});
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find("trusted proxy"), std::string::npos);
  }
}

TEST(ClientAddressTest, ForwardedForIsBelievedOnlyFromTrustedProxiesAndOnlyFromTheRight) {
  TrustedProxies proxies = Proxies({"127.0.0.1", "10.0.0.0/8"});
  // Straight from nginx on the same host.
  EXPECT_EQ(proxies.Resolve(Ip("127.0.0.1"), "198.51.100.4").text, "198.51.100.4");
  // Through a load balancer, then nginx; the client's own claim on the left is ignored.
  EXPECT_EQ(proxies.Resolve(Ip("127.0.0.1"), "6.6.6.6, 198.51.100.4, 10.0.0.3").text, "198.51.100.4");
  // Ports and brackets some proxies add.
  EXPECT_EQ(proxies.Resolve(Ip("127.0.0.1"), "198.51.100.4:4711").text, "198.51.100.4");
  ClientAddress v6 = proxies.Resolve(Ip("127.0.0.1"), "[2001:db8::7]:443");
  EXPECT_EQ(v6.text, "2001:db8::7");
  EXPECT_EQ(v6.rate_key, "2001:db8::/64");
  // An untrusted peer cannot name someone else.
  EXPECT_EQ(proxies.Resolve(Ip("198.51.100.9"), "1.2.3.4").text, "198.51.100.9");
  // Nothing usable: the proxy itself.
  EXPECT_EQ(proxies.Resolve(Ip("127.0.0.1"), "").text, "127.0.0.1");
  EXPECT_EQ(proxies.Resolve(Ip("127.0.0.1"), "unknown").text, "127.0.0.1");
  // Only trusted hops named: the leftmost of them.
  EXPECT_EQ(proxies.Resolve(Ip("127.0.0.1"), "10.0.0.9, 10.0.0.3").text, "10.0.0.9");
  // Without trusted proxies the header means nothing.
  EXPECT_EQ(TrustedProxies().Resolve(Ip("127.0.0.1"), "198.51.100.4").text, "127.0.0.1");
}

}  // namespace
}  // namespace rt
