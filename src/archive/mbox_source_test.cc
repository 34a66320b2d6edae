#include "archive/mbox_source.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace rt {
namespace {

std::vector<RawMessage> ReadAll(const std::string& path, SourceFormat format = SourceFormat::kMbox) {
  MboxSource source(path, format);
  EXPECT_TRUE(source.Open().ok());
  std::vector<RawMessage> out;
  RawMessage m;
  while (source.Next(&m)) out.push_back(m);
  EXPECT_TRUE(source.status().ok());
  return out;
}

// The messages of an mbox file holding `text`.
std::vector<RawMessage> ReadMbox(const std::string& text) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.mbox"), text);
  return ReadAll(dir.File("a.mbox"));
}

TEST(MboxSource, SplitsAtSeparatorsAndKeepsEnvelopes) {
  auto messages = ReadMbox("From alice@example.org Tue Jan  9 09:22:30 2007\nSubject: one\n\nbody one\n\n"
                           "From bob@example.org Wed Jan 10 10:00:00 2007\nSubject: two\n\nbody two\n");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].bytes, "Subject: one\n\nbody one\n");
  EXPECT_EQ(messages[0].envelope, "alice@example.org Tue Jan  9 09:22:30 2007");
  EXPECT_EQ(messages[1].bytes, "Subject: two\n\nbody two\n");
}

TEST(MboxSource, Rfc5322DatesInSeparators) {
  auto messages = ReadMbox("From u@x Sat, 13 Jan 2007 10:01:00 +0000\nSubject: 1\n\na\n\n"
                           "From u@x Sat, 13 Jan 2007 10:02:00 +0000\nSubject: 2\n\nb\n\n"
                           "From u@x Sat, 13 Jan 2007 10:03:00 +0000\nSubject: 3\n\nc\n");
  EXPECT_EQ(messages.size(), 3u);
}

TEST(MboxSource, UnescapesMboxrdFromLines) {
  auto messages = ReadMbox("From a@b Tue Jan  9 09:22:30 2007\nSubject: x\n\n>From here\n>>From there\n> From not\n");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].bytes, "Subject: x\n\nFrom here\n>From there\n> From not\n");
}

TEST(MboxSource, PipermailTextKeepsItsGreaterThanFromLines) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.txt"),
                     "From jdoe at example.org  Tue Jan  9 09:22:30 2007\nFrom: jdoe at example.org (J)\n\n"
                     ">From my point of view\n");
  auto messages = ReadAll(dir.File("a.txt"), SourceFormat::kPipermailText);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].bytes.find("\n>From my point of view\n"), std::string::npos);
}

TEST(MboxSource, ByteOrderMarkAndBlankLinesBeforeTheFirstSeparator) {
  auto messages = ReadMbox("\xEF\xBB\xBF\n\nFrom a@b Tue Jan  9 09:22:30 2007\nSubject: 1\n\na\n\n"
                           "From a@b Tue Jan  9 09:22:31 2007\nSubject: 2\n\nb\n");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].bytes, "Subject: 1\n\na\n");
  EXPECT_EQ(messages[0].envelope, "a@b Tue Jan  9 09:22:30 2007");
}

TEST(MboxSource, SeparatorsWithoutTheirBlankLineSplitWhenAHeaderFollows) {
  auto messages = ReadMbox("From a@b Tue Jan  9 09:22:30 2007\nSubject: 1\n\none\n"
                           "From a@b Tue Jan  9 09:22:31 2007\nSubject: 2\n\ntwo\n"
                           "From a@b Tue Jan  9 09:22:32 2007 is when I wrote\nthat line, in a body\n");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].bytes, "Subject: 1\n\none\n");
  EXPECT_EQ(messages[1].envelope, "a@b Tue Jan  9 09:22:31 2007");
  EXPECT_EQ(messages[1].bytes,
            "Subject: 2\n\ntwo\nFrom a@b Tue Jan  9 09:22:32 2007 is when I wrote\nthat line, in a body\n");
}

TEST(MboxSource, UnescapedFromInBodyIsNotASeparator) {
  testing::TempDir dir;
  // Pipermail archives never escaped "From " in bodies; only dated lines split.
  testing::WriteFile(dir.File("a.txt"),
                     "From jdoe at example.org  Tue Jan  9 09:22:30 2007\nFrom: jdoe at example.org (J)\n\n"
                     "Hello\n\nFrom what I read, this is fine.\n\n"
                     "From bob at example.org  Tue Jan  9 10:22:30 2007\nFrom: bob at example.org\n\nSecond\n");
  auto messages = ReadAll(dir.File("a.txt"), SourceFormat::kPipermailText);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[0].bytes.find("From what I read"), std::string::npos);
  EXPECT_EQ(messages[1].envelope, "bob at example.org  Tue Jan  9 10:22:30 2007");
}

TEST(MboxSource, ReadsGzipAndCrlf) {
  testing::TempDir dir;
  testing::WriteGzipFile(dir.File("a.mbox.gz"),
                         "From a@b Tue Jan  9 09:22:30 2007\r\nSubject: x\r\n\r\nbody\r\n\r\n"
                         "From a@b Tue Jan  9 09:22:31 2007\r\nSubject: y\r\n\r\nbody\r\n");
  auto messages = ReadAll(dir.File("a.mbox.gz"));
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].bytes, "Subject: x\r\n\r\nbody\r\n");
  EXPECT_EQ(messages[1].bytes, "Subject: y\r\n\r\nbody\r\n");
}

TEST(MboxSource, KeepsContentBeforeTheFirstSeparator) {
  auto messages = ReadMbox("Subject: stray\n\nno separator\n\nFrom a@b Tue Jan  9 09:22:30 2007\nSubject: x\n\nb\n");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].bytes, "Subject: stray\n\nno separator\n");
  EXPECT_EQ(messages[0].envelope, "");
}

TEST(MboxSource, HugeLinesAndEmptyFiles) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("empty.mbox"), "");
  EXPECT_TRUE(ReadAll(dir.File("empty.mbox")).empty());
  std::string huge = "From a@b Tue Jan  9 09:22:30 2007\nSubject: x\n\n" + std::string(3 << 20, 'x') + "\n";
  testing::WriteFile(dir.File("huge.mbox"), huge);
  auto messages = ReadAll(dir.File("huge.mbox"));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].bytes.size(), huge.size() - huge.find('\n') - 1);
}

}  // namespace
}  // namespace rt
