#include "mail/verp.h"

#include <gtest/gtest.h>

#include <set>

namespace rt {
namespace {

std::string Sender(std::string_view list, std::string_view subscriber) {
  Result<std::string> r = VerpSender(list, subscriber);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : std::string();
}

// A dot-atom (RFC 5322 3.2.3): atext runs separated by single dots.
bool IsDotAtom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  static const std::string kSpecials = "!#$%&'*+-/=?^_`{|}~";
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (s[i - 1] == '.') return false;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && kSpecials.find(c) == std::string::npos) return false;
  }
  return true;
}

TEST(Verp, MailmanForm) {
  EXPECT_EQ(Sender("policy@lists.example.org", "alice@example.org"),
            "policy-bounces+alice=example.org@lists.example.org");
  EXPECT_EQ(Sender("igf-policy@lists.example.org", "Jane.Doe@Example.ORG"),
            "igf-policy-bounces+Jane.Doe=Example.ORG@lists.example.org");
}

TEST(Verp, EscapesUnsafeCharacters) {
  EXPECT_EQ(Sender("policy@l.example", "bob+tag@example.org"), "policy-bounces+bob+2Btag=example.org@l.example");
  EXPECT_EQ(Sender("policy@l.example", "a=b@example.org"), "policy-bounces+a+3Db=example.org@l.example");
  EXPECT_EQ(Sender("policy@l.example", "a..b@x.org."), "policy-bounces+a.+2Eb=x.org+2E@l.example");
}

TEST(Verp, RejectsBadInput) {
  EXPECT_FALSE(VerpSender("policy", "a@b").ok());
  EXPECT_FALSE(VerpSender("pol+icy@l.example", "a@b").ok());
  EXPECT_FALSE(VerpSender("policy@l.example", "nobody").ok());
  EXPECT_FALSE(VerpSender("policy@l.example", "@example.org").ok());
  EXPECT_FALSE(VerpSender("policy@l.example", "alice@").ok());
  EXPECT_FALSE(VerpSender("policy@l.example\r\nBcc: x", "a@b").ok());
}

TEST(Verp, RoundTripsTrickyAddresses) {
  const char* tricky[] = {
      "alice@example.org",
      "bob+tag@example.org",
      "a=b=c@example.org",
      "\"john doe\"@example.org",
      "\"a@b\"@example.org",
      "user%relay@example.org",
      "x!y:z[1]@example.org",
      "o'brien@example.ie",
      ".lead@example.org",
      "trail.@example.org",
      "dots..twice@example.org",
      "+@example.org",
      "==@example.org",
      "admin@[192.0.2.1]",
      "jos\xc3\xa9@exampl\xc3\xa9.org",  // SMTPUTF8 address
      "UPPER.Case@Example.ORG",
      "a@b.c.",
  };
  for (const char* address : tricky) {
    std::string sender = Sender("policy@lists.example.org", address);
    std::string local = sender.substr(0, sender.rfind('@'));
    EXPECT_TRUE(IsDotAtom(local)) << sender;
    std::optional<VerpBounce> b = ParseVerp(sender);
    ASSERT_TRUE(b) << sender;
    EXPECT_EQ(b->subscriber, address) << sender;
    EXPECT_EQ(b->list_local_part, "policy");
    EXPECT_EQ(b->list_domain, "lists.example.org");
    // Also as ParseListAddress sees it, bracketed as in RCPT TO.
    std::optional<ListAddress> a = ParseListAddress("<" + sender + ">", "LISTS.example.org");
    ASSERT_TRUE(a) << sender;
    EXPECT_EQ(a->role, ListRole::kBounces);
    EXPECT_EQ(a->detail, address);
  }
}

TEST(Verp, RoundTripsEveryByte) {
  std::set<std::string> seen;
  for (int c = 1; c < 256; ++c) {
    std::string address = std::string("a") + static_cast<char>(c) + "b@d" + static_cast<char>(c) + ".org";
    std::string sender = Sender("policy@lists.example.org", address);
    EXPECT_TRUE(seen.insert(sender).second) << "two addresses encode alike: " << sender;
    std::optional<VerpBounce> b = ParseVerp(sender);
    ASSERT_TRUE(b) << c;
    EXPECT_EQ(b->subscriber, address) << c;
  }
}

TEST(Verp, ParseAcceptsLowerCaseHexAndCase) {
  std::optional<VerpBounce> b = ParseVerp("Policy-BOUNCES+bob+2btag=example.org@Lists.Example.org");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->list_local_part, "policy");
  EXPECT_EQ(b->list_domain, "lists.example.org");
  EXPECT_EQ(b->subscriber, "bob+tag@example.org");
}

TEST(Verp, ParseRejectsNonVerp) {
  EXPECT_FALSE(ParseVerp("policy@lists.example.org"));
  EXPECT_FALSE(ParseVerp("policy-bounces@lists.example.org"));       // plain bounce, no subscriber
  EXPECT_FALSE(ParseVerp("policy-request+x=y@lists.example.org"));   // not a bounce address
  EXPECT_FALSE(ParseVerp("policy-bounces+alice@lists.example.org"));  // no '='
  EXPECT_FALSE(ParseVerp("policy-bounces+a=b=c@lists.example.org"));  // two '='
  EXPECT_FALSE(ParseVerp("policy-bounces+a+4=b@lists.example.org"));  // broken escape
  EXPECT_FALSE(ParseVerp("policy-bounces+a+zz=b@lists.example.org"));
  EXPECT_FALSE(ParseVerp("policy-bounces+a+2"));
  EXPECT_FALSE(ParseVerp("policy-bounces+=example.org@l"));  // empty subscriber local part
  EXPECT_FALSE(ParseVerp("-bounces+a=b@l"));                  // empty list name
  EXPECT_FALSE(ParseVerp(""));
}

TEST(ListAddressTest, Roles) {
  struct Case {
    const char* rcpt;
    const char* list;
    ListRole role;
    const char* detail;
  } cases[] = {
      {"policy@lists.example.org", "policy", ListRole::kPost, ""},
      {"Policy+topic@lists.example.org", "policy", ListRole::kPost, "topic"},
      {"policy-request@lists.example.org", "policy", ListRole::kRequest, ""},
      {"policy-join@lists.example.org", "policy", ListRole::kJoin, ""},
      {"policy-subscribe@lists.example.org", "policy", ListRole::kJoin, ""},
      {"policy-leave@lists.example.org", "policy", ListRole::kLeave, ""},
      {"policy-unsubscribe@lists.example.org", "policy", ListRole::kLeave, ""},
      {"policy-bounces@lists.example.org", "policy", ListRole::kBounces, ""},
      {"policy-bounces+alice=example.org@lists.example.org", "policy", ListRole::kBounces, "alice@example.org"},
      {"policy-bounces+garbage@lists.example.org", "policy", ListRole::kBounces, ""},
      {"policy-confirm+Ab12Cd@lists.example.org", "policy", ListRole::kConfirm, "Ab12Cd"},
      {"policy-owner@lists.example.org", "policy", ListRole::kOwner, ""},
      {"igf-policy-wg-REQUEST@lists.example.org", "igf-policy-wg", ListRole::kRequest, ""},
      {"<policy-leave@lists.example.org>", "policy", ListRole::kLeave, ""},
      {"-request@lists.example.org", "-request", ListRole::kPost, ""},
  };
  for (const Case& c : cases) {
    std::optional<ListAddress> a = ParseListAddress(c.rcpt, "lists.example.org");
    ASSERT_TRUE(a) << c.rcpt;
    EXPECT_EQ(a->list_local_part, c.list) << c.rcpt;
    EXPECT_EQ(a->domain, "lists.example.org");
    EXPECT_EQ(a->role, c.role) << c.rcpt << " got " << ListRoleName(a->role);
    EXPECT_EQ(a->detail, c.detail) << c.rcpt;
  }
}

TEST(ListAddressTest, RejectsOtherDomainsAndNonAddresses) {
  EXPECT_FALSE(ParseListAddress("policy@other.example.org", "lists.example.org"));
  EXPECT_FALSE(ParseListAddress("policy", "lists.example.org"));
  EXPECT_FALSE(ParseListAddress("@lists.example.org", ""));
  EXPECT_FALSE(ParseListAddress("+x@lists.example.org", ""));
  EXPECT_TRUE(ParseListAddress("policy@anything.example", ""));
}

TEST(ListAddressTest, ExistingListsWin) {
  std::set<std::string> lists = {"team-join", "policy"};
  auto exists = [&](std::string_view name) { return lists.count(std::string(name)) > 0; };
  std::optional<ListAddress> a = ParseListAddress("team-join@l.example", "l.example", exists);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->role, ListRole::kPost);
  EXPECT_EQ(a->list_local_part, "team-join");
  a = ParseListAddress("team-join-leave@l.example", "l.example", exists);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->role, ListRole::kLeave);
  EXPECT_EQ(a->list_local_part, "team-join");
  a = ParseListAddress("policy-confirm+tok@l.example", "l.example", exists);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->role, ListRole::kConfirm);
  EXPECT_FALSE(ParseListAddress("team-request@l.example", "l.example", exists));
  EXPECT_FALSE(ParseListAddress("nobody@l.example", "l.example", exists));
}

}  // namespace
}  // namespace rt
