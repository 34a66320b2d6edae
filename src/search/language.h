#pragma once
// Which language a message is written in, for choosing its stemmer.

#include <string_view>

namespace rt {

enum class Language { kUnknown, kEnglish, kFrench, kSpanish, kPortuguese, kRussian, kGerman };

/// Guesses the language of a text from its script and its most frequent function
/// words; looks at no more than the first few KB. Mostly Cyrillic text is Russian
/// (the only Cyrillic language supported). kUnknown when nothing is clear, as for
/// short replies ("+1", "Thanks!") (callers then stem as English). Thread-safe,
/// allocation-free, microseconds.
Language DetectLanguage(std::string_view text);

/// "en", "fr", "es", "pt", "ru", "de" or "" for kUnknown.
std::string_view LanguageCode(Language language);
/// The Snowball algorithm name ("english", ...); "english" for kUnknown.
const char* StemmerName(Language language);

}  // namespace rt
