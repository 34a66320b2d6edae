#include <gtest/gtest.h>

#include "people/address.h"
#include "people/stakeholder_rules.h"

namespace rt {
namespace {

TEST(Address, Normalizes) {
  EXPECT_EQ(NormalizeAddress(" <Jane.Doe@Example.ORG> "), "jane.doe@example.org");
  EXPECT_EQ(NormalizeAddress("jdoe at example.org"), "jdoe@example.org");
  EXPECT_EQ(NormalizeAddress("x@googlemail.com"), "x@gmail.com");
  EXPECT_EQ(NormalizeAddress("not an address"), "");
  EXPECT_EQ(NormalizeAddress("@example.org"), "");
  EXPECT_EQ(NormalizeAddress(""), "");
}

TEST(StakeholderRules, DefaultsAndOverrides) {
  StakeholderRules rules = StakeholderRules::Defaults();
  EXPECT_EQ(rules.Classify("a@state.gov").group, "government");
  EXPECT_EQ(rules.Classify("a@dcms.gov.uk").group, "government");
  EXPECT_EQ(rules.Classify("a@cs.mit.edu").group, "academia");
  EXPECT_EQ(rules.Classify("a@ox.ac.uk").group, "academia");
  EXPECT_EQ(rules.Classify("a@itu.int").affiliation, "International Telecommunication Union");
  EXPECT_EQ(rules.Classify("a@gmail.com").group, "unknown");
  ASSERT_TRUE(rules.Add("example.org civil-society Example Foundation\n"
                        "*.example.org private-sector\n"
                        "itu.int academia  # an override\n",
                        "rules.txt").ok());
  EXPECT_EQ(rules.Classify("a@example.org").group, "private-sector");  // later rule, same specificity
  EXPECT_EQ(rules.Classify("a@itu.int").group, "academia");
}

TEST(StakeholderRules, ReportsBadLines) {
  StakeholderRules rules;
  Status s = rules.Add("example.org\n", "r.txt");
  EXPECT_EQ(s.message(), "r.txt:1: a rule needs a domain pattern and a group");
  s = rules.Add("# c\nexample.org lobbyists\n", "r.txt");
  EXPECT_NE(s.message().find("r.txt:2: unknown stakeholder group \"lobbyists\""), std::string::npos);
}

}  // namespace
}  // namespace rt

namespace rt {
namespace {

TEST(MaskAddressesTest, StarsLocalPartsKeepingLength) {
  std::string text = "Write to jane.doe@example.org, or bob@x.org; not me@home (no dot) nor @example.org.";
  std::string masked = MaskAddresses(text);
  EXPECT_EQ(masked.size(), text.size());
  EXPECT_EQ(masked, "Write to jan*****@example.org, or b**@x.org; not me@home (no dot) nor @example.org.");
  EXPECT_EQ(MaskAddresses("On Mon, Jane <jane@example.org> wrote:"), "On Mon, Jane <ja**@example.org> wrote:");
}

}  // namespace
}  // namespace rt
