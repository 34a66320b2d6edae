#pragma once
// Turns one raw message into what the store writes: the import pipeline's CPU-heavy
// part, run on worker threads so the single database writer only writes.

#include "archive/message.h"
#include <memory>

#include "search/term_normalizer.h"
#include "util/compression.h"

namespace rt {

/// Not thread-safe: one per worker thread (it owns a TermNormalizer cache).
/// Steps, in order: hash the raw bytes; parse by source format (GMime, or the pipermail
/// page parser); compress the raw bytes; recover a missing date from the mbox envelope,
/// read a list name from the subject tag; mark quoted text, signature and footer; detect
/// the language; normalise the subject and the author's own words into index terms.
/// A message that cannot be parsed comes back with quarantine_reason set, its bytes
/// compressed without the dictionary.
class MessageProcessor {
 public:
  ImportItem Process(RawMessage raw);
  /// The steps that follow from the subject and body_text alone: body structure,
  /// language, index terms, compressed text. For an edited text, and for the text it
  /// replaces (whose terms leave the index).
  void Analyze(ParsedMessage* m);
  /// Raw bytes and texts are compressed against `dictionary` from now on (nullptr:
  /// without one). Attachments never are: they are binary, and shared between messages.
  void UseDictionary(std::shared_ptr<const CompressionDictionary> dictionary) { dictionary_ = std::move(dictionary); }

 private:
  TermNormalizer normalizer_;
  std::shared_ptr<const CompressionDictionary> dictionary_;
};

}  // namespace rt
