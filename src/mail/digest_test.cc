#include "mail/digest.h"

#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "archive/message.h"
#include "mime/mail_date.h"
#include "mime/mime_parser.h"

namespace rt {
namespace {

template <typename T>
struct Unref {
  void operator()(T* p) const {
    if (p) g_object_unref(p);
  }
};
using MessagePtr = std::unique_ptr<GMimeMessage, Unref<GMimeMessage>>;

MessagePtr GParse(const std::string& bytes) {
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size());
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  GMimeMessage* m = g_mime_parser_construct_message(parser, nullptr);
  g_object_unref(parser);
  g_object_unref(stream);
  return MessagePtr(m);
}

std::string Header(GMimeObject* o, const char* name) {
  const char* v = g_mime_object_get_header(o, name);
  return v ? v : "";
}

std::string Decoded(GMimeObject* o) {
  GMimeDataWrapper* content = g_mime_part_get_content(GMIME_PART(o));
  GMimeStream* mem = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(content, mem);
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  std::string out(reinterpret_cast<const char*>(bytes->data), bytes->len);
  g_object_unref(mem);
  return out;
}

std::string Serialized(GMimeObject* o) {
  GMimeStream* mem = g_mime_stream_mem_new();
  g_mime_object_write_to_stream(o, nullptr, mem);
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  std::string out(reinterpret_cast<const char*>(bytes->data), bytes->len);
  g_object_unref(mem);
  return out;
}

std::string Mime(GMimeObject* o) {
  char* t = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(o));
  std::string out = t;
  g_free(t);
  return out;
}

ListIdentity Policy() {
  ListIdentity l;
  l.list_name = "policy";
  l.forum = "igf";
  l.address = "policy@lists.example.org";
  l.description = "IGF policy discussion";
  l.archive_url = "https://x.example/f/igf/l/policy/";
  l.base_url = "https://x.example";
  return l;
}

const std::string kAscii =
    "From: Jane Doe <jane@example.org>\nSubject: Draft letter\nDate: Tue, 24 Nov 2026 09:00:00 +0000\n"
    "Message-ID: <a1@example.org>\n\nHello all,\n------------------------------\nnot a separator\n";
const std::string kUtf8Crlf =
    "From andre@example.com Tue Nov 24 10:00:00 2026\r\n"
    "Return-Path: <andre@example.com>\r\n"
    "From: =?UTF-8?Q?Andr=C3=A9?= <andre@example.com>\r\nSubject: =?UTF-8?Q?R=C3=A9ponse?=\r\n"
    "Message-ID: <a2@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n\r\nLa r\xc3\xa9gulation d'Internet.\r\n";
const std::string kHtmlWithAttachment =
    "From: Ops <ops@example.net>\nSubject: Agenda\nMessage-ID: <a3@example.net>\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"=_rt_digest_v3_i12\"\n\n"
    "--=_rt_digest_v3_i12\nContent-Type: text/html; charset=utf-8\n\n<p>The <b>agenda</b> is attached.</p>\n"
    "--=_rt_digest_v3_i12\nContent-Type: application/pdf; name=\"agenda.pdf\"\n"
    "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--=_rt_digest_v3_i12--\n";

std::vector<DigestEntry> Entries() {
  return {
      {kAscii, "Jane Doe", "Draft letter", 1795510800},
      {kUtf8Crlf, "André", "Réponse", 1795514400},
      {kHtmlWithAttachment, "Ops",
       "Agenda for the open consultation on the draft recommendations of the multistakeholder advisory group",
       1795518000},
  };
}

DigestIssue Issue() {
  DigestIssue i;
  i.volume = 3;
  i.number = 12;
  i.date = 1795600000;
  return i;
}

class DigestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitMime(); }
};

TEST_F(DigestTest, MimeDigestStructureAndHeaders) {
  Result<std::string> d = MimeDigest(Policy(), Issue(), Entries());
  ASSERT_TRUE(d.ok()) << d.status().message();
  MessagePtr m = GParse(d.value());
  ASSERT_TRUE(m);
  GMimeObject* top = GMIME_OBJECT(m.get());
  EXPECT_EQ(Header(top, "Subject"), "policy Digest, Vol 3, Issue 12");
  EXPECT_EQ(Header(top, "From"), "policy-request@lists.example.org");
  EXPECT_EQ(Header(top, "To"), "policy@lists.example.org");
  EXPECT_EQ(Header(top, "Message-ID"), "<digest.v3.i12.mime.policy@lists.example.org>");
  EXPECT_EQ(Header(top, "MIME-Version"), "1.0");
  EXPECT_EQ(Header(top, "List-Id"), "IGF policy discussion <policy.lists.example.org>");
  EXPECT_EQ(Header(top, "List-Unsubscribe"), "<mailto:policy-leave@lists.example.org>");
  EXPECT_EQ(Header(g_mime_message_get_mime_part(m.get()), "Content-Transfer-Encoding"), "8bit");  // a post holds UTF-8
  std::optional<std::int64_t> date = ParseMailDate(Header(top, "Date"));
  ASSERT_TRUE(date);
  EXPECT_EQ(*date, 1795600000);

  GMimeObject* body = g_mime_message_get_mime_part(m.get());
  ASSERT_TRUE(GMIME_IS_MULTIPART(body));
  EXPECT_EQ(Mime(body), "multipart/mixed");
  GMimeMultipart* mixed = GMIME_MULTIPART(body);
  ASSERT_EQ(g_mime_multipart_get_count(mixed), 3);
  GMimeObject* masthead = g_mime_multipart_get_part(mixed, 0);
  GMimeObject* toc = g_mime_multipart_get_part(mixed, 1);
  EXPECT_EQ(Mime(masthead), "text/plain");
  EXPECT_NE(Decoded(masthead).find("Send policy mailing list submissions to\n\tpolicy@lists.example.org"),
            std::string::npos);
  EXPECT_EQ(Mime(toc), "text/plain");
  EXPECT_EQ(Header(toc, "Content-Description"), "Today's Topics (3 messages)");
  std::string contents = Decoded(toc);
  EXPECT_NE(contents.find("   1. Draft letter (Jane Doe)\n"), std::string::npos) << contents;
  EXPECT_NE(contents.find("   2. Réponse (André)\n"), std::string::npos) << contents;
  EXPECT_NE(contents.find("   3. Agenda for the open consultation on the draft recommendations\n"
                          "      of the multistakeholder advisory group (Ops)\n"),
            std::string::npos)
      << contents;

  GMimeObject* digest = g_mime_multipart_get_part(mixed, 2);
  EXPECT_EQ(Mime(digest), "multipart/digest");
  ASSERT_TRUE(GMIME_IS_MULTIPART(digest));
  GMimeMultipart* posts = GMIME_MULTIPART(digest);
  std::vector<DigestEntry> entries = Entries();
  ASSERT_EQ(g_mime_multipart_get_count(posts), 3);
  for (int i = 0; i < 3; ++i) {
    GMimeObject* part = g_mime_multipart_get_part(posts, i);
    ASSERT_TRUE(GMIME_IS_MESSAGE_PART(part)) << i;
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
    ASSERT_TRUE(inner);
    ParsedMessage original, embedded;
    std::string raw(entries[i].raw);
    if (raw.starts_with("From ")) raw = raw.substr(raw.find('\n') + 1);
    ASSERT_TRUE(ParseMimeMessage(raw, &original).ok());
    ASSERT_TRUE(ParseMimeMessage(Serialized(GMIME_OBJECT(inner)), &embedded).ok());
    EXPECT_EQ(embedded.subject, original.subject);
    EXPECT_EQ(embedded.message_id, original.message_id);
    EXPECT_EQ(embedded.from_address, original.from_address);
    EXPECT_EQ(embedded.body_text, original.body_text.find('\r') == std::string::npos
                                      ? original.body_text
                                      : std::string("La r\xc3\xa9gulation d'Internet.\n"));
    EXPECT_EQ(embedded.attachments.size(), original.attachments.size());
  }
  // The posts are embedded byte for byte (line ends as LF), less the fields a list drops.
  EXPECT_NE(d.value().find("\n\n" + kAscii + "\n--"), std::string::npos);
  EXPECT_NE(d.value().find("\n\nFrom: =?UTF-8?Q?Andr=C3=A9?= <andre@example.com>\nSubject:"), std::string::npos);
  EXPECT_EQ(d.value().find("Return-Path"), std::string::npos);
  EXPECT_EQ(d.value().find("From andre@"), std::string::npos);
  // The third post uses the first-choice boundary, so the digest took another.
  EXPECT_EQ(d.value().find("boundary=\"=_rt_digest_v3_i12\"\n\n--=_rt_digest_v3_i12\nContent-Type: text/plain; charset=UTF-8"),
            std::string::npos);
}

TEST_F(DigestTest, SevenBitDigestNeedsNoEncodingHeader) {
  std::vector<DigestEntry> entries = {{kAscii, "Jane Doe", "Draft letter", 1795510800}};
  std::string d = MimeDigest(Policy(), Issue(), entries).value();
  MessagePtr m = GParse(d);
  EXPECT_EQ(Header(g_mime_message_get_mime_part(m.get()), "Content-Transfer-Encoding"), "");
  for (char c : d) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
}

TEST_F(DigestTest, PlainDigestFollowsRfc1153) {
  Result<std::string> d = PlainDigest(Policy(), Issue(), Entries());
  ASSERT_TRUE(d.ok()) << d.status().message();
  MessagePtr m = GParse(d.value());
  ASSERT_TRUE(m);
  GMimeObject* top = GMIME_OBJECT(m.get());
  EXPECT_EQ(Header(top, "Subject"), "policy Digest, Vol 3, Issue 12");
  EXPECT_EQ(Header(top, "Message-ID"), "<digest.v3.i12.plain.policy@lists.example.org>");
  EXPECT_EQ(Header(g_mime_message_get_mime_part(m.get()), "Content-Transfer-Encoding"), "quoted-printable");
  GMimeObject* part = g_mime_message_get_mime_part(m.get());
  EXPECT_EQ(Mime(part), "text/plain");
  EXPECT_STREQ(g_mime_object_get_content_type_parameter(part, "charset"), "UTF-8");
  for (char c : d.value()) EXPECT_LT(static_cast<unsigned char>(c), 0x80);

  std::string text = Decoded(part);
  const std::string sep70(70, '-'), sep30(30, '-');
  std::size_t toc = text.find("Today's Topics:\n\n   1. Draft letter (Jane Doe)\n");
  std::size_t first = text.find("\n" + sep70 + "\n\nMessage: 1\nDate: Tue, 24 Nov 2026 09:00:00 +0000\n"
                                "From: Jane Doe <jane@example.org>\nSubject: Draft letter\n"
                                "Message-ID: <a1@example.org>\n\nHello all,\n " + sep30 + "\nnot a separator\n\n" +
                                sep30 + "\n\nMessage: 2\n");
  std::size_t second = text.find("From: André <andre@example.com>\nSubject: Réponse\nMessage-ID: <a2@example.com>\n\n"
                                 "La régulation d'Internet.\n\n" + sep30 + "\n\nMessage: 3\n");
  std::size_t third = text.find("The agenda is attached.");
  std::size_t attachment = text.find("[Attachment: agenda.pdf (application/pdf, 9 bytes) not included]\n");
  std::size_t end = text.find("\n" + sep30 + "\n\nEnd of policy Digest, Vol 3, Issue 12\n" + std::string(37, '*') + "\n");
  ASSERT_NE(toc, std::string::npos) << text;
  ASSERT_NE(first, std::string::npos) << text;
  ASSERT_NE(second, std::string::npos) << text;
  ASSERT_NE(third, std::string::npos) << text;
  ASSERT_NE(attachment, std::string::npos) << text;
  ASSERT_NE(end, std::string::npos) << text;
  EXPECT_TRUE(toc < first && first < second && second < third && third < attachment && attachment < end);
  EXPECT_TRUE(text.ends_with(std::string(37, '*') + "\n"));

  // The project's parser reads the same text.
  ParsedMessage parsed;
  ASSERT_TRUE(ParseMimeMessage(d.value(), &parsed).ok());
  EXPECT_EQ(parsed.body_text, text);
  EXPECT_EQ(parsed.list_hint, "policy");
}

TEST_F(DigestTest, UnreadablePost) {
  std::vector<DigestEntry> entries = {{"garbage without headers", "?", "?", 0}};
  std::string text = Decoded(g_mime_message_get_mime_part(GParse(PlainDigest(Policy(), Issue(), entries).value()).get()));
  EXPECT_NE(text.find("[This message could not be read.]"), std::string::npos);
  EXPECT_TRUE(MimeDigest(Policy(), Issue(), entries).ok());
}

TEST_F(DigestTest, PersonalisedThroughListCopier) {
  std::string digest = MimeDigest(Policy(), Issue(), Entries()).value();
  Result<std::string> copy =
      ListCopy(digest, Policy(), Recipient{"a@b.example", "https://x.example/u?t=42"}, "", false);
  ASSERT_TRUE(copy.ok());
  MessagePtr m = GParse(copy.value());
  GMimeObject* top = GMIME_OBJECT(m.get());
  EXPECT_EQ(Header(top, "List-Unsubscribe"), "<https://x.example/u?t=42>, <mailto:policy-leave@lists.example.org>");
  EXPECT_EQ(Header(top, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  std::string_view body = std::string_view(digest).substr(digest.find("\n\n") + 2);
  EXPECT_TRUE(copy.value().ends_with(body));
  GMimeHeaderList* headers = g_mime_object_get_header_list(top);
  int list_ids = 0;
  for (int i = 0; i < g_mime_header_list_get_count(headers); ++i)
    if (g_ascii_strcasecmp(g_mime_header_get_name(g_mime_header_list_get_header_at(headers, i)), "List-Id") == 0)
      ++list_ids;
  EXPECT_EQ(list_ids, 1);
}

TEST_F(DigestTest, Errors) {
  EXPECT_EQ(MimeDigest(Policy(), Issue(), {}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(PlainDigest(Policy(), Issue(), {}).ok());
  DigestIssue bad = Issue();
  bad.message_id = "x@y>\nBcc: z@w";
  EXPECT_FALSE(MimeDigest(Policy(), bad, Entries()).ok());
  bad.message_id = "no-at-sign";
  EXPECT_FALSE(PlainDigest(Policy(), bad, Entries()).ok());
  ListIdentity l = Policy();
  l.description = "x\r\nBcc: z@w";
  EXPECT_FALSE(MimeDigest(l, Issue(), Entries()).ok());
  l = Policy();
  l.address = "nolist";
  EXPECT_FALSE(MimeDigest(l, Issue(), Entries()).ok());
  DigestIssue custom = Issue();
  custom.message_id = "custom.1@lists.example.org";
  MessagePtr m = GParse(MimeDigest(Policy(), custom, Entries()).value());
  EXPECT_EQ(Header(GMIME_OBJECT(m.get()), "Message-ID"), "<custom.1@lists.example.org>");
}

TEST_F(DigestTest, NonAsciiListNameInSubject) {
  ListIdentity l = Policy();
  l.list_name = "politique-numérique";
  std::string d = MimeDigest(l, Issue(), Entries()).value();
  MessagePtr m = GParse(d);
  char* subject = g_mime_utils_header_decode_text(nullptr, Header(GMIME_OBJECT(m.get()), "Subject").c_str());
  EXPECT_STREQ(subject, "politique-numérique Digest, Vol 3, Issue 12");
  g_free(subject);
}

std::string QpDecode(const std::string& encoded) {
  std::string out(encoded.size(), '\0');
  int state = 0;
  guint32 save = 0;
  std::size_t n = g_mime_encoding_quoted_decode_step(reinterpret_cast<const unsigned char*>(encoded.data()),
                                                     encoded.size(), reinterpret_cast<unsigned char*>(out.data()),
                                                     &state, &save);
  out.resize(n);
  return out;
}

TEST_F(DigestTest, QuotedPrintableRoundTrips) {
  std::vector<std::string> texts = {
      "", "plain\n", "a = b\n", "trailing space \nand tab\t\n", "From the start\nFrom: not mangled\n",
      std::string(200, 'x') + "\n" + std::string(150, '=') + "\n",
      "R\xc3\xa9gulation \xe2\x80\x94 \xf0\x9f\x8e\x89\n", "no final newline", "\x01\x02\x7f ctrl\n",
  };
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string t;
    int len = static_cast<int>(rng() % 400);
    for (int k = 0; k < len; ++k) {
      int r = static_cast<int>(rng() % 10);
      t.push_back(r == 0 ? '\n' : r == 1 ? ' ' : r == 2 ? '=' : static_cast<char>(rng() % 256));
    }
    texts.push_back(t);
  }
  for (const std::string& t : texts) {
    std::string text;
    for (char c : t)
      if (c != '\r') text.push_back(c);  // input has LF line ends
    std::string qp = QuotedPrintable(text);
    std::size_t start = 0;
    while (start < qp.size()) {
      std::size_t nl = qp.find('\n', start);
      if (nl == std::string::npos) nl = qp.size();
      std::string_view line(qp.data() + start, nl - start);
      EXPECT_LE(line.size(), 76u);
      EXPECT_FALSE(line.ends_with(" ") || line.ends_with("\t")) << line;
      EXPECT_FALSE(line.starts_with("From ")) << line;
      for (char c : line) EXPECT_TRUE((c >= 32 && c < 127) || c == '\t') << static_cast<int>(c);
      start = nl + 1;
    }
    EXPECT_EQ(QpDecode(qp), text);
  }
}

TEST_F(DigestTest, DateFormat) {
  EXPECT_EQ(FormatRfc5322Date(0), "Thu, 1 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(FormatRfc5322Date(1795510800), "Tue, 24 Nov 2026 09:00:00 +0000");
  for (std::int64_t t : {0ll, 951782400ll, 1795510800ll, 4102444799ll})
    EXPECT_EQ(ParseMailDate(FormatRfc5322Date(t)), t);
}

}  // namespace
}  // namespace rt
