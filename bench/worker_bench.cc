// The import's worker side, one thread, step by step: what a message costs before the
// writer sees it (hash, zstd of the raw bytes, MIME parsing, analysis, zstd of the body),
// compressing as an import does: against a dictionary trained on the first 2,000 messages.
// Usage: worker_bench MBOX [MESSAGES=20000]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "archive/input_format.h"
#include "archive/message_processor.h"
#include "archive/message_source.h"
#include "mime/mime_parser.h"
#include "util/compression.h"

namespace {

double MicrosPerMessage(const std::vector<rt::RawMessage>& messages, const std::function<void(const rt::RawMessage&)>& step) {
  auto start = std::chrono::steady_clock::now();
  for (const rt::RawMessage& m : messages) step(m);
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
         static_cast<double>(messages.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MBOX [MESSAGES]\n", argv[0]);
    return 2;
  }
  std::size_t limit = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 20000;
  rt::InitMime();
  auto source = rt::OpenMessageSource(argv[1], rt::InputFormat::kMbox);
  if (!source.ok()) {
    std::fprintf(stderr, "%s\n", source.status().message().c_str());
    return 4;
  }
  std::vector<rt::RawMessage> messages;
  rt::RawMessage raw;
  while (messages.size() < limit && source.value()->Next(&raw)) messages.push_back(std::move(raw));
  if (messages.empty()) {
    std::fprintf(stderr, "no messages in %s\n", argv[1]);
    return 4;
  }

  rt::DictionarySamples samples;
  for (std::size_t k = 0; k < messages.size() && k < 2000; ++k) samples.Add(messages[k].bytes);
  std::shared_ptr<const rt::CompressionDictionary> dictionary = rt::CompressionDictionary::Train(samples);
  if (!dictionary) {
    std::fprintf(stderr, "too few messages to train a dictionary on\n");
    return 4;
  }
  rt::MessageProcessor processor;
  processor.UseDictionary(dictionary);
  std::vector<rt::ParsedMessage> parsed(messages.size());
  std::size_t i = 0;
  double hash = MicrosPerMessage(messages, [](const rt::RawMessage& m) { rt::ContentHash(m.bytes); });
  double compress_plain = MicrosPerMessage(messages, [](const rt::RawMessage& m) { rt::Compress(m.bytes); });
  double compress_raw = MicrosPerMessage(messages, [&](const rt::RawMessage& m) { rt::Compress(m.bytes, dictionary.get()); });
  double parse = MicrosPerMessage(messages, [&](const rt::RawMessage& m) { rt::ParseMimeMessage(m.bytes, &parsed[i++]); });
  i = 0;
  double analyze = MicrosPerMessage(messages, [&](const rt::RawMessage&) { processor.Analyze(&parsed[i++]); });
  i = 0;
  double compress_html = MicrosPerMessage(messages, [&](const rt::RawMessage&) {
    const rt::ParsedMessage& m = parsed[i++];
    if (!m.body_html.empty()) rt::Compress(m.body_html, dictionary.get());
  });
  i = 0;
  double compress_attachments = MicrosPerMessage(messages, [&](const rt::RawMessage&) {
    for (const rt::ParsedAttachment& a : parsed[i++].attachments) rt::Compress(a.data);
  });
  double whole = MicrosPerMessage(messages, [&](const rt::RawMessage& m) { processor.Process(m); });
  std::size_t raw_bytes = 0, text_bytes = 0, html_bytes = 0, attachment_bytes = 0;
  for (std::size_t k = 0; k < messages.size(); ++k) {
    raw_bytes += messages[k].bytes.size();
    text_bytes += parsed[k].body_text.size();
    html_bytes += parsed[k].body_html.size();
    for (const rt::ParsedAttachment& a : parsed[k].attachments) attachment_bytes += a.data.size();
  }
  std::size_t n = messages.size();
  std::printf("%zu messages (bytes a message: raw %zu, text %zu, html %zu, attachments %zu), one thread, us a message:\n"
              "  hash %.1f, zstd raw %.1f (without the dictionary %.1f), parse %.1f, analyze (with zstd text) %.1f,"
              " zstd html %.1f, zstd attachments %.1f; whole worker step %.1f\n",
              n, raw_bytes / n, text_bytes / n, html_bytes / n, attachment_bytes / n, hash, compress_raw, compress_plain,
              parse, analyze, compress_html, compress_attachments, whole);
  return 0;
}
