#include "archive/subject.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

TEST(Subject, BaseSubjectStripsPrefixesAndTags) {
  EXPECT_EQ(BaseSubject("Re: [policy] Re: Fwd:  Draft   Letter"), "draft letter");
  EXPECT_EQ(BaseSubject("RE[2]: AW: WG: Agenda"), "agenda");
  EXPECT_EQ(BaseSubject("[igf-mag] Réf: Consultation"), "consultation");
  EXPECT_EQ(BaseSubject("Regulation of the Internet"), "regulation of the internet");
  EXPECT_EQ(BaseSubject(""), "");
}

TEST(Subject, ReplyAndTag) {
  EXPECT_TRUE(IsReplySubject("[policy] Re: x"));
  EXPECT_TRUE(IsReplySubject("RE : x"));
  EXPECT_FALSE(IsReplySubject("Reform: x"));
  EXPECT_EQ(SubjectListTag("Re: [Policy-WG] x"), "policy-wg");
  EXPECT_EQ(SubjectListTag("[SPAM?] hello"), "");
  EXPECT_EQ(SubjectListTag("no tag"), "");
}

}  // namespace
}  // namespace rt
