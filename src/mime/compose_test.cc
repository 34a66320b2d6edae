#include "mime/compose.h"

#include <gtest/gtest.h>

#include "mime/mime_parser.h"

namespace rt {
namespace {

OutgoingMessage Sample() {
  OutgoingMessage m;
  m.from_name = "Zoë Ngũgĩ";
  m.from_address = "zoe@example.org";
  m.to = {"policy@lists.example.org"};
  m.subject = "Über die Zukunft — a very long subject line that certainly needs folding when it is written out";
  m.message_id = "abc123@lists.example.org";
  m.references = {"root@x.example", "parent@y.example"};
  m.date = 1700000000;
  m.extra_headers = {{"List-Id", "Policy <policy.lists.example.org>"}};
  m.text = "Hello,\n\nline with ünïcödé and a very long line " + std::string(200, 'x') + "\n.\n-- \nZoë\n";
  return m;
}

TEST(Compose, RoundTripsThroughTheParser) {
  InitMime();
  Result<std::string> bytes = ComposeMessage(Sample());
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_NE(bytes.value().find("\r\n"), std::string::npos);
  for (std::size_t start = 0, end; (end = bytes.value().find("\r\n", start)) != std::string::npos; start = end + 2)
    EXPECT_LE(end - start, 998u);
  ParsedMessage p;
  ASSERT_TRUE(ParseMimeMessage(bytes.value(), &p).ok());
  EXPECT_EQ(p.from_name, "Zoë Ngũgĩ");
  EXPECT_EQ(p.from_address, "zoe@example.org");
  EXPECT_EQ(p.subject, Sample().subject);
  EXPECT_EQ(p.message_id, "abc123@lists.example.org");
  EXPECT_EQ(p.references, (std::vector<std::string>{"root@x.example", "parent@y.example"}));
  EXPECT_EQ(p.date, 1700000000);
  EXPECT_EQ(p.list_hint, "policy");
  EXPECT_EQ(p.body_text, Sample().text);
}

TEST(Compose, CarriesAttachments) {
  InitMime();
  OutgoingMessage m = Sample();
  m.attachments.push_back({"report final.pdf", "application/pdf", std::string("%PDF-1.4\0binary", 15)});
  Result<std::string> bytes = ComposeMessage(m);
  ASSERT_TRUE(bytes.ok());
  ParsedMessage p;
  ASSERT_TRUE(ParseMimeMessage(bytes.value(), &p).ok());
  ASSERT_EQ(p.attachments.size(), 1u);
  EXPECT_EQ(p.attachments[0].filename, "report final.pdf");
  EXPECT_EQ(p.attachments[0].data, std::string("%PDF-1.4\0binary", 15));
}

TEST(Compose, RefusesHeaderInjection) {
  InitMime();
  OutgoingMessage m = Sample();
  m.subject = "hi\r\nBcc: victim@example.org";
  EXPECT_FALSE(ComposeMessage(m).ok());
  m = Sample();
  m.from_address = "a@b.example>\r\nBcc: x@y";
  EXPECT_FALSE(ComposeMessage(m).ok());
  m = Sample();
  m.references = {"a@b\r\nX: y"};
  EXPECT_FALSE(ComposeMessage(m).ok());
}

TEST(Compose, MessageIdsAreUnique) {
  EXPECT_NE(NewMessageId("lists.example.org"), NewMessageId("lists.example.org"));
  EXPECT_NE(NewMessageId("x").find("@x"), std::string::npos);
}

}  // namespace
}  // namespace rt
