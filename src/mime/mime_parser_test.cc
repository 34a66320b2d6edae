#include "mime/mime_parser.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace rt {
namespace {

class MimeParser : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitMime(); }
  ParsedMessage Parse(std::string_view bytes) {
    ParsedMessage m;
    Status s = ParseMimeMessage(bytes, &m);
    EXPECT_TRUE(s.ok()) << s.message();
    return m;
  }
};

TEST_F(MimeParser, HeadersAndEncodedWords) {
  ParsedMessage m = Parse(
      "From: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <Andre@Example.ORG>\n"
      "Subject: =?koi8-r?B?8NLJ18XU?= [policy] draft\n"
      "Date: Tue, 9 Jan 2007 09:22:30 -0500\n"
      "Message-ID: <45A3.1@example.org>\n"
      "References: <a@x> <b@x>\n"
      "In-Reply-To: <b@x>\n"
      "List-Id: Policy list <policy.lists.example.org>\n"
      "\nbody\n");
  EXPECT_EQ(m.from_name, "André Müller");
  EXPECT_EQ(m.from_address, "andre@example.org");
  EXPECT_EQ(m.subject, "Привет [policy] draft");
  EXPECT_EQ(*m.date, 1168352550);
  EXPECT_EQ(m.message_id, "45A3.1@example.org");
  EXPECT_EQ(m.references, (std::vector<std::string>{"a@x", "b@x"}));
  EXPECT_EQ(m.list_hint, "policy");
  EXPECT_EQ(m.body_text, "body\n");
}

// A header naming thousands of messages keeps the root and the nearest ancestors, in order.
TEST_F(MimeParser, ReferencesKeepTheRootAndTheNearestAncestors) {
  std::string refs;
  for (int i = 0; i < 5000; ++i) refs += "<r" + std::to_string(i) + "@x> <r0@x> ";
  ParsedMessage m = Parse("From: a@x\nMessage-ID: <many@x>\nReferences: " + refs + "\nIn-Reply-To: <parent@x>\n\nbody\n");
  ASSERT_EQ(m.references.size(), 100u);
  EXPECT_EQ(m.references.front(), "r0@x");
  EXPECT_EQ(m.references[1], "r4902@x");
  EXPECT_EQ(m.references[98], "r4999@x");
  EXPECT_EQ(m.references.back(), "parent@x");
  ASSERT_FALSE(m.warnings.empty());
  EXPECT_NE(m.warnings[0].find("named 5001 messages"), std::string::npos) << m.warnings[0];
}

// A field no real message has (a megabyte subject) is cut, and the cut is noted.
TEST_F(MimeParser, OverlongFieldsAreCutAtACharacter) {
  std::string subject(997, 'x');
  subject += "é and more";
  std::string id(2000, 'i');
  ParsedMessage m = Parse("From: " + std::string(3000, 'N') + " <n@x>\nSubject: " + subject + "\nMessage-ID: <" + id +
                          "@x>\nReferences: <" + id + "@x>\nDate: Tue, 9 Jan 2007 09:22:30 +0000\n\nbody\n");
  EXPECT_EQ(m.subject, std::string(997, 'x'));  // é would straddle byte 998
  EXPECT_EQ(m.from_name.size(), 998u);
  EXPECT_EQ(m.from_address, "n@x");
  EXPECT_EQ(m.message_id.size(), 998u);
  EXPECT_EQ(m.references, std::vector<std::string>{m.message_id});  // cut alike, so replies still find it
  ASSERT_EQ(m.warnings.size(), 2u);
  EXPECT_EQ(m.warnings[0], "Subject cut to 998 of 1008 bytes");
}

// Bombs of parts are read up to a limit, and the limit is noted.
TEST_F(MimeParser, MimeBombsAreReadUpToALimitAndSaySo) {
  std::string nested = "From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n";
  for (int i = 0; i < 50; ++i)
    nested += "--b" + std::to_string(i) + "\nContent-Type: multipart/mixed; boundary=\"b" + std::to_string(i + 1) + "\"\n\n";
  nested += "--b50\nContent-Type: text/plain\n\ninnermost\n";
  for (int i = 50; i >= 0; --i) nested += "--b" + std::to_string(i) + "--\n";
  ParsedMessage deep = Parse(nested);
  EXPECT_EQ(deep.body_text, "");
  EXPECT_NE(std::find(deep.warnings.begin(), deep.warnings.end(),
                      "MIME parts nested more than 20 deep; the deeper ones were not read"),
            deep.warnings.end());

  std::string wide = "From: a@x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"w\"\n\n";
  for (int i = 0; i < 600; ++i) wide += "--w\nContent-Type: text/plain\n\npart " + std::to_string(i) + "\n";
  wide += "--w--\n";
  ParsedMessage many = Parse(wide);
  EXPECT_EQ(many.body_text.rfind("part 0\n", 0), 0u) << many.body_text.substr(0, 40);
  EXPECT_NE(std::find(many.warnings.begin(), many.warnings.end(), "more than 500 MIME parts; the rest was not read"),
            many.warnings.end());
}

// Repeated fields resolve as GMimeMessage resolved them when earlier versions imported
// archives: re-importing one must find the same Message-ID, or it would store duplicates.
TEST_F(MimeParser, RepeatedHeadersResolveAsBefore) {
  ParsedMessage m = Parse(
      "From:\n"
      "From: Second Sender <second@example.org>, third@example.org\n"
      "Subject: first\n"
      "Message-ID: <first@example.org>\n"
      "Subject: =?utf-8?q?last_=C3=A9?=\n"
      "Message-ID: <last@example.org>\n"
      "\nbody\n");
  EXPECT_EQ(m.message_id, "last@example.org");
  EXPECT_EQ(m.subject, "last é");
  EXPECT_EQ(m.from_name, "Second Sender");
  EXPECT_EQ(m.from_address, "second@example.org");
}

// The fields the archive does not read are left out before GMime parses; what it reads,
// and how GMime reads odd header lines, must not change.
TEST_F(MimeParser, UnreadFieldsAroundReadOnes) {
  ParsedMessage m = Parse(
      "Received: from a\n\tby b; Thu, 1 Jan 2004\n"
      "X-Spam: yes,\n Subject: a continuation, not a field\n"
      "Subject: real\n"
      "X-Mailer: m\n"
      "From: A <a@example.org>\n"
      "content-type: text/plain; charset=iso-8859-1\n"
      "Content-Transfer-Encoding: quoted-printable\n"
      "\ncaf=E9\n");
  EXPECT_EQ(m.subject, "real");
  EXPECT_EQ(m.from_address, "a@example.org");
  EXPECT_EQ(m.body_text, "café\n");

  // GMime skips a line that is no field and reads on; so does the archive.
  m = Parse("Subject: first\nX-A: 1\nthis line is no field\nSubject: second\nX-B: 2\n\nbody\n");
  EXPECT_EQ(m.subject, "second");
  EXPECT_EQ(m.body_text, "body\n");
  m = Parse("X-A: 1\n   \nSubject: after a blank continuation\n\nbody\n");
  EXPECT_EQ(m.subject, "after a blank continuation");
  m = Parse("X-A: 1\r\n 2\r\nSubject: s\r\nX-B: 3\r\nFrom: a@example.org\r\n\r\nbody\r\n");
  EXPECT_EQ(m.subject, "s");
  EXPECT_EQ(m.from_address, "a@example.org");
  EXPECT_EQ(m.body_text, "body\n");
  m = Parse("Subject: s\nX-A: no newline at the end");
  EXPECT_EQ(m.subject, "s");
  // Lines ended by a bare CR are one line to GMime: nothing in it is a field.
  m = Parse("X-A: 1\rSubject: s\r\rbody\r");
  EXPECT_EQ(m.subject, "");
  m = Parse("X-A: 1\nContent-Type: multipart/mixed; boundary=zz\nX-B: 2\n\n--zz\nContent-Type: text/plain\n\nhello\n--zz--\n");
  EXPECT_EQ(m.body_text, "hello");
}

TEST_F(MimeParser, ByteOrderMarkAndBlankLinesBeforeTheHeader) {
  ParsedMessage m = Parse("\xEF\xBB\xBF\r\n\nFrom: a@example.org\nSubject: saved by a tool\n\nbody\n");
  EXPECT_EQ(m.subject, "saved by a tool");
  EXPECT_EQ(m.from_address, "a@example.org");
}

TEST_F(MimeParser, CharsetsAndTransferEncodings) {
  ParsedMessage qp = Parse("From: a@b\nContent-Type: text/plain; charset=iso-8859-1\n"
                           "Content-Transfer-Encoding: quoted-printable\n\nR=E9gulation d=\n'Internet\n");
  EXPECT_EQ(qp.body_text, "Régulation d'Internet\n");
  ParsedMessage b64 = Parse("From: a@b\nContent-Type: text/plain; charset=utf-8\n"
                            "Content-Transfer-Encoding: base64\n\nw6lsw6h2ZQ==\n");
  EXPECT_EQ(b64.body_text, "élève");
  // A lying charset: declared UTF-8, actually latin-1 bytes.
  ParsedMessage lie = Parse("From: a@b\nContent-Type: text/plain; charset=utf-8\n\ncaf\xe9\n");
  EXPECT_EQ(lie.body_text, "café\n");
  // 8-bit in headers without encoded words.
  ParsedMessage raw8 = Parse("From: Jos\xe9 <j@b>\nSubject: S\xe3o Paulo\n\nx\n");
  EXPECT_EQ(raw8.subject, "São Paulo");
  ParsedMessage unknown = Parse("From: a@b\nContent-Type: text/plain; charset=x-no-such\n\nna\xefve\n");
  EXPECT_EQ(unknown.body_text, "naïve\n");
  ParsedMessage unknown_utf8 = Parse("From: a@b\nContent-Type: text/plain; charset=x-unknown\n\nCaf\xc3\xa9 cr\xc3\xa8me\n");
  EXPECT_EQ(unknown_utf8.body_text, "Café crème\n");
}

TEST_F(MimeParser, RawIso2022JpInHeaders) {
  ParsedMessage m = Parse(
      "From: y@example.jp (\x1b$B;3ED\x1b(B)\nSubject: \x1b$B2q5D\x1b(B\n"
      "Content-Type: text/plain; charset=ISO-2022-JP\n\nx\n");
  EXPECT_EQ(m.from_address, "y@example.jp");
  EXPECT_EQ(m.subject, "会議");
}

TEST_F(MimeParser, MultipartWhoseBoundaryNeverComesKeepsItsText) {
  ParsedMessage m = Parse("From: a@b\nContent-Type: multipart/mixed; boundary=\"NEVER\"\n\nplain text uniqueword\n");
  EXPECT_EQ(m.body_text, "plain text uniqueword\n");
}

TEST_F(MimeParser, NulBytesInTheHeaderDoNotCutFields) {
  ParsedMessage m = Parse(std::string("From: a@b\nSubject: nul\0byte in subject\n\nbody\n", 45));
  EXPECT_EQ(m.subject, "nul byte in subject");
}

TEST_F(MimeParser, AlternativeKeepsBothAndAttachmentsAreCollected) {
  ParsedMessage m = Parse(
      "From: a@b\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n"
      "--outer\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
      "--alt\nContent-Type: text/plain; charset=us-ascii\n\nplain text\n"
      "--alt\nContent-Type: text/html; charset=us-ascii\n\n<p>html <b>text</b></p>\n"
      "--alt--\n"
      "--outer\nContent-Type: application/pdf; name=\"report.pdf\"\nContent-Disposition: attachment; filename=\"report.pdf\"\n"
      "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
      "--outer--\n");
  EXPECT_EQ(m.body_text, "plain text");  // the line break before a boundary belongs to it
  EXPECT_NE(m.body_html.find("<b>text</b>"), std::string::npos);
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "report.pdf");
  EXPECT_EQ(m.attachments[0].content_type, "application/pdf");
  EXPECT_EQ(m.attachments[0].data, "%PDF-1.4\n");
  EXPECT_EQ(m.attachments[0].hash.size(), 64u);
}

TEST_F(MimeParser, HtmlOnlyGetsDerivedText) {
  ParsedMessage m = Parse("From: a@b\nContent-Type: text/html; charset=windows-1252\n\n"
                          "<html><head><style>p{color:red}</style></head><body><p>Dear all,</p>"
                          "<p>We \x93" "agree\x94.</p></body></html>\n");
  EXPECT_NE(m.body_text.find("Dear all,"), std::string::npos);
  EXPECT_NE(m.body_text.find("We “agree”."), std::string::npos);
  EXPECT_EQ(m.body_text.find("color"), std::string::npos);
}

TEST_F(MimeParser, BrokenMimeIsLenient) {
  // Missing closing boundary, missing headers, garbage.
  ParsedMessage m = Parse("Content-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nhalf");
  EXPECT_EQ(m.body_text, "half");
  EXPECT_TRUE(m.from_address.empty());
  EXPECT_FALSE(m.date.has_value());
  EXPECT_FALSE(m.warnings.empty());
  ParsedMessage nobound = Parse("From: a@b\nContent-Type: multipart/mixed\n\njust text\n");
  (void)nobound;
}

TEST_F(MimeParser, RejectsBytesWithoutHeaders) {
  ParsedMessage m;
  EXPECT_EQ(ParseMimeMessage("", &m).code(), Status::Code::kBadFormat);
  EXPECT_EQ(ParseMimeMessage("just some text\nwithout headers\n", &m).code(), Status::Code::kBadFormat);
  EXPECT_EQ(ParseMimeMessage(std::string("\0\1\2\3", 4), &m).code(), Status::Code::kBadFormat);
}

}  // namespace
}  // namespace rt
