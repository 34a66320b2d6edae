// The import's worker side, one thread, step by step: what a message costs before the
// writer sees it (hash, zstd of the raw bytes, MIME parsing, analysis, zstd of the body).
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

  rt::MessageProcessor processor;
  std::vector<rt::ParsedMessage> parsed(messages.size());
  std::size_t i = 0;
  double hash = MicrosPerMessage(messages, [](const rt::RawMessage& m) { rt::ContentHash(m.bytes); });
  double compress_raw = MicrosPerMessage(messages, [](const rt::RawMessage& m) { rt::Compress(m.bytes); });
  double parse = MicrosPerMessage(messages, [&](const rt::RawMessage& m) { rt::ParseMimeMessage(m.bytes, &parsed[i++]); });
  i = 0;
  double analyze = MicrosPerMessage(messages, [&](const rt::RawMessage&) { processor.Analyze(&parsed[i++]); });
  double whole = MicrosPerMessage(messages, [&](const rt::RawMessage& m) { processor.Process(m); });
  std::printf("%zu messages, one thread, us a message: hash %.1f, zstd raw %.1f, parse %.1f, analyze (with zstd body) %.1f;"
              " whole worker step %.1f\n",
              messages.size(), hash, compress_raw, parse, analyze, whole);
  return 0;
}
