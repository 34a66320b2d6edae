#include "archive/line_reader.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace rt {
namespace {

struct ReadResult {
  std::string text;
  Status status;
};

ReadResult ReadAll(const std::string& path) {
  LineReader reader;
  EXPECT_TRUE(reader.Open(path).ok());
  ReadResult r;
  std::string_view line;
  while (reader.Next(&line)) r.text += line;
  r.status = reader.status();
  return r;
}

std::string Lines(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += "line " + std::to_string(i) + " of a mail archive, with some words\n";
  return text;
}

TEST(LineReader, PlainAndGzipAlike) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("plain"), "one\ntwo\nno newline");
  ReadResult plain = ReadAll(dir.File("plain"));
  EXPECT_EQ(plain.text, "one\ntwo\nno newline");
  EXPECT_TRUE(plain.status.ok());
  std::string text = Lines(50000);  // several reads' worth
  testing::WriteGzipFile(dir.File("a.gz"), text);
  ReadResult gz = ReadAll(dir.File("a.gz"));
  EXPECT_EQ(gz.text, text);
  EXPECT_TRUE(gz.status.ok()) << gz.status.message();
}

TEST(LineReader, ConcatenatedGzipMembersReadAsOne) {
  testing::TempDir dir;
  testing::WriteGzipFile(dir.File("a.gz"), "first\n");
  testing::WriteGzipFile(dir.File("b.gz"), "second\n");
  testing::WriteFile(dir.File("ab.gz"), testing::ReadFile(dir.File("a.gz")) + testing::ReadFile(dir.File("b.gz")));
  ReadResult r = ReadAll(dir.File("ab.gz"));
  EXPECT_EQ(r.text, "first\nsecond\n");
  EXPECT_TRUE(r.status.ok()) << r.status.message();
}

TEST(LineReader, DamagedGzipKeepsWhatCameBeforeTheDamage) {
  testing::TempDir dir;
  std::string text = Lines(20000);
  testing::WriteGzipFile(dir.File("a.gz"), text);
  std::string gz = testing::ReadFile(dir.File("a.gz"));

  std::string bad_checksum = gz;
  bad_checksum[bad_checksum.size() - 6] ^= 0x55;  // the CRC-32 in the trailer
  testing::WriteFile(dir.File("crc.gz"), bad_checksum);
  ReadResult crc = ReadAll(dir.File("crc.gz"));
  EXPECT_EQ(crc.text, text);  // every byte inflated, then the damage reported
  EXPECT_NE(crc.status.message().find("damaged"), std::string::npos) << crc.status.message();

  std::string flipped = gz;
  flipped[gz.size() * 2 / 3] ^= 0xff;
  testing::WriteFile(dir.File("flip.gz"), flipped);
  ReadResult flip = ReadAll(dir.File("flip.gz"));
  EXPECT_FALSE(flip.status.ok());
  EXPECT_GT(flip.text.size(), text.size() / 3);  // far more than nothing

  testing::WriteFile(dir.File("cut.gz"), gz.substr(0, gz.size() / 2));
  ReadResult cut = ReadAll(dir.File("cut.gz"));
  EXPECT_NE(cut.status.message().find("truncated"), std::string::npos) << cut.status.message();
  EXPECT_GT(cut.text.size(), text.size() / 3);
  EXPECT_EQ(text.compare(0, cut.text.size(), cut.text), 0);
}

}  // namespace
}  // namespace rt
