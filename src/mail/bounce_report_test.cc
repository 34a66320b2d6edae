#include "mail/bounce_report.h"

#include <gtest/gtest.h>

#include <string>

#include "mime/mime_parser.h"

namespace rt {
namespace {

class BounceReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitMime(); }
};

// A DSN as Postfix writes it, with the per-recipient action given.
std::string PostfixDsn(const std::string& action, const std::string& status) {
  return "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
         "Subject: Undelivered Mail Returned to Sender\r\n"
         "To: policy-bounces+bob=example.net@lists.example.test\r\n"
         "Auto-Submitted: auto-replied\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=delivery-status;\r\n"
         "\tboundary=\"B1\"\r\n"
         "\r\n"
         "--B1\r\n"
         "Content-Description: Notification\r\n"
         "Content-Type: text/plain; charset=us-ascii\r\n"
         "\r\n"
         "This is the mail system at host mx.example.net.\r\n"
         "\r\n"
         "--B1\r\n"
         "Content-Description: Delivery report\r\n"
         "Content-Type: message/delivery-status\r\n"
         "\r\n"
         "Reporting-MTA: dns; mx.example.net\r\n"
         "Arrival-Date: Tue, 24 Nov 2026 10:00:00 +0000 (UTC)\r\n"
         "\r\n"
         "Final-Recipient: rfc822; bob@example.net\r\n"
         "Original-Recipient: rfc822;bob@example.net\r\n"
         "Action: " + action + "\r\n"
         "Status: " + status + "\r\n"
         "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected\r\n"
         "\r\n"
         "--B1\r\n"
         "Content-Description: Undelivered Message Headers\r\n"
         "Content-Type: text/rfc822-headers\r\n"
         "\r\n"
         "Subject: Agenda\r\n"
         "\r\n"
         "--B1--\r\n";
}

TEST_F(BounceReportTest, ADsnWithAFailedRecipientIsAFailure) {
  EXPECT_EQ(ClassifyBounce(PostfixDsn("failed", "5.1.1")), BounceKind::kFailure);
  EXPECT_EQ(ClassifyBounce(PostfixDsn("FAILED (permanent)", "5.1.1")), BounceKind::kFailure);
}

TEST_F(BounceReportTest, ADsnThatOnlySaysDelayedIsNoFailure) {
  EXPECT_EQ(ClassifyBounce(PostfixDsn("delayed", "4.4.1")), BounceKind::kDelay);
  EXPECT_EQ(ClassifyBounce(PostfixDsn("relayed", "2.0.0")), BounceKind::kDelay);
}

TEST_F(BounceReportTest, AReportWithoutActionsIsAFailure) {
  std::string dsn = PostfixDsn("failed", "5.1.1");
  dsn.replace(dsn.find("Action: failed\r\n"), 16, "");
  EXPECT_EQ(ClassifyBounce(dsn), BounceKind::kFailure);
}

TEST_F(BounceReportTest, AHolidayReplyIsNoFailure) {
  EXPECT_EQ(ClassifyBounce("From: Bob <bob@example.net>\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied (vacation)\r\n"
                           "\r\nI am away until Monday.\r\n"),
            BounceKind::kAutoReply);
}

TEST_F(BounceReportTest, PlainTextBouncesAndDamagedMailAreFailures) {
  // qmail's format: no DSN, no Auto-Submitted.
  EXPECT_EQ(ClassifyBounce("From: MAILER-DAEMON@mx.example.net\r\nSubject: failure notice\r\n\r\n"
                           "Hi. This is the qmail-send program at mx.example.net.\r\n"
                           "<bob@example.net>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n"),
            BounceKind::kFailure);
  // A mailer daemon that marks its plain-text bounce as a reply is still a mailer daemon.
  EXPECT_EQ(ClassifyBounce("From: Mail Delivery System <Mailer-Daemon@mx.example.net>\r\nAuto-Submitted: auto-replied\r\n"
                           "Subject: Mail delivery failed\r\n\r\nA message could not be delivered.\r\n"),
            BounceKind::kFailure);
  EXPECT_EQ(ClassifyBounce(""), BounceKind::kFailure);
  EXPECT_EQ(ClassifyBounce("\x01\x02 not mail at all"), BounceKind::kFailure);
}

}  // namespace
}  // namespace rt
