#include "archive/message_processor.h"

#include <gtest/gtest.h>

#include "mime/mime_parser.h"

namespace rt {
namespace {

class MessageProcessorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitMime(); }
  ImportItem Process(std::string bytes, std::string envelope, SourceFormat format = SourceFormat::kMbox) {
    RawMessage raw;
    raw.bytes = std::move(bytes);
    raw.envelope = std::move(envelope);
    raw.format = format;
    return processor_.Process(std::move(raw));
  }
  MessageProcessor processor_;
};

TEST_F(MessageProcessorTest, UndatedMessagesTakeTheEnvelopeDate) {
  constexpr std::int64_t kJan9 = 1168334550;  // 2007-01-09 09:22:30 UTC
  ImportItem mbox = Process("From: a@example.org\nSubject: s\n\nbody\n", "a@example.org Tue Jan  9 09:22:30 2007");
  ASSERT_TRUE(mbox.parsed);
  EXPECT_EQ(mbox.parsed->date, kJan9);
  ImportItem pipermail = Process("From: a at example.org (A)\nSubject: s\n\nbody\n",
                                 "a at example.org  Tue Jan  9 09:22:30 2007", SourceFormat::kPipermailText);
  ASSERT_TRUE(pipermail.parsed);
  EXPECT_EQ(pipermail.parsed->date, kJan9);
  ImportItem broken = Process("From: a@example.org\nDate: Mon, 32 Foo 1999\n\nbody\n", "MAILER-DAEMON Fri Mar  2 11:00:00 2001");
  ASSERT_TRUE(broken.parsed);
  EXPECT_EQ(broken.parsed->date, 983530800);
  ImportItem none = Process("From: a@example.org\n\nbody\n", "a@example.org");
  ASSERT_TRUE(none.parsed);
  EXPECT_FALSE(none.parsed->date);
}

}  // namespace
}  // namespace rt
