#pragma once
// Words to index terms: lower-cased, stemmed with Snowball (libstemmer), diacritics
// folded. The same normalizer serves indexing and queries, so they always agree.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "search/language.h"

namespace rt {

/// Not thread-safe: keep one per thread. Caches word -> term, so repeated words
/// cost a hash lookup; the cache is bounded (cleared past 500,000 words, some 50 MB).
class TermNormalizer {
 public:
  TermNormalizer();
  ~TermNormalizer();
  TermNormalizer(const TermNormalizer&) = delete;
  TermNormalizer& operator=(const TermNormalizer&) = delete;

  /// Appends the terms of a UTF-8 text, in order, each followed by one space, to *out.
  /// Words are maximal runs of letters and digits (Unicode-aware; an apostrophe inside
  /// a word splits it, so "l'Internet" gives "l" and "internet"), except that each Han
  /// ideograph and each hiragana is a word alone ("互联网" gives three); each is lower-cased,
  /// stemmed in `language` (English for kUnknown), then stripped of diacritics
  /// ("Régulation" -> "regul"; ß becomes "ss", Cyrillic ё "е", й stays). Numbers are
  /// words ("2007"). Words longer than 64 bytes are cut at a character boundary.
  /// Invalid UTF-8 bytes are treated as separators. A word that leaves no term
  /// (only combining marks) adds nothing. REQUIRES: `text` does not point into *out.
  void AppendTerms(std::string_view text, Language language, std::string* out);

  /// For a query word: its distinct terms under every supported language's stemmer,
  /// the English one first, so a query matches documents of any language. Meant
  /// for one word from SplitWords; if `word` holds several, the terms of all are
  /// returned. Empty when it holds no word.
  std::vector<std::string> QueryTerms(std::string_view word);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Splits a UTF-8 text into words exactly as AppendTerms does, without normalising:
/// words over 64 bytes come back cut, so AppendTerms(word) gives the word's term.
/// The views point into `text` and are valid as long as it is.
std::vector<std::string_view> SplitWords(std::string_view text);

}  // namespace rt
