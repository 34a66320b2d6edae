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

// Stored messages compress against the archive's dictionary; quarantined bytes do not,
// so `zstd -d` alone reads them back out of the quarantine table.
TEST_F(MessageProcessorTest, OnlyStoredMessagesCompressAgainstTheDictionary) {
  std::vector<std::string> samples;
  DictionarySamples training;
  for (int i = 0; i < 2000; ++i) {
    samples.push_back("From: member" + std::to_string(i % 50) + "@example.org\nSubject: Re: item " + std::to_string(i % 30) +
                      "\nList-Id: <policy.lists.example.org>\n\nComment " + std::to_string(i * 7919) +
                      " on the draft.\n_______________________________________________\npolicy mailing list\n");
    training.Add(samples.back());
  }
  std::shared_ptr<const CompressionDictionary> dictionary = CompressionDictionary::Train(training);
  ASSERT_TRUE(dictionary);
  processor_.UseDictionary(dictionary);
  ImportItem stored = Process(samples[7], "");
  ASSERT_TRUE(stored.parsed);
  EXPECT_EQ(FrameDictionaryId(stored.compressed_raw), dictionary->id());
  EXPECT_EQ(FrameDictionaryId(stored.parsed->body_text_z), dictionary->id());
  ImportItem quarantined = Process("not a header line\n\nbody\n", "");
  ASSERT_FALSE(quarantined.parsed);
  EXPECT_FALSE(quarantined.quarantine_reason.empty());
  EXPECT_EQ(FrameDictionaryId(quarantined.compressed_raw), 0u);
  Result<std::string> back = CompressionDictionaries().Decompress(quarantined.compressed_raw);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), "not a header line\n\nbody\n");
}

}  // namespace
}  // namespace rt
