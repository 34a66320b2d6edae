#include "archive/input_format.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "archive/file_sources.h"
#include "test_util.h"

namespace rt {
namespace {

InputFormat Detect(std::string_view head) {
  Result<InputFormat> f = DetectFromHead(head);
  EXPECT_TRUE(f.ok()) << f.status().message();
  return f.ok() ? f.value() : InputFormat::kDirectory;
}

TEST(InputFormat, ByContent) {
  EXPECT_EQ(Detect("From a@b.org Tue Jan  9 09:22:30 2007\nFrom: a@b.org\n"), InputFormat::kMbox);
  EXPECT_EQ(Detect("From jdoe at example.org  Tue Jan  9 09:22:30 2007\nFrom: jdoe at example.org\n"),
            InputFormat::kPipermailText);
  EXPECT_EQ(Detect("Return-Path: <a@b>\nFrom: a@b\n\nhi\n"), InputFormat::kEml);
  EXPECT_EQ(Detect("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<HTML><BODY>"
                   "<!--beginarticle-->\n<PRE>x</PRE><!--endarticle--></BODY></HTML>"),
            InputFormat::kPipermailHtml);
  // A byte-order mark or blank lines first change nothing.
  EXPECT_EQ(Detect("\xEF\xBB\xBF\r\n\nFrom a@b.org Tue Jan  9 09:22:30 2007\nFrom: a@b.org\n"), InputFormat::kMbox);
  EXPECT_EQ(Detect("\n\nReturn-Path: <a@b>\nFrom: a@b\n\nhi\n"), InputFormat::kEml);
}

TEST(InputFormat, RejectsWhatIsNotMail) {
  Result<InputFormat> f = DetectFromHead("%PDF-1.4 binary");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("not a mail archive"), std::string::npos);
  EXPECT_FALSE(DetectFromHead("").ok());
  EXPECT_FALSE(DetectFromHead("<html><body>an index page</body></html>").ok());
}

TEST(InputFormat, Paths) {
  testing::TempDir dir;
  EXPECT_EQ(DetectInputFormat(dir.File("missing")).status().code(), Status::Code::kNotFound);
  testing::WriteFile(dir.File("md/cur/1"), "From: a@b\n\nx\n");
  EXPECT_EQ(DetectInputFormat(dir.File("md")).value(), InputFormat::kMaildir);
  EXPECT_EQ(DetectInputFormat(dir.path()).value(), InputFormat::kDirectory);
  testing::WriteGzipFile(dir.File("2007-January.txt.gz"), "From jdoe at example.org  Tue Jan  9 09:22:30 2007\n");
  EXPECT_EQ(DetectInputFormat(dir.File("2007-January.txt.gz")).value(), InputFormat::kPipermailText);
  testing::WriteFile(dir.File("md/.Sent/cur/2"), "From: a@b\n\ny\n");
  testing::WriteFile(dir.File("md/.notes"), "not a folder\n");
  testing::WriteFile(dir.File("md/.Trash/cur/3"), "From: a@b\n\ndeleted\n");
  testing::WriteFile(dir.File("md/.INBOX.Junk/new/4"), "From: a@b\n\nspam\n");
  Result<std::vector<std::string>> files = ListMaildir(dir.File("md"));
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files.value(), (std::vector<std::string>{dir.File("md/.Sent/cur/2"), dir.File("md/cur/1")}));
  ASSERT_EQ(mkfifo(dir.File("pipe").c_str(), 0600), 0);
  Result<InputFormat> pipe = DetectInputFormat(dir.File("pipe"));  // at once, without blocking
  ASSERT_FALSE(pipe.ok());
  EXPECT_NE(pipe.status().message().find("not a regular file"), std::string::npos);
}

TEST(InputFormat, SeparatorLines) {
  EXPECT_TRUE(IsMboxSeparator("From a@b Tue Jan  9 09:22:30 2007"));
  EXPECT_TRUE(IsMboxSeparator("From a@b Tue Jan  9 09:22:30 +0100 2007"));
  EXPECT_TRUE(IsMboxSeparator("From jdoe at example.org  Tue Jan  9 09:22:30 2007"));
  EXPECT_TRUE(IsMboxSeparator("From a@b Tue Jan  9 09:22:30 96"));
  EXPECT_TRUE(IsMboxSeparator("From a@b Tue Jan  9 09:22:30 96\r"));
  EXPECT_FALSE(IsMboxSeparator("From 9:30 to 10"));
  EXPECT_FALSE(IsMboxSeparator("From a@b Tue Jan  9 09:22 96"));
  EXPECT_FALSE(IsMboxSeparator("From what I read on Tuesday, it is fine."));
  EXPECT_FALSE(IsMboxSeparator("From 10:30 to 12:00 in room 2007B"));
  EXPECT_FALSE(IsMboxSeparator("Subject: From a@b Tue Jan  9 09:22:30 2007"));
}

}  // namespace
}  // namespace rt
