#include "search/language.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace rt {
namespace {

// Enough text for a few hundred words: plenty to decide, and it keeps detection
// cheap on huge bodies.
constexpr std::size_t kScanBytes = 4096;

// Function words are packed into a uint64 (one byte per UTF-8 byte), so none may
// be longer than this and longer words in the text are skipped without a lookup.
constexpr int kMaxFunctionWordBytes = 8;

// The most frequent words of each language. A word may belong to several
// languages ("de", "la", "que"); it then counts for each of them with a
// proportionally smaller weight, so only distinctive words separate neighbours
// such as Spanish and Portuguese.
constexpr std::string_view kEnglishWords[] = {
    "the", "and", "of", "to", "in", "is", "that", "it", "for", "on", "with", "as", "this", "be",
    "are", "was", "not", "have", "you", "we", "but", "by", "at", "from", "or", "an", "will",
    "would", "can", "if", "there", "which", "been", "has", "i", "they", "what", "about", "were",
    "their", "do", "does", "my", "your", "he"};
constexpr std::string_view kFrenchWords[] = {
    "le", "la", "les", "des", "est", "et", "un", "une", "du", "de", "en", "que", "qui", "dans",
    "pour", "pas", "sur", "au", "aux", "avec", "ce", "il", "ne", "se", "par", "sont", "nous",
    "vous", "je", "mais", "ou", "plus", "cette", "été", "on", "était", "comme", "aussi",
    // Elided articles and conjunctions: "l'Internet", "d'accord", "qu'il".
    "l", "d", "qu"};
constexpr std::string_view kSpanishWords[] = {
    "el", "la", "los", "las", "de", "que", "y", "en", "un", "una", "es", "del", "se", "no",
    "por", "con", "para", "al", "lo", "como", "más", "pero", "su", "sus", "este", "esta",
    "está", "son", "hay", "muy", "también", "sobre", "ha", "han", "cuando", "entre", "ya",
    "fue", "era"};
constexpr std::string_view kPortugueseWords[] = {
    "o", "os", "as", "não", "que", "de", "do", "da", "dos", "das", "em", "um", "uma", "para",
    "com", "é", "no", "na", "se", "por", "mais", "como", "ao", "ou", "foi", "são", "também",
    "está", "muito", "isso", "ele", "seu", "sua", "nos", "pelo", "pela", "e", "este", "esta",
    "mas", "à"};
constexpr std::string_view kGermanWords[] = {
    "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "von", "mit",
    "sich", "des", "auf", "für", "im", "dem", "es", "auch", "als", "an", "wir", "ich", "sie",
    "wird", "werden", "bei", "oder", "aber", "noch", "nach", "wie", "kann", "sind", "wenn",
    "dass", "nur", "in", "um", "was", "so", "wurde", "vom", "zum", "zur", "hat", "haben",
    "einen", "einem"};

constexpr std::uint64_t Pack(std::string_view word) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < word.size(); ++i) {
    key |= std::uint64_t{static_cast<unsigned char>(word[i])} << (8 * i);
  }
  return key;
}

constexpr int kTableBits = 9;
constexpr std::size_t kTableSize = std::size_t{1} << kTableBits;

constexpr std::size_t Slot(std::uint64_t key) {
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - kTableBits));
}

/// A slot of the function-word hash table; key 0 marks an empty slot (no word
/// packs to 0 because words are non-empty and contain no NUL).
struct FunctionWord {
  std::uint64_t key = 0;
  std::uint8_t languages = 0;  // Bit i set: a word of Language(i).
};

constexpr std::uint8_t Bit(Language language) {
  return static_cast<std::uint8_t>(1u << static_cast<int>(language));
}

template <std::size_t N>
constexpr void AddWords(std::array<FunctionWord, kTableSize>& table,
                        const std::string_view (&words)[N], Language language) {
  for (std::string_view word : words) {
    // A throw in constant evaluation is a compile error: the lists are checked.
    if (word.empty() || word.size() > kMaxFunctionWordBytes) throw "bad function word";
    const std::uint64_t key = Pack(word);
    std::size_t i = Slot(key);
    while (table[i].key != 0 && table[i].key != key) i = (i + 1) % kTableSize;
    table[i].key = key;
    table[i].languages |= Bit(language);
  }
}

// Built at compile time so detection needs no initialisation and no locks.
constexpr std::array<FunctionWord, kTableSize> kFunctionWords = [] {
  std::array<FunctionWord, kTableSize> table{};
  AddWords(table, kEnglishWords, Language::kEnglish);
  AddWords(table, kFrenchWords, Language::kFrench);
  AddWords(table, kSpanishWords, Language::kSpanish);
  AddWords(table, kPortugueseWords, Language::kPortuguese);
  AddWords(table, kGermanWords, Language::kGerman);
  return table;
}();

std::uint8_t LookUp(std::uint64_t key) {
  for (std::size_t i = Slot(key);; i = (i + 1) % kTableSize) {
    if (kFunctionWords[i].key == key) return kFunctionWords[i].languages;
    if (kFunctionWords[i].key == 0) return 0;
  }
}

constexpr int kLanguageCount = static_cast<int>(Language::kGerman) + 1;

// A word shared by k languages scores kWordWeight / k for each, so that shared
// words cannot outvote distinctive ones; 60 divides evenly by 1 to 5.
constexpr int kWordWeight = 60;
// The winner needs the weight of three distinctive words ...
constexpr int kMinScore = 3 * kWordWeight;
// ... and to lead the runner-up by one distinctive word and by a quarter.
constexpr int kMinLead = kWordWeight;
// Scanning stops early once a language has this much and thrice the runner-up:
// the rest of the 4 KB could not change the verdict, and most mails get there
// within their first few hundred bytes.
constexpr int kDecisiveScore = 25 * kWordWeight;
constexpr int kDecisiveRatio = 3;
// How often, in words looked up, the early stop is considered.
constexpr unsigned kCheckEveryWords = 32;

/// The language with the highest score (kUnknown if none scored) and the highest
/// score of the others.
struct Standing {
  int best = 0;
  int top = 0;
  int runner_up = 0;
};

Standing Rank(const int (&scores)[kLanguageCount]) {
  Standing standing;
  for (int i = 1; i < kLanguageCount; ++i) {
    if (scores[i] > standing.top) {
      standing.runner_up = standing.top;
      standing.top = scores[i];
      standing.best = i;
    } else {
      standing.runner_up = std::max(standing.runner_up, scores[i]);
    }
  }
  return standing;
}

// ASCII letters and digits lower-cased; 0 for everything else, which separates words.
constexpr std::array<unsigned char, 256> kAsciiLower = [] {
  std::array<unsigned char, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<unsigned char>(c);
  for (int c = 'a'; c <= 'z'; ++c) table[c] = static_cast<unsigned char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = static_cast<unsigned char>(c - 'A' + 'a');
  return table;
}();

/// What one non-ASCII character of the scanned text is, for detection only.
enum class CharKind { kSeparator, kLatin, kCyrillic, kOtherLetter };

/// Classifies the non-ASCII character at p (p < end) without a Unicode table: only
/// the scripts of the supported languages and the punctuation around their words
/// matter here. Sets *length to its byte length.
CharKind ClassifyNonAscii(const unsigned char* p, const unsigned char* end, int* length) {
  const unsigned char c = p[0];
  *length = 1;
  auto continuation = [&](std::ptrdiff_t i) { return end - p > i && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) {
    if (!continuation(1)) return CharKind::kSeparator;
    *length = 2;
    if (c == 0xC2) return CharKind::kSeparator;  // Latin-1 punctuation: « » nbsp.
    if (c == 0xC3) return p[1] == 0x97 || p[1] == 0xB7 ? CharKind::kSeparator : CharKind::kLatin;
    if (c <= 0xC9) return CharKind::kLatin;  // Latin Extended-A/B.
    if (c >= 0xD0 && c <= 0xD4) return CharKind::kCyrillic;
    return CharKind::kOtherLetter;  // Greek, IPA, combining marks, ...
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return CharKind::kSeparator;
    *length = 3;
    // U+2000..U+2FFF: general punctuation (’ “ ” – — …), symbols, arrows.
    return c == 0xE2 ? CharKind::kSeparator : CharKind::kOtherLetter;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return CharKind::kSeparator;
    *length = 4;
    return CharKind::kOtherLetter;
  }
  return CharKind::kSeparator;  // Stray continuation or invalid lead byte.
}

/// The packed, lower-cased form of a word of at most kMaxFunctionWordBytes bytes.
/// `ascii_only` and enough readable bytes after it allow an 8-byte load; otherwise
/// bytes are taken one by one and Latin-1 capitals (UTF-8 C3 80..C3 9E) lowered.
std::uint64_t PackLowered(const unsigned char* word, std::size_t size, bool ascii_only,
                          const unsigned char* end) {
  if constexpr (std::endian::native == std::endian::little) {
    if (ascii_only && end - word >= 8) {
      std::uint64_t v;
      std::memcpy(&v, word, 8);
      const std::uint64_t mask =
          size == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * size)) - 1;
      // Digits already have bit 0x20 set; for letters it is the lower-case bit.
      return (v | 0x2020202020202020ull) & mask;
    }
  }
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < size; ++i) {
    unsigned char b = word[i];
    if (b < 0x80) {
      b = kAsciiLower[b];
    } else if (i > 0 && word[i - 1] == 0xC3 && b <= 0x9E) {
      b = static_cast<unsigned char>(b + 0x20);  // À..Þ to à..þ.
    }
    key |= std::uint64_t{b} << (8 * i);
  }
  return key;
}

}  // namespace

Language DetectLanguage(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* const end = p + text.size();
  const unsigned char* const stop = p + std::min(text.size(), kScanBytes);

  int scores[kLanguageCount] = {};
  std::size_t latin_chars = 0;  // ASCII letters and digits, Latin-1 and Extended letters.
  std::size_t cyrillic_letters = 0;
  unsigned hits = 0;  // Function words found.

  // Word at a time: the byte loops below are tight, and the work per word (one
  // table probe) is done only for words short enough to be function words.
  // An early stop also ends the count of Cyrillic letters: a text that opens
  // clearly in a Latin-script language is judged on that opening.
  while (p < stop) {
    if (*p < 0x80) {
      if (kAsciiLower[*p] == 0) {
        ++p;
        continue;
      }
    } else {
      int length = 0;
      if (ClassifyNonAscii(p, end, &length) == CharKind::kSeparator) {
        p += length;
        continue;
      }
    }
    const unsigned char* const word = p;
    // A word that runs past the scan limit is followed only until it is too long
    // to be a function word, so a huge token there costs nothing.
    const unsigned char* const limit = end - word <= kMaxFunctionWordBytes + 1
                                           ? end
                                           : std::max(stop, word + kMaxFunctionWordBytes + 1);
    bool ascii_only = true;
    while (p < limit) {
      const unsigned char* const run = p;
      while (p < limit && kAsciiLower[*p] != 0) ++p;
      latin_chars += static_cast<std::size_t>(p - run);
      if (p == limit || *p < 0x80) break;
      int length = 0;
      const CharKind kind = ClassifyNonAscii(p, end, &length);
      if (kind == CharKind::kSeparator) break;
      ascii_only = false;
      latin_chars += kind == CharKind::kLatin;
      cyrillic_letters += kind == CharKind::kCyrillic;
      p += length;
    }
    const auto size = static_cast<std::size_t>(p - word);
    if (size > kMaxFunctionWordBytes) continue;
    const unsigned languages = LookUp(PackLowered(word, size, ascii_only, end));
    if (languages == 0) continue;
    const int weight = kWordWeight / std::popcount(languages);
    for (int i = 1; i < kLanguageCount; ++i) {
      if (languages & (1u << i)) scores[i] += weight;
    }
    if (++hits % kCheckEveryWords == 0) {
      const Standing standing = Rank(scores);
      if (standing.top >= kDecisiveScore &&
          standing.top >= kDecisiveRatio * standing.runner_up) {
        break;
      }
    }
  }

  // Cyrillic is only written by one supported language; a third of the letters
  // allows for English quotes, code and URLs in a Russian mail.
  if (cyrillic_letters >= 3 && cyrillic_letters * 2 >= latin_chars) return Language::kRussian;

  const Standing standing = Rank(scores);
  if (standing.top < kMinScore || standing.top - standing.runner_up < kMinLead ||
      standing.top * 4 < standing.runner_up * 5) {
    return Language::kUnknown;
  }
  return static_cast<Language>(standing.best);
}

std::string_view LanguageCode(Language language) {
  switch (language) {
    case Language::kEnglish: return "en";
    case Language::kFrench: return "fr";
    case Language::kSpanish: return "es";
    case Language::kPortuguese: return "pt";
    case Language::kRussian: return "ru";
    case Language::kGerman: return "de";
    case Language::kUnknown: break;
  }
  return "";
}

const char* StemmerName(Language language) {
  switch (language) {
    case Language::kFrench: return "french";
    case Language::kSpanish: return "spanish";
    case Language::kPortuguese: return "portuguese";
    case Language::kRussian: return "russian";
    case Language::kGerman: return "german";
    case Language::kEnglish:
    case Language::kUnknown: break;
  }
  return "english";
}

}  // namespace rt
