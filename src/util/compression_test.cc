#include "util/compression.h"

#include <gtest/gtest.h>

namespace rt {
namespace {

// Messages alike the way a list's are: the same headers and footer, varied text.
std::vector<std::string> ListMessages(int n) {
  static const char* kWords[] = {"governance", "policy",   "consultation", "draft",  "stakeholder", "internet",
                                 "registry",   "proposal", "meeting",      "agenda", "comment",     "address"};
  std::vector<std::string> messages;
  unsigned state = 7;
  for (int i = 0; i < n; ++i) {
    std::string m = "From: Member " + std::to_string(i % 97) + " <member" + std::to_string(i % 97) +
                    "@example.org>\nTo: policy@lists.example.org\nSubject: Re: " + kWords[i % 12] +
                    "\nList-Id: Policy discussion <policy.lists.example.org>\nMessage-ID: <" + std::to_string(i) +
                    "@example.org>\n\n";
    for (int w = 0; w < 120; ++w) {
      state = state * 1103515245 + 12345;
      m += kWords[(state >> 16) % 12];
      m += w % 15 == 14 ? ".\n" : " ";
    }
    m += "\n_______________________________________________\npolicy mailing list\n"
         "https://lists.example.org/mailman/listinfo/policy\n";
    messages.push_back(std::move(m));
  }
  return messages;
}

DictionarySamples Samples(const std::vector<std::string>& messages, std::size_t n) {
  DictionarySamples samples;
  for (std::size_t i = 0; i < n && i < messages.size(); ++i) samples.Add(messages[i]);
  return samples;
}

TEST(Compression, PlainFramesRoundTripWithoutDictionaries) {
  std::string text = ListMessages(1)[0];
  Result<std::string> back = CompressionDictionaries().Decompress(Compress(text));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back.value(), text);
  EXPECT_EQ(FrameDictionaryId(Compress(text)), 0u);
}

TEST(Compression, ATrainedDictionaryCompressesBetterAndItsFramesNameIt) {
  std::vector<std::string> messages = ListMessages(2100);
  std::shared_ptr<const CompressionDictionary> dictionary =
      CompressionDictionary::Train(Samples(messages, 2000));
  ASSERT_TRUE(dictionary);
  EXPECT_GE(dictionary->id(), 32768u);
  EXPECT_LT(dictionary->id(), 0x80000000u);

  CompressionDictionaries dictionaries;
  dictionaries.Add(dictionary);
  std::size_t plain = 0, with_dictionary = 0;
  for (std::size_t i = 2000; i < messages.size(); ++i) {
    std::string frame = Compress(messages[i], dictionary.get());
    EXPECT_EQ(FrameDictionaryId(frame), dictionary->id());
    Result<std::string> back = dictionaries.Decompress(frame);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back.value(), messages[i]);
    plain += Compress(messages[i]).size();
    with_dictionary += frame.size();
  }
  EXPECT_LT(with_dictionary * 3, plain * 2) << "plain " << plain << " bytes, with the dictionary " << with_dictionary;

  // Stored and read back, it reads the same frames.
  Result<std::shared_ptr<const CompressionDictionary>> stored = CompressionDictionary::FromBytes(dictionary->bytes());
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored.value()->id(), dictionary->id());
  CompressionDictionaries reread;
  reread.Add(stored.value());
  Result<std::string> back = reread.Decompress(Compress(messages[2050], dictionary.get()));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), messages[2050]);
}

TEST(Compression, AFrameWhoseDictionaryIsMissingIsAClearError) {
  std::vector<std::string> messages = ListMessages(2000);
  std::shared_ptr<const CompressionDictionary> dictionary = CompressionDictionary::Train(Samples(messages, messages.size()));
  ASSERT_TRUE(dictionary);
  Result<std::string> back = CompressionDictionaries().Decompress(Compress(messages[0], dictionary.get()));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), Status::Code::kNotFound);
  EXPECT_NE(back.status().message().find(std::to_string(dictionary->id())), std::string::npos)
      << back.status().message();
}

TEST(Compression, DamagedInputIsBadFormat) {
  EXPECT_EQ(CompressionDictionaries().Decompress("not a zstd frame").status().code(), Status::Code::kBadFormat);
  EXPECT_EQ(CompressionDictionary::FromBytes("not a dictionary").status().code(), Status::Code::kBadFormat);
  std::string frame = Compress(ListMessages(1)[0]);
  frame.resize(frame.size() / 2);
  EXPECT_EQ(CompressionDictionaries().Decompress(frame).status().code(), Status::Code::kBadFormat);
}

TEST(Compression, TooFewSamplesTrainNothing) {
  EXPECT_EQ(CompressionDictionary::Train(Samples(ListMessages(3), 3)), nullptr);
}

}  // namespace
}  // namespace rt
