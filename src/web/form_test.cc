#include "web/form.h"

#include <gtest/gtest.h>

#include <string>

namespace rt {
namespace {

// A real submission: Chromium 1xx (headless) posting a form with a text input, a
// textarea, a field whose name has a quote, a PDF, an empty file input and a binary
// file holding every byte value and lines that look like boundaries.
const char kChromiumType[] = "multipart/form-data; boundary=----WebKitFormBoundaryZh366lRHMNZD2Lqs";
const std::string kChromiumBody(
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"subject\"\r\n"
    "\r\n"
    "Caf\303\251 & r\303\251sum\303\251\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"body\"\r\n"
    "\r\n"
    "Line one\r\n"
    "Line two <b>\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"quo%22te\"\r\n"
    "\r\n"
    "x\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"attachment\"; filename=\"r\303\251sum\303\251 %22fin"
    "al%22.pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    "%PDF-1.4\n"
    "hello\n"
    "\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"binary\"; filename=\"data.bin\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\000\001\002\003\004\005\006\007\010\011\n"
    "\013\014\r\016\017\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036\037 !\"#$%&'"
    "()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\177"
    "\200\201\202\203\204\205\206\207\210\211\212\213\214\215\216\217\220\221\222\223\224\225\226"
    "\227\230\231\232\233\234\235\236\237\240\241\242\243\244\245\246\247\250\251\252\253\254\255"
    "\256\257\260\261\262\263\264\265\266\267\270\271\272\273\274\275\276\277\300\301\302\303\304"
    "\305\306\307\310\311\312\313\314\315\316\317\320\321\322\323\324\325\326\327\330\331\332\333"
    "\334\335\336\337\340\341\342\343\344\345\346\347\350\351\352\353\354\355\356\357\360\361\362"
    "\363\364\365\366\367\370\371\372\373\374\375\376\377\r\n"
    "--\r\n"
    "------WebKitFormBoundary\r\n"
    "\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs--\r\n",
    sizeof(
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"subject\"\r\n"
    "\r\n"
    "Caf\303\251 & r\303\251sum\303\251\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"body\"\r\n"
    "\r\n"
    "Line one\r\n"
    "Line two <b>\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"quo%22te\"\r\n"
    "\r\n"
    "x\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"attachment\"; filename=\"r\303\251sum\303\251 %22fin"
    "al%22.pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    "%PDF-1.4\n"
    "hello\n"
    "\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs\r\n"
    "Content-Disposition: form-data; name=\"binary\"; filename=\"data.bin\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\000\001\002\003\004\005\006\007\010\011\n"
    "\013\014\r\016\017\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036\037 !\"#$%&'"
    "()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\177"
    "\200\201\202\203\204\205\206\207\210\211\212\213\214\215\216\217\220\221\222\223\224\225\226"
    "\227\230\231\232\233\234\235\236\237\240\241\242\243\244\245\246\247\250\251\252\253\254\255"
    "\256\257\260\261\262\263\264\265\266\267\270\271\272\273\274\275\276\277\300\301\302\303\304"
    "\305\306\307\310\311\312\313\314\315\316\317\320\321\322\323\324\325\326\327\330\331\332\333"
    "\334\335\336\337\340\341\342\343\344\345\346\347\350\351\352\353\354\355\356\357\360\361\362"
    "\363\364\365\366\367\370\371\372\373\374\375\376\377\r\n"
    "--\r\n"
    "------WebKitFormBoundary\r\n"
    "\r\n"
    "------WebKitFormBoundaryZh366lRHMNZD2Lqs--\r\n") - 1);

std::string Part(std::string_view boundary, std::string_view headers, std::string_view content) {
  return "--" + std::string(boundary) + "\r\n" + std::string(headers) + "\r\n" + std::string(content) + "\r\n";
}

std::string End(std::string_view boundary) { return "--" + std::string(boundary) + "--\r\n"; }

TEST(FormTest, ParsesWhatChromiumSends) {
  Result<Form> form = ParseForm(kChromiumType, kChromiumBody);
  ASSERT_TRUE(form.ok()) << form.status().message();
  const Form& f = form.value();
  ASSERT_EQ(f.fields.size(), 3u);
  EXPECT_EQ(f.Get("subject"), "Caf\xc3\xa9 & r\xc3\xa9sum\xc3\xa9");
  EXPECT_EQ(f.Get("body"), "Line one\r\nLine two <b>");
  EXPECT_EQ(f.Get("quo\"te"), "x");
  ASSERT_EQ(f.files.size(), 2u);  // the empty file input is left out
  EXPECT_EQ(f.files[0].field, "attachment");
  EXPECT_EQ(f.files[0].filename, "r\xc3\xa9sum\xc3\xa9 \"final\".pdf");
  EXPECT_EQ(f.files[0].content_type, "application/pdf");
  EXPECT_EQ(f.files[0].data, "%PDF-1.4\nhello\n");
  EXPECT_EQ(f.files[1].field, "binary");
  EXPECT_EQ(f.files[1].filename, "data.bin");
  EXPECT_EQ(f.files[1].content_type, "application/octet-stream");
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  EXPECT_EQ(f.files[1].data, bytes + "\r\n--\r\n------WebKitFormBoundary\r\n");
}

TEST(FormTest, RejectsEveryTruncation) {
  // Up to the close delimiter every prefix is incomplete; after it only the CRLF is missing.
  std::size_t complete = kChromiumBody.size() - 2;
  for (std::size_t size = 0; size < complete; ++size) {
    Result<Form> form = ParseForm(kChromiumType, std::string_view(kChromiumBody).substr(0, size));
    ASSERT_FALSE(form.ok()) << size;
    EXPECT_EQ(form.status().code(), Status::Code::kInvalidArgument);
  }
  EXPECT_TRUE(ParseForm(kChromiumType, std::string_view(kChromiumBody).substr(0, complete)).ok());
  Result<Form> cut = ParseForm(kChromiumType, std::string_view(kChromiumBody).substr(0, 900));
  EXPECT_NE(cut.status().message().find("cut short"), std::string::npos) << cut.status().message();
}

TEST(FormTest, ParsesOtherMultipartShapes) {
  // Quoted boundary, a preamble and an epilogue, a Windows path, filename* preferred,
  // header names in any case, a part without a Content-Type.
  std::string b = "----geckoformboundary 'x'";
  std::string body = "preamble\r\n" +
                     Part(b, "content-disposition: FORM-DATA; name=plain\r\n", "v1") +
                     Part(b, "Content-Disposition: form-data; name=\"f1\"; filename=\"C:\\Users\\me\\notes.txt\"\r\n"
                             "Content-Type: Text/Plain; charset=UTF-8\r\n", "text file") +
                     Part(b, "Content-Disposition: form-data; name=\"f2\"; filename=\"naive.txt\"; "
                             "filename*=UTF-8''na%C3%AFve%20%E2%82%AC.txt\r\n", "") +
                     Part(b, "Content-Disposition: form-data; name=\"plain\"\r\n", "v2") +
                     End(b) + "epilogue";
  Result<Form> form = ParseForm("multipart/form-data; charset=utf-8; boundary=\"" + b + "\"", body);
  ASSERT_TRUE(form.ok()) << form.status().message();
  const Form& f = form.value();
  EXPECT_EQ(f.GetAll("plain"), (std::vector<std::string>{"v1", "v2"}));
  ASSERT_EQ(f.files.size(), 2u);
  EXPECT_EQ(f.files[0].filename, "notes.txt");
  EXPECT_EQ(f.files[0].content_type, "text/plain");
  EXPECT_EQ(f.files[0].data, "text file");
  EXPECT_EQ(f.files[1].filename, "na\xc3\xafve \xe2\x82\xac.txt");
  EXPECT_EQ(f.files[1].content_type, "application/octet-stream");
  EXPECT_EQ(f.files[1].data, "");
}

TEST(FormTest, ParsesEmptyParts) {
  std::string body = Part("b", "Content-Disposition: form-data; name=\"a\"\r\n", "") +
                     Part("b", "Content-Disposition: form-data; name=\"b\"\r\n", "\r\n") + End("b");
  Result<Form> form = ParseForm("multipart/form-data; boundary=b", body);
  ASSERT_TRUE(form.ok()) << form.status().message();
  EXPECT_EQ(form.value().Get("a"), "");
  EXPECT_EQ(form.value().Get("b"), "\r\n");
  // A form with no fields at all.
  form = ParseForm("multipart/form-data; boundary=b", End("b"));
  ASSERT_TRUE(form.ok());
  EXPECT_TRUE(form.value().fields.empty());
}

TEST(FormTest, CleansFilenames) {
  std::string body = Part("b", "Content-Disposition: form-data; name=\"f\"; filename=\"../../etc/pa\xffss\x01wd\"\r\n", "x") +
                     End("b");
  Result<Form> form = ParseForm("multipart/form-data; boundary=b", body);
  ASSERT_TRUE(form.ok()) << form.status().message();
  EXPECT_EQ(form.value().files[0].filename, "pa\xef\xbf\xbdss_wd");
}

TEST(FormTest, RejectsMalformedMultipart) {
  const char* type = "multipart/form-data; boundary=b";
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {"", "cut short"},
      {"no boundary here", "cut short"},
      {Part("b", "Content-Type: text/plain\r\n", "x") + End("b"), "no Content-Disposition"},
      {Part("b", "Content-Disposition: attachment; name=\"a\"\r\n", "x") + End("b"), "not form-data"},
      {Part("b", "Content-Disposition: form-data; filename=\"a\"\r\n", "x") + End("b"), "no field name"},
      {Part("b", "Content-Disposition: form-data; name=\"a\r\n", "x") + End("b"), "cut short"},
      {Part("b", "Content-Disposition form-data\r\n", "x") + End("b"), "without ':'"},
      {"--b junk\r\n" + End("b"), "text after a boundary"},
      // Line ends that are not CRLF (a body rewritten by something on the way).
      {"--b\nContent-Disposition: form-data; name=\"a\"\n\nx\n--b--\n", "text after a boundary"},
      {Part("b", "Content-Disposition: form-data; name=\"a\"\r\n", "x"), "cut short"},
      {Part("b", "Content-Disposition: form-data; name=\"a\"\r\n", "x") + "--bb--\r\n", "cut short"},
      {"--b\r\n" + std::string(20000, 'h'), "headers too long"},
  };
  for (const Case& c : cases) {
    Result<Form> form = ParseForm(type, c.body);
    ASSERT_FALSE(form.ok()) << c.body;
    EXPECT_EQ(form.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(form.status().message().find(c.message), std::string::npos) << c.body << ": " << form.status().message();
  }
}

TEST(FormTest, RejectsBadBoundaries) {
  for (const char* type : {"multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
                           "multipart/form-data; boundary=\"unterminated"}) {
    Result<Form> form = ParseForm(type, End("x"));
    ASSERT_FALSE(form.ok()) << type;
    EXPECT_NE(form.status().message().find("boundary"), std::string::npos) << form.status().message();
  }
  EXPECT_FALSE(ParseForm("multipart/form-data; boundary=" + std::string(71, 'x'), End(std::string(71, 'x'))).ok());
  EXPECT_TRUE(ParseForm("multipart/form-data; boundary=" + std::string(70, 'x'), End(std::string(70, 'x'))).ok());
}

TEST(FormTest, EnforcesMultipartLimits) {
  FormLimits limits;
  limits.max_fields = 2;
  limits.max_files = 1;
  limits.max_field_bytes = 10;
  limits.max_file_bytes = 20;
  limits.max_name_bytes = 8;
  auto field = [](std::string name, std::string value) {
    return Part("b", "Content-Disposition: form-data; name=\"" + name + "\"\r\n", value);
  };
  auto file = [](std::string name, std::string value) {
    return Part("b", "Content-Disposition: form-data; name=\"f\"; filename=\"" + name + "\"\r\n", value);
  };
  const char* type = "multipart/form-data; boundary=b";
  EXPECT_TRUE(ParseForm(type, field("a", "0123456789") + field("b", "") + file("x", std::string(20, 'z')) + End("b"),
                        limits).ok());
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {field("a", "") + field("b", "") + field("c", "") + End("b"), "more than 2 fields"},
      {file("x", "1") + file("y", "2") + End("b"), "more than 1 files"},
      {field("body", "01234567890") + End("b"), "The field \"body\" is longer than 10 bytes"},
      {file("big.bin", std::string(21, 'z')) + End("b"), "The file \"big.bin\" is larger than 20 bytes"},
      {field("longname1", "") + End("b"), "name is longer than 8 bytes"},
      {file("longname1", "x") + End("b"), "The name of the file \"longname1\" is longer than 8 bytes"},
  };
  for (const Case& c : cases) {
    Result<Form> form = ParseForm(type, c.body, limits);
    ASSERT_FALSE(form.ok()) << c.body;
    EXPECT_NE(form.status().message().find(c.message), std::string::npos) << form.status().message();
  }
  FormLimits defaults;
  Result<Form> big = ParseForm(type, field("body", std::string(128 * 1024 + 1, 'x')) + End("b"), defaults);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("longer than 128 KiB"), std::string::npos) << big.status().message();
  big = ParseForm(type, file("a.iso", std::string(10 * 1024 * 1024 + 1, 'x')) + End("b"), defaults);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("larger than 10 MiB"), std::string::npos) << big.status().message();
}

TEST(FormTest, RequiresUtf8Fields) {
  const char* type = "multipart/form-data; boundary=b";
  Result<Form> form =
      ParseForm(type, Part("b", "Content-Disposition: form-data; name=\"body\"\r\n", "caf\xe9") + End("b"));
  ASSERT_FALSE(form.ok());
  EXPECT_NE(form.status().message().find("\"body\" is not valid UTF-8"), std::string::npos) << form.status().message();
  form = ParseForm(type, Part("b", "Content-Disposition: form-data; name=\"n\xe9\"\r\n", "x") + End("b"));
  EXPECT_FALSE(form.ok());
  form = ParseForm(type, Part("b", "Content-Disposition: form-data; name=\"body\"\r\n", std::string("a\0b", 3)) + End("b"));
  ASSERT_FALSE(form.ok());
  EXPECT_NE(form.status().message().find("NUL"), std::string::npos);
  // Files are bytes: anything goes.
  form = ParseForm(type, Part("b", "Content-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n",
                              std::string("\xe9\0", 2)) + End("b"));
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form.value().files[0].data, std::string("\xe9\0", 2));
}

TEST(FormTest, ParsesUrlEncoded) {
  Result<Form> form = ParseForm("application/x-www-form-urlencoded",
                                "subject=Caf%C3%A9+%26+more&body=line+1%0D%0Aline+2%2B&flag&&tag=a&tag=b&=v&e=");
  ASSERT_TRUE(form.ok()) << form.status().message();
  const Form& f = form.value();
  EXPECT_EQ(f.Get("subject"), "Caf\xc3\xa9 & more");
  EXPECT_EQ(f.Get("body"), "line 1\r\nline 2+");
  EXPECT_EQ(f.Get("flag"), "");
  EXPECT_EQ(f.GetAll("tag"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.Get(""), "v");
  EXPECT_EQ(f.Get("e"), "");
  EXPECT_EQ(f.Get("missing"), "");
  EXPECT_TRUE(f.GetAll("missing").empty());
  EXPECT_EQ(f.fields.size(), 7u);
  EXPECT_TRUE(f.files.empty());

  form = ParseForm("Application/X-WWW-Form-URLEncoded; charset=UTF-8", "a=%2b+%20");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form.value().Get("a"), "+  ");
  form = ParseForm("application/x-www-form-urlencoded", "");
  ASSERT_TRUE(form.ok());
  EXPECT_TRUE(form.value().fields.empty());
}

TEST(FormTest, RejectsBadUrlEncoded) {
  const char* type = "application/x-www-form-urlencoded";
  for (const char* body : {"a=%zz", "a=%4", "a=b c", "a=\"x\"", "a=%FF", "a=caf\xc3\xa9", "%C3=1", "a=%00"}) {
    Result<Form> form = ParseForm(type, body);
    ASSERT_FALSE(form.ok()) << body;
    EXPECT_EQ(form.status().code(), Status::Code::kInvalidArgument);
  }
  EXPECT_NE(ParseForm(type, "a=%FF").status().message().find("\"a\" is not valid UTF-8"), std::string::npos);
  EXPECT_NE(ParseForm(type, "a=%zz").status().message().find("URL-encoded"), std::string::npos);

  FormLimits limits;
  limits.max_fields = 3;
  limits.max_field_bytes = 4;
  limits.max_name_bytes = 4;
  EXPECT_TRUE(ParseForm(type, "a=1&b=%41%41%41%41&c=3", limits).ok());
  EXPECT_NE(ParseForm(type, "a=1&b=2&c=3&d=4", limits).status().message().find("more than 3 fields"),
            std::string::npos);
  EXPECT_NE(ParseForm(type, "body=12345", limits).status().message().find("\"body\" is longer than 4 bytes"),
            std::string::npos);
  EXPECT_NE(ParseForm(type, "names=1", limits).status().message().find("name is longer than 4 bytes"),
            std::string::npos);
}

TEST(FormTest, RejectsOtherContentTypes) {
  for (const char* type : {"text/plain", "", "application/json; charset=utf-8", "multipart/mixed; boundary=b"}) {
    Result<Form> form = ParseForm(type, "a=1");
    ASSERT_FALSE(form.ok()) << type;
    EXPECT_NE(form.status().message().find("multipart/form-data"), std::string::npos) << form.status().message();
  }
  EXPECT_NE(ParseForm("text/plain", "").status().message().find("not \"text/plain\""), std::string::npos);
}

}  // namespace
}  // namespace rt
