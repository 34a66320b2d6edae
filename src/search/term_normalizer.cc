#include "search/term_normalizer.h"

#include <glib.h>
#include <libstemmer.h>

#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace rt {
namespace {

constexpr std::size_t kMaxWordBytes = 64;

// Mail vocabulary (typos, identifiers, URLs) grows without end, so the cache is
// dropped wholesale when full. Clearing is simpler than LRU and the frequent words come
// back within a message. Each entry is two std::string in the table (64 bytes), more for
// long words: at 500,000 the table alone grew to 55 MB in each import worker, on text of
// many distinct words; at 100,000 it stays near 10 MB, and the bench corpus imports as
// fast (docs/PERFORMANCE.md).
constexpr std::size_t kMaxCacheEntries = 100'000;

constexpr Language kAllLanguages[] = {Language::kEnglish, Language::kFrench, Language::kSpanish,
                                      Language::kPortuguese, Language::kRussian, Language::kGerman};

/// Decodes the UTF-8 character at p (p < end) into *cp and returns its length, or
/// 0 if the bytes are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF).
int DecodeUtf8(const unsigned char* p, const unsigned char* end, char32_t* cp) {
  const unsigned c = p[0];
  const std::ptrdiff_t available = end - p;
  auto continuation = [&](std::ptrdiff_t i) { return (p[i] & 0xC0) == 0x80; };
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c < 0xC2) return 0;  // Continuation byte, or a lead that can only be overlong.
  if (c < 0xE0) {
    if (available < 2 || !continuation(1)) return 0;
    *cp = ((c & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (c < 0xF0) {
    if (available < 3 || !continuation(1) || !continuation(2)) return 0;
    const char32_t v = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return 3;
  }
  if (c < 0xF5) {
    if (available < 4 || !continuation(1) || !continuation(2) || !continuation(3)) return 0;
    const char32_t v = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) |
                       (p[3] & 0x3F);
    if (v < 0x10000 || v > 0x10FFFF) return 0;
    *cp = v;
    return 4;
  }
  return 0;
}

void AppendUtf8(char32_t cp, std::string* out) {
  char buf[6];
  const int n = g_unichar_to_utf8(cp, buf);
  out->append(buf, static_cast<std::size_t>(n));
}

constexpr std::array<bool, 128> kAsciiWordChar = [] {
  std::array<bool, 128> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  return table;
}();

// Combining marks belong to the word so that text in decomposed form ("e" + U+0301)
// is not split in the middle of a letter.
bool IsWordChar(char32_t cp) { return g_unichar_isalnum(cp) || g_unichar_ismark(cp); }

// Chinese and Japanese leave no space between words, so each ideograph and each
// hiragana is a word of its own (as Unicode's word boundaries, UAX #29, have it); a
// query for several is a phrase of them and matches exactly that sequence. Katakana and
// Hangul runs stay words: Japanese loanwords and Korean are written as words.
bool IsCharacterWord(char32_t cp) {
  if (cp < 0x2E80) return false;
  GUnicodeScript script = g_unichar_get_script(cp);
  return script == G_UNICODE_SCRIPT_HAN || script == G_UNICODE_SCRIPT_HIRAGANA;
}

/// Calls emit(word) for each word of text, in order, as documented for SplitWords.
template <typename Emit>
void ForEachWord(std::string_view text, Emit&& emit) {
  const auto* const begin = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* const end = begin + text.size();
  const unsigned char* p = begin;
  const unsigned char* word = nullptr;  // Start of the current word, if in one.
  const unsigned char* cut = nullptr;   // End of its first kMaxWordBytes, on a boundary.
  auto finish = [&] {
    emit(std::string_view(reinterpret_cast<const char*>(word),
                          static_cast<std::size_t>(cut - word)));
    word = nullptr;
  };
  while (p < end) {
    const unsigned c = *p;
    if (c < 0x80) {
      // The common case, ASCII, gets its own tight loop.
      if (!kAsciiWordChar[c]) {
        if (word != nullptr) finish();
        ++p;
        continue;
      }
      if (word == nullptr) word = p;
      const unsigned char* run = p + 1;
      while (run < end && *run < 0x80 && kAsciiWordChar[*run]) ++run;
      const auto used = static_cast<std::size_t>(p - word);
      if (used < kMaxWordBytes) {
        cut = p + std::min(static_cast<std::size_t>(run - p), kMaxWordBytes - used);
      }
      p = run;
      continue;
    }
    char32_t cp = 0;
    const int n = DecodeUtf8(p, end, &cp);
    if (n == 0 || !IsWordChar(cp)) {
      if (word != nullptr) finish();
      p += n == 0 ? 1 : n;  // An invalid byte is a separator on its own.
      continue;
    }
    if (IsCharacterWord(cp)) {
      if (word != nullptr) finish();
      word = p;
      p += n;
      cut = p;
      // With the marks that follow it (variation selectors), cut as any word is.
      for (int m = 0; p < end && (m = DecodeUtf8(p, end, &cp)) > 0 && g_unichar_ismark(cp);) {
        p += m;
        if (static_cast<std::size_t>(p - word) <= kMaxWordBytes) cut = p;
      }
      finish();
      continue;
    }
    if (word == nullptr) word = p;
    if (static_cast<std::size_t>(p + n - word) <= kMaxWordBytes) cut = p + n;
    p += n;
  }
  if (word != nullptr) finish();
}

/// Lower-cases a word (valid UTF-8) into *out, ß as "ss". Decomposed input is
/// composed first, since stemmers know only precomposed letters ("é", not "e"
/// followed by U+0301).
void AppendLowered(std::string_view word, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(word.data());
  const unsigned char* end = p + word.size();
  bool has_mark = false;
  for (const unsigned char* q = p; q < end;) {
    char32_t cp = 0;
    const int n = DecodeUtf8(q, end, &cp);
    if (n == 0) break;  // Not reached for words from ForEachWord.
    if (cp >= 0x80 && g_unichar_ismark(cp)) {
      has_mark = true;
      break;
    }
    q += n;
  }
  gchar* composed = nullptr;
  if (has_mark) {
    composed = g_utf8_normalize(word.data(), static_cast<gssize>(word.size()), G_NORMALIZE_NFC);
    if (composed != nullptr) {
      p = reinterpret_cast<const unsigned char*>(composed);
      end = p + std::char_traits<char>::length(composed);
    }
  }
  while (p < end) {
    char32_t cp = 0;
    const int n = DecodeUtf8(p, end, &cp);
    if (n == 0) {
      ++p;
      continue;
    }
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
    } else if (cp == U'ß' || cp == U'ẞ') {
      // As in Unicode full case folding: then every stemmer, not just the German
      // one, sees "Straße" and "Strasse" alike.
      out->append("ss");
    } else {
      AppendUtf8(g_unichar_tolower(cp), out);
    }
    p += n;
  }
  g_free(composed);
}

/// Letters without a canonical decomposition that people nevertheless type
/// without their diacritic or as two letters; lower case only (input is lowered).
const char* FoldSpecial(char32_t cp) {
  switch (cp) {
    case U'æ': return "ae";
    case U'œ': return "oe";
    case U'ø': return "o";
    case U'đ': return "d";
    case U'ð': return "d";
    case U'þ': return "th";
    case U'ł': return "l";
    case U'ı': return "i";
    case U'ё': return "е";  // Cyrillic; й keeps its breve, being a letter of its own.
    default: return nullptr;
  }
}

/// Appends `stem` with the diacritics of Latin and Greek letters removed
/// ("régul" -> "regul"). Other scripts are left alone: dropping marks there
/// would merge distinct letters (Cyrillic й/и, Japanese が/か).
void AppendFolded(std::string_view stem, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(stem.data());
  const unsigned char* const end = p + stem.size();
  while (p < end) {
    char32_t cp = 0;
    const int n = DecodeUtf8(p, end, &cp);
    if (n == 0) {
      ++p;  // A stemmer never produces this from valid input; drop rather than copy.
      continue;
    }
    p += n;
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
      continue;
    }
    if (const char* folded = FoldSpecial(cp)) {
      out->append(folded);
      continue;
    }
    if (cp >= 0x300 && cp <= 0x36F) continue;  // A mark left over after composition.
    const bool latin_or_greek = cp < 0x400 || (cp >= 0x1E00 && cp <= 0x1FFF);
    if (latin_or_greek) {
      gunichar parts[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      const gsize count = g_unichar_fully_decompose(cp, FALSE, parts, G_N_ELEMENTS(parts));
      bool only_marks = count > 1;
      for (gsize i = 1; i < count && only_marks; ++i) {
        only_marks = parts[i] >= 0x300 && parts[i] <= 0x36F;
      }
      if (only_marks) cp = parts[0];
    }
    AppendUtf8(cp, out);
  }
}

// libstdc++'s std::hash of a string reads 8 bytes at a step; boost::hash of 1.81 mixes
// in one byte at a time, which was half of the word cache's lookup time.
struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const { return std::hash<std::string_view>()(word); }
};
using WordCache = boost::unordered_flat_map<std::string, std::string, WordHash, std::equal_to<>>;

struct StemmerDeleter {
  void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};

}  // namespace

struct TermNormalizer::Impl {
  /// The term for one word from ForEachWord; a reference into the cache, valid
  /// until the next call. Empty when nothing of the word survives folding.
  const std::string& Normalize(std::string_view word, Language language);

  /// The uncached computation: lower-case, stem, fold.
  std::string Compute(std::string_view word, Language language);

  /// Created on first use: most archives are in one or two languages.
  sb_stemmer* Stemmer(Language language);

  std::array<std::unique_ptr<sb_stemmer, StemmerDeleter>, std::size(kAllLanguages) + 1> stemmers;
  std::array<bool, std::size(kAllLanguages) + 1> stemmer_failed{};
  /// Raw word -> term, one map per Language, looked up by string_view so that a hit
  /// copies and allocates nothing. Open addressing: lookups in std::unordered_map's
  /// node chains were 4 % of an import's CPU samples.
  std::array<WordCache, std::size(kAllLanguages) + 1> caches;
  std::size_t cached_words = 0;
  std::string lowered;
};

sb_stemmer* TermNormalizer::Impl::Stemmer(Language language) {
  const auto index = static_cast<std::size_t>(language);
  if (!stemmers[index] && !stemmer_failed[index]) {
    stemmers[index].reset(sb_stemmer_new(StemmerName(language), "UTF_8"));
    // Only out of memory fails for the built-in algorithms; words then go unstemmed
    // rather than the import failing.
    stemmer_failed[index] = !stemmers[index];
  }
  return stemmers[index].get();
}

std::string TermNormalizer::Impl::Compute(std::string_view word, Language language) {
  lowered.clear();
  AppendLowered(word, &lowered);
  std::string_view stem = lowered;
  if (sb_stemmer* stemmer = Stemmer(language)) {
    const sb_symbol* stemmed =
        sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(lowered.data()),
                        static_cast<int>(lowered.size()));
    if (stemmed != nullptr) {
      stem = std::string_view(reinterpret_cast<const char*>(stemmed),
                              static_cast<std::size_t>(sb_stemmer_length(stemmer)));
    }
  }
  std::string term;
  AppendFolded(stem, &term);
  return term;
}

const std::string& TermNormalizer::Impl::Normalize(std::string_view word, Language language) {
  // Unknown and English share the English stemmer, so they share cache entries too.
  if (language == Language::kUnknown) language = Language::kEnglish;
  WordCache& cache = caches[static_cast<std::size_t>(language)];
  if (auto it = cache.find(word); it != cache.end()) return it->second;
  std::string term = Compute(word, language);
  if (cached_words >= kMaxCacheEntries) {
    for (WordCache& c : caches) c.clear();
    cached_words = 0;
  }
  ++cached_words;
  return cache.emplace(word, std::move(term)).first->second;
}

TermNormalizer::TermNormalizer() : impl_(std::make_unique<Impl>()) {}

TermNormalizer::~TermNormalizer() = default;

void TermNormalizer::AppendTerms(std::string_view text, Language language, std::string* out) {
  ForEachWord(text, [&](std::string_view word) {
    const std::string& term = impl_->Normalize(word, language);
    if (term.empty()) return;
    out->append(term);
    out->push_back(' ');
  });
}

std::vector<std::string> TermNormalizer::QueryTerms(std::string_view word) {
  std::vector<std::string> terms;
  for (Language language : kAllLanguages) {
    ForEachWord(word, [&](std::string_view piece) {
      const std::string& term = impl_->Normalize(piece, language);
      if (!term.empty() && std::find(terms.begin(), terms.end(), term) == terms.end()) {
        terms.push_back(term);
      }
    });
  }
  return terms;
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  ForEachWord(text, [&](std::string_view word) { words.push_back(word); });
  return words;
}

}  // namespace rt
