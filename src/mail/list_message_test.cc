#include "mail/list_message.h"

#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "archive/message.h"
#include "mime/mime_parser.h"

namespace rt {
namespace {

// ---- Reading a copy back with GMime ----

struct GMimeMessageDeleter {
  void operator()(GMimeMessage* m) const {
    if (m) g_object_unref(m);
  }
};
using MessagePtr = std::unique_ptr<GMimeMessage, GMimeMessageDeleter>;

MessagePtr GParse(const std::string& bytes) {
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size());
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  GMimeMessage* m = g_mime_parser_construct_message(parser, nullptr);
  g_object_unref(parser);
  g_object_unref(stream);
  return MessagePtr(m);
}

std::string Header(GMimeMessage* m, const char* name) {
  const char* v = g_mime_object_get_header(GMIME_OBJECT(m), name);
  return v ? v : "";
}

int CountHeader(GMimeMessage* m, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(GMIME_OBJECT(m));
  int n = 0;
  for (int i = 0; i < g_mime_header_list_get_count(list); ++i)
    if (g_ascii_strcasecmp(g_mime_header_get_name(g_mime_header_list_get_header_at(list, i)), name) == 0) ++n;
  return n;
}

// The display name GMime reads from `encoded` used as a phrase before an address.
std::string DecodePhrase(const std::string& encoded) {
  std::string field = encoded + " <x@example.org>";
  InternetAddressList* list = internet_address_list_parse(nullptr, field.c_str());
  std::string out;
  if (list && internet_address_list_length(list) == 1) {
    const char* name = internet_address_get_name(internet_address_list_get_address(list, 0));
    out = name ? name : "";
  }
  if (list) g_object_unref(list);
  return out;
}

std::string DecodeText(const std::string& encoded) {
  char* d = g_mime_utils_header_decode_text(nullptr, encoded.c_str());
  std::string out = d ? d : "";
  g_free(d);
  return out;
}

struct Box {
  std::string name, address;
};

std::vector<Box> Addresses(GMimeMessage* m, GMimeAddressType type) {
  std::vector<Box> out;
  InternetAddressList* list = g_mime_message_get_addresses(m, type);
  for (int i = 0; list && i < internet_address_list_length(list); ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    const char* name = internet_address_get_name(a);
    out.push_back({name ? name : "", internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))});
  }
  return out;
}

std::string HeaderBlock(const std::string& copy) {
  std::size_t end = copy.find("\n\n");
  std::size_t crlf = copy.find("\r\n\r\n");
  if (crlf != std::string::npos && crlf < end) end = crlf;
  return copy.substr(0, end);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
    start = nl + 1;
  }
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
  l.subscribe_url = "https://x.example/f/igf/l/policy/subscribe";
  return l;
}

Recipient Alice() { return {"alice@example.net", "https://x.example/u/one-click?t=AbC123-xyz"}; }

const char kPost[] =
    "From mailer-daemon Tue Nov 24 09:00:00 2026\n"
    "Return-Path: <andre@example.com>\n"
    "Delivered-To: policy@lists.example.org\n"
    "Received: from mx.example.com by lists.example.org; Tue, 24 Nov 2026 09:00:00 +0000\n"
    "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1;\n"
    "\th=from:to:subject:date; bh=abc=; b=def=\n"
    "From: =?UTF-8?Q?Andr=C3=A9_M=C3=BCller?= <andre@example.com>\n"
    "To: policy@lists.example.org\n"
    "Subject: Draft letter on the consultation\n"
    "Date: Tue, 24 Nov 2026 09:00:00 +0000\n"
    "Message-ID: <draft.1@example.com>\n"
    "List-Id: Upstream <up.other.example>\n"
    "List-Unsubscribe: <mailto:up-leave@other.example>\n"
    "Archived-At: <https://spoofed.example/>\n"
    "Approved: moderator-password\n"
    "Bcc: secret@example.com\n"
    "Disposition-Notification-To: andre@example.com\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "Dear all,\n\nLa r\xc3\xa9gulation d'Internet.\n\n-- \nAndr\xc3\xa9\n";

class ListMessageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitMime(); }

  std::string Copy(std::string_view raw, bool rewrite_from = false, const ListIdentity& list = Policy(),
                   const Recipient& r = Alice(), std::string_view archived_at = "https://x.example/m/draft.1") {
    Result<std::string> out = ListCopy(raw, list, r, archived_at, rewrite_from);
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? out.value() : std::string();
  }
};

TEST_F(ListMessageTest, AddsListHeadersAndRemovesWhatAListMustNotPassOn) {
  std::string copy = Copy(kPost);
  std::string_view body = std::string_view(kPost).substr(std::string_view(kPost).find("\n\n") + 2);
  ASSERT_TRUE(copy.ends_with("\n\n" + std::string(body)));
  EXPECT_FALSE(copy.starts_with("From "));  // the mbox separator is gone

  MessagePtr m = GParse(copy);
  ASSERT_TRUE(m);
  for (const char* gone : {"Return-Path", "Delivered-To", "Approved", "Bcc", "Disposition-Notification-To"})
    EXPECT_EQ(CountHeader(m.get(), gone), 0) << gone;
  EXPECT_EQ(CountHeader(m.get(), "DKIM-Signature"), 1);
  EXPECT_EQ(CountHeader(m.get(), "Received"), 1);
  EXPECT_EQ(CountHeader(m.get(), "List-Id"), 1);
  EXPECT_EQ(CountHeader(m.get(), "List-Unsubscribe"), 1);
  EXPECT_EQ(CountHeader(m.get(), "Archived-At"), 1);
  EXPECT_EQ(Header(m.get(), "List-Id"), "IGF policy discussion <policy.lists.example.org>");
  EXPECT_EQ(Header(m.get(), "List-Post"), "<mailto:policy@lists.example.org>");
  EXPECT_EQ(Header(m.get(), "List-Help"), "<mailto:policy-request@lists.example.org?subject=help>");
  EXPECT_EQ(Header(m.get(), "List-Archive"), "<https://x.example/f/igf/l/policy/>");
  EXPECT_EQ(Header(m.get(), "Archived-At"), "<https://x.example/m/draft.1>");
  EXPECT_EQ(Header(m.get(), "List-Subscribe"),
            "<https://x.example/f/igf/l/policy/subscribe>, <mailto:policy-join@lists.example.org>");
  EXPECT_EQ(Header(m.get(), "List-Unsubscribe"),
            "<https://x.example/u/one-click?t=AbC123-xyz>, <mailto:policy-leave@lists.example.org>");
  EXPECT_EQ(Header(m.get(), "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  EXPECT_EQ(Header(m.get(), "Precedence"), "list");
  // Kept fields are byte for byte, folding included.
  EXPECT_NE(copy.find("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1;\n\th=from:to:subject:date; bh=abc=; b=def=\n"),
            std::string::npos);
  EXPECT_NE(copy.find("From: =?UTF-8?Q?Andr=C3=A9_M=C3=BCller?= <andre@example.com>\n"), std::string::npos);

  // The project's parser reads the same message as from the post.
  ParsedMessage original, parsed;
  ASSERT_TRUE(ParseMimeMessage(std::string_view(kPost).substr(std::string_view(kPost).find('\n') + 1), &original).ok());
  ASSERT_TRUE(ParseMimeMessage(copy, &parsed).ok());
  EXPECT_EQ(parsed.from_name, "André Müller");
  EXPECT_EQ(parsed.from_address, original.from_address);
  EXPECT_EQ(parsed.subject, original.subject);
  EXPECT_EQ(parsed.message_id, original.message_id);
  EXPECT_EQ(parsed.body_text, original.body_text);
  EXPECT_EQ(parsed.list_hint, "policy");
}

TEST_F(ListMessageTest, EveryHeaderLineFitsAndEndsLikeThePost) {
  std::string crlf;
  for (char c : std::string(kPost)) {
    if (c == '\n') crlf += "\r\n";
    else crlf += c;
  }
  std::string copy = Copy(crlf);
  std::string head = HeaderBlock(copy);
  for (std::size_t i = 0; i < head.size(); ++i)
    if (head[i] == '\n') {
      EXPECT_EQ(head[i - 1], '\r') << "bare LF at " << i;
    }
  for (const std::string& line : Lines(head)) {
    if (line.starts_with("Received:")) continue;  // the post's own, passed on as it came
    EXPECT_LE(line.size(), 78u) << line;
  }
  std::string body(std::string_view(crlf).substr(crlf.find("\r\n\r\n") + 4));
  EXPECT_TRUE(copy.ends_with("\r\n\r\n" + body));
}

TEST_F(ListMessageTest, NonAsciiDescriptionIsEncodedAndFolded) {
  ListIdentity l = Policy();
  l.description = "Forum sur la gouvernance de l'Internet — politique numérique, débats et consultations ouvertes";
  std::string copy = Copy(kPost, false, l);
  for (const std::string& line : Lines(HeaderBlock(copy))) {
    if (line.starts_with("Received:")) continue;
    EXPECT_LE(line.size(), 78u) << line;
    for (char c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << line;
  }
  MessagePtr m = GParse(copy);
  std::string list_id = Header(m.get(), "List-Id");
  std::size_t lt = list_id.rfind(" <");
  ASSERT_NE(lt, std::string::npos);
  EXPECT_EQ(DecodePhrase(list_id.substr(0, lt)), l.description);
  EXPECT_EQ(list_id.substr(lt + 1), "<policy.lists.example.org>");
}

TEST_F(ListMessageTest, EmptyOptionalFields) {
  ListIdentity l = Policy();
  l.description.clear();
  l.archive_url.clear();
  l.subscribe_url.clear();
  std::string copy = Copy(kPost, false, l, Recipient{"a@b.example", ""}, "");
  MessagePtr m = GParse(copy);
  EXPECT_EQ(Header(m.get(), "List-Id"), "<policy.lists.example.org>");
  EXPECT_EQ(CountHeader(m.get(), "List-Archive"), 0);
  EXPECT_EQ(CountHeader(m.get(), "Archived-At"), 0);
  EXPECT_EQ(Header(m.get(), "List-Subscribe"), "<mailto:policy-join@lists.example.org>");
  EXPECT_EQ(Header(m.get(), "List-Unsubscribe"), "<mailto:policy-leave@lists.example.org>");
  EXPECT_EQ(CountHeader(m.get(), "List-Unsubscribe-Post"), 0);
}

TEST_F(ListMessageTest, OneClickOnlyForHttps) {
  std::string copy = Copy(kPost, false, Policy(), Recipient{"a@b.example", "http://x.example/u?t=1"});
  MessagePtr m = GParse(copy);
  EXPECT_EQ(Header(m.get(), "List-Unsubscribe"), "<http://x.example/u?t=1>, <mailto:policy-leave@lists.example.org>");
  EXPECT_EQ(CountHeader(m.get(), "List-Unsubscribe-Post"), 0);
}

TEST_F(ListMessageTest, PerRecipientCopiesDifferOnlyInUnsubscribe) {
  Result<ListCopier> copier = ListCopier::Make(kPost, Policy(), "https://x.example/m/1", false);
  ASSERT_TRUE(copier.ok());
  Recipient bob{"bob@example.org", "https://x.example/u/one-click?t=BOB"};
  std::string a = copier.value().For(Alice()).value();
  std::string b = copier.value().For(bob).value();
  std::string expected = a;
  std::size_t at = expected.find("AbC123-xyz");
  expected.replace(at, 10, "BOB");
  EXPECT_EQ(b, expected);
  std::string headers;
  ASSERT_TRUE(copier.value().AppendHeaders(bob, &headers).ok());
  EXPECT_EQ(headers + std::string(copier.value().body()), b);
}

TEST_F(ListMessageTest, ExistingPrecedenceIsKept) {
  std::string copy = Copy("From: a@example.org\nPrecedence: bulk\nSubject: x\n\nbody\n");
  MessagePtr m = GParse(copy);
  EXPECT_EQ(CountHeader(m.get(), "Precedence"), 1);
  EXPECT_EQ(Header(m.get(), "Precedence"), "bulk");
}

TEST_F(ListMessageTest, RewriteFromForDmarc) {
  std::string copy = Copy(kPost, true);
  MessagePtr m = GParse(copy);
  std::vector<Box> from = Addresses(m.get(), GMIME_ADDRESS_TYPE_FROM);
  ASSERT_EQ(from.size(), 1u);
  EXPECT_EQ(from[0].name, "André Müller via policy");
  EXPECT_EQ(from[0].address, "policy@lists.example.org");
  std::vector<Box> reply = Addresses(m.get(), GMIME_ADDRESS_TYPE_REPLY_TO);
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_EQ(reply[0].name, "André Müller");
  EXPECT_EQ(reply[0].address, "andre@example.com");
  EXPECT_EQ(CountHeader(m.get(), "From"), 1);
  // The new Reply-To stands right after the new From.
  std::string head = HeaderBlock(copy);
  EXPECT_LT(head.find("From: "), head.find("Reply-To: "));
  EXPECT_LT(head.find("Reply-To: "), head.find("To: policy@"));
  ParsedMessage parsed;
  ASSERT_TRUE(ParseMimeMessage(copy, &parsed).ok());
  EXPECT_EQ(parsed.from_address, "policy@lists.example.org");
  EXPECT_TRUE(copy.ends_with("\n\nDear all,\n\nLa r\xc3\xa9gulation d'Internet.\n\n-- \nAndr\xc3\xa9\n"));
}

TEST_F(ListMessageTest, RewriteFromNamesAndReplyTo) {
  struct Case {
    const char* headers;
    const char* from_name;
    std::vector<std::string> reply_to;
  } cases[] = {
      {"From: jane@yahoo.example\n", "jane via policy", {"jane@yahoo.example"}},
      {"From: \"jane@yahoo.example\" <jane@yahoo.example>\n", "jane via policy", {"jane@yahoo.example"}},
      {"From: Jane Doe <jane@yahoo.example>\nReply-To: team@ngo.example\n",
       "Jane Doe via policy",
       {"team@ngo.example", "jane@yahoo.example"}},
      {"From: Jane Doe <jane@yahoo.example>\nReply-To: Jane <JANE@yahoo.example>\n",
       "Jane Doe via policy",
       {"JANE@yahoo.example"}},
      {"From: \"Doe, Jane (ISOC)\" <jane@yahoo.example>\n", "Doe, Jane (ISOC) via policy", {"jane@yahoo.example"}},
      {"From: Jos\xe9 <jose@yahoo.example>\n", "José via policy", {"jose@yahoo.example"}},  // raw latin-1
  };
  for (const Case& c : cases) {
    std::string raw = std::string(c.headers) + "Subject: s\n\nbody\n";
    std::string copy = Copy(raw, true);
    MessagePtr m = GParse(copy);
    std::vector<Box> from = Addresses(m.get(), GMIME_ADDRESS_TYPE_FROM);
    ASSERT_EQ(from.size(), 1u) << copy;
    EXPECT_EQ(from[0].name, c.from_name) << copy;
    EXPECT_EQ(from[0].address, "policy@lists.example.org");
    std::vector<std::string> reply;
    for (const Box& b : Addresses(m.get(), GMIME_ADDRESS_TYPE_REPLY_TO)) reply.push_back(b.address);
    EXPECT_EQ(reply, c.reply_to) << copy;
    EXPECT_EQ(CountHeader(m.get(), "Reply-To"), 1) << copy;
  }
  // A Reply-To that already names the author is passed on byte for byte.
  std::string copy = Copy("From: Jane <jane@yahoo.example>\nReply-To:  Jane   <jane@yahoo.example>\n\nb\n", true);
  EXPECT_NE(copy.find("Reply-To:  Jane   <jane@yahoo.example>\n"), std::string::npos);
}

TEST_F(ListMessageTest, RewriteFromWithoutUsableAddress) {
  std::string copy = Copy("From: undisclosed\nSubject: s\n\nbody\n", true);
  MessagePtr m = GParse(copy);
  std::vector<Box> from = Addresses(m.get(), GMIME_ADDRESS_TYPE_FROM);
  ASSERT_EQ(from.size(), 1u);
  EXPECT_EQ(from[0].address, "policy@lists.example.org");
  EXPECT_EQ(CountHeader(m.get(), "Reply-To"), 0);
  // No From at all: one is added.
  copy = Copy("Subject: s\n\nbody\n", true);
  m = GParse(copy);
  EXPECT_EQ(CountHeader(m.get(), "From"), 1);
  EXPECT_EQ(Addresses(m.get(), GMIME_ADDRESS_TYPE_FROM).at(0).name, "Unknown sender via policy");
}

TEST_F(ListMessageTest, EncodedLineBreaksInANameCannotInjectHeaders) {
  std::string raw = "From: =?UTF-8?Q?Evil=0D=0ABcc:_victim@example.org=0D=0A?= <evil@yahoo.example>\nSubject: s\n\nbody\n";
  std::string copy = Copy(raw, true);
  for (const std::string& line : Lines(HeaderBlock(copy))) EXPECT_FALSE(line.starts_with("Bcc")) << line;
  MessagePtr m = GParse(copy);
  EXPECT_EQ(CountHeader(m.get(), "Bcc"), 0);
  std::vector<Box> from = Addresses(m.get(), GMIME_ADDRESS_TYPE_FROM);
  ASSERT_EQ(from.size(), 1u);
  EXPECT_EQ(from[0].name.find('\n'), std::string::npos);
  EXPECT_EQ(from[0].address, "policy@lists.example.org");
}

TEST_F(ListMessageTest, RejectsInputsThatCouldInjectHeaders) {
  ListIdentity l = Policy();
  l.description = "Policy\r\nBcc: victim@example.org";
  EXPECT_EQ(ListCopier::Make(kPost, l, "", false).status().code(), Status::Code::kInvalidArgument);
  l = Policy();
  l.list_name = "policy\n";
  EXPECT_FALSE(ListCopier::Make(kPost, l, "", true).ok());
  l = Policy();
  l.address = "policy@lists.example.org>\r\nBcc: x@y";
  EXPECT_FALSE(ListCopier::Make(kPost, l, "", false).ok());
  l.address = "pol+icy@lists.example.org";
  EXPECT_FALSE(ListCopier::Make(kPost, l, "", false).ok());
  l = Policy();
  l.archive_url = "https://x.example/a>, <mailto:x@y";
  EXPECT_FALSE(ListCopier::Make(kPost, l, "", false).ok());
  l = Policy();
  l.archive_url = "javascript:alert(1)";
  EXPECT_FALSE(ListCopier::Make(kPost, l, "", false).ok());
  l = Policy();
  l.description = "bad \xff utf-8";
  EXPECT_FALSE(ListCopier::Make(kPost, l, "", false).ok());
  EXPECT_FALSE(ListCopier::Make(kPost, Policy(), "https://x.example/m\n1", false).ok());
  EXPECT_FALSE(ListCopier::Make(kPost, Policy(), "https://x.example/m 1", false).ok());
  EXPECT_FALSE(ListCopier::Make(kPost, Policy(), std::string(2000, 'a').insert(0, "https://"), false).ok());

  Result<ListCopier> copier = ListCopier::Make(kPost, Policy(), "", false);
  ASSERT_TRUE(copier.ok());
  for (const char* url : {"https://x.example/u?t=1\r\nBcc: x@y", "https://x.example/u>, <https://evil", "mailto:x@y",
                          "https://x.example/u t"}) {
    Result<std::string> r = copier.value().For(Recipient{"a@b.example", url});
    EXPECT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  }
}

TEST_F(ListMessageTest, MessagesWithoutHeadersAreRejected) {
  EXPECT_EQ(ListCopier::Make("", Policy(), "", false).status().code(), Status::Code::kBadFormat);
  EXPECT_EQ(ListCopier::Make("\nbody only\n", Policy(), "", false).status().code(), Status::Code::kBadFormat);
  EXPECT_EQ(ListCopier::Make("no header here\n\nbody\n", Policy(), "", false).status().code(),
            Status::Code::kBadFormat);
}

TEST_F(ListMessageTest, OddHeaderBlocks) {
  // Headers only, no final newline.
  std::string copy = Copy("Subject: only headers");
  EXPECT_TRUE(copy.starts_with("Subject: only headers\n"));
  EXPECT_TRUE(copy.ends_with("List-Unsubscribe-Post: List-Unsubscribe=One-Click\n\n"));
  // A line that is no field ends the header block: the blank line is supplied, the body kept.
  copy = Copy("Subject: s\nFrom: a@example.org\nthis is not a header\nsecond line\n");
  EXPECT_TRUE(copy.ends_with("One-Click\n\nthis is not a header\nsecond line\n"));
  MessagePtr m = GParse(copy);
  EXPECT_EQ(Header(m.get(), "Subject"), "s");
  // Obsolete "Name :" spacing and a removed field spelled that way.
  copy = Copy("Subject : s\nReturn-Path : <x@y>\nlist-id: <up.example>\n\nb\n");
  EXPECT_EQ(copy.find("Return-Path"), std::string::npos);
  EXPECT_EQ(copy.find("up.example"), std::string::npos);
  EXPECT_TRUE(copy.starts_with("Subject : s\n"));
}

TEST_F(ListMessageTest, MultipartBodyIsPassedOnUnchanged) {
  std::string raw =
      "From: a@example.org\r\nSubject: attachment\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
      "preamble\r\n--b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\nR=E9gulation=\r\n d'Internet\r\n"
      "--b1\r\nContent-Type: application/octet-stream; name=\"x.bin\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQFBgcICQ==\r\n--b1--\r\n"
      "epilogue with trailing spaces   \r\nand a bare\rCR and a bare\nLF";
  Result<ListCopier> copier = ListCopier::Make(raw, Policy(), "", false);
  ASSERT_TRUE(copier.ok());
  std::string body = raw.substr(raw.find("\r\n\r\n") + 4);
  EXPECT_EQ(copier.value().body(), body);
  std::string copy = copier.value().For(Alice()).value();
  EXPECT_TRUE(copy.ends_with("\r\n\r\n" + body));
  ParsedMessage original, parsed;
  ASSERT_TRUE(ParseMimeMessage(raw, &original).ok());
  ASSERT_TRUE(ParseMimeMessage(copy, &parsed).ok());
  EXPECT_EQ(parsed.body_text, original.body_text);
  EXPECT_EQ(parsed.body_text, "Régulation d'Internet");
  ASSERT_EQ(parsed.attachments.size(), 1u);
  EXPECT_EQ(parsed.attachments[0].hash, original.attachments[0].hash);
}

TEST_F(ListMessageTest, WithoutListStrippedFields) {
  std::string out = WithoutListStrippedFields(kPost);
  EXPECT_FALSE(out.starts_with("From "));
  EXPECT_EQ(out.find("Return-Path"), std::string::npos);
  EXPECT_EQ(out.find("List-Id"), std::string::npos);
  EXPECT_EQ(out.find("Approved"), std::string::npos);
  EXPECT_NE(out.find("DKIM-Signature"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\n\nDear all,\n\nLa r\xc3\xa9gulation d'Internet.\n\n-- \nAndr\xc3\xa9\n"));
}

TEST_F(ListMessageTest, ManyCopiesAreCheap) {
  std::string raw = std::string(kPost) + std::string(20000, 'x') + "\n";
  Result<ListCopier> copier = ListCopier::Make(raw, Policy(), "https://x.example/m/1", true);
  ASSERT_TRUE(copier.ok());
  auto start = std::chrono::steady_clock::now();
  std::size_t total = 0;
  for (int i = 0; i < 10000; ++i) {
    Recipient r{"u" + std::to_string(i) + "@example.org", "https://x.example/u?t=" + std::to_string(i)};
    std::string headers;
    ASSERT_TRUE(copier.value().AppendHeaders(r, &headers).ok());
    total += headers.size() + copier.value().body().size();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GT(total, 10000u * 20000u);
  EXPECT_LT(seconds, 5.0);  // in practice some milliseconds, even under the sanitizers
}

// ---- The header-writing helpers ----

class HeaderEncodingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitMime(); }
};

TEST_F(HeaderEncodingTest, PhrasesRoundTripThroughGMime) {
  const char* phrases[] = {
      "Jane Doe",
      "Doe, Jane (ISOC)",
      "Say \"hi\" \\ bye",
      "André Müller",
      "Ministère de l'Économie via policy",
      "Привет мир и все",
      "日本語のリスト名前がとても長い場合でもちゃんと折り返されるかどうか確認します",
      "emoji 🎉 party",
      "=?UTF-8?Q?not_an_encoded_word?=",
      "a =? b",
      "under_score and question? marks = fine",
  };
  for (const char* p : phrases) {
    std::string encoded = EncodePhrase(p);
    for (char c : encoded) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << p;
    EXPECT_EQ(DecodePhrase(encoded), p) << encoded;
    std::string field = FoldField("From", encoded + " <x@example.org>", "\n");
    for (const std::string& line : Lines(field)) EXPECT_LE(line.size(), 78u) << field;
  }
  EXPECT_EQ(EncodePhrase("Jane Doe"), "Jane Doe");
  EXPECT_EQ(EncodePhrase("Doe, Jane"), "\"Doe, Jane\"");
  EXPECT_EQ(EncodePhrase("André Müller"), "=?UTF-8?Q?Andr=C3=A9_M=C3=BCller?=");
  EXPECT_EQ(EncodePhrase("André via policy"), "=?UTF-8?Q?Andr=C3=A9?= via policy");
  EXPECT_EQ(EncodePhrase("a\r\nb"), "a b");
}

TEST_F(HeaderEncodingTest, UnstructuredRoundTripsThroughGMime) {
  const char* texts[] = {"policy Digest, Vol 3, Issue 12", "Régulation d'Internet: un débat", "Re: [policy] ✓ done",
                         "literal =?utf-8?q?x?= text"};
  for (const char* t : texts) {
    std::string encoded = EncodeUnstructured(t);
    EXPECT_EQ(DecodeText(encoded), t) << encoded;
  }
  EXPECT_EQ(EncodeUnstructured("policy Digest, Vol 3, Issue 12"), "policy Digest, Vol 3, Issue 12");
}

TEST_F(HeaderEncodingTest, FoldingKeepsTheValue) {
  std::string value;
  for (int i = 0; i < 40; ++i) value += "word" + std::to_string(i) + (i % 7 == 0 ? "  " : " ");
  value += std::string(120, 'u');  // one token longer than a line
  std::string field = FoldField("X-Test", value, "\r\n");
  std::vector<std::string> lines = Lines(field);
  EXPECT_GT(lines.size(), 3u);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_LE(lines[i].size(), 78u) << lines[i];
    EXPECT_FALSE(lines[i].find_first_not_of(" \t") == std::string::npos) << "whitespace-only line";
  }
  std::string unfolded;
  for (char c : field)
    if (c != '\r' && c != '\n') unfolded += c;
  std::string trimmed = value;
  while (trimmed.back() == ' ') trimmed.pop_back();
  EXPECT_EQ(unfolded, "X-Test: " + trimmed);
}

TEST_F(HeaderEncodingTest, ListIdAndRoleAddresses) {
  EXPECT_EQ(ListIdOf("Policy@Lists.Example.org"), "policy.lists.example.org");
  EXPECT_EQ(RoleAddress("policy@lists.example.org", "leave"), "policy-leave@lists.example.org");
  EXPECT_EQ(RoleAddress("policy@lists.example.org", ""), "policy@lists.example.org");
}

}  // namespace
}  // namespace rt
