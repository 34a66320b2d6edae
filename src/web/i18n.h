#pragma once
// Message catalogues for the web UI: GNU gettext .mo files read by Boost.Locale.
//
// Each po/<lang>.po is compiled to .mo and embedded in the binary at build time
// (cmake/catalogs.cmake), so adding po/fr.po and rebuilding adds French with no
// code change. Strings are extracted into po/roundtable.pot by
// scripts/extract-messages.py from `[[text]]` markers in templates/*.tpl and from
// calls with string literals: Translate(lang, "text"),
// TranslatePlural(lang, "one", "many", n), TranslateInContext(lang, "ctx", "text"),
// TranslatePluralInContext(lang, "ctx", "one", "many", n). See docs/TRANSLATING.md.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace rt {

/// A language tag (the po file stem, '_' written as '-', e.g. "pt-BR") and the
/// bytes of its compiled .mo catalogue.
using CatalogData = std::pair<std::string, std::string>;

/// The catalogues compiled into the binary, one per po/*.po, in file-name order.
/// Defined in the file cmake/catalogs.cmake generates.
std::vector<CatalogData> EmbeddedCatalogs();

/// The translations of the web UI in every available language.
///
/// Languages are tags such as "en", "fr", "pt-BR", compared case-insensitively.
/// English ("en") is always available, with or without a catalogue: a message
/// missing from a catalogue (untranslated, fuzzy, or an unknown language) comes
/// back as its msgid, so English needs no translations at all.
///
/// Thread safety: immutable after construction; every const method may be
/// called from any number of threads at once. Not copyable.
/// Every string_view parameter need only live for the duration of the call.
class Catalogs {
 public:
  /// Loads `catalogues` (language tag, .mo bytes). A catalogue whose tag is not
  /// a language tag (letters, digits, '-' or '_', at most 35 bytes), whose tag
  /// repeats an earlier one, or whose bytes Boost.Locale rejects is skipped, and
  /// status() names it and says why; the others still load.
  explicit Catalogs(std::vector<CatalogData> catalogues);
  ~Catalogs();

  Catalogs(const Catalogs&) = delete;
  Catalogs& operator=(const Catalogs&) = delete;

  /// The catalogues compiled into the binary (EmbeddedCatalogs()), loaded on
  /// the first call; thread-safe.
  static const Catalogs& Get();

  /// Ok() when every catalogue given to the constructor loaded; otherwise a
  /// kBadFormat status naming each skipped catalogue and why.
  const Status& status() const { return status_; }

  /// Every available language tag, sorted; always contains "en".
  std::vector<std::string> Languages() const;

  /// Whether `lang` is an available language (case-insensitive, '_' = '-').
  bool Has(std::string_view lang) const;

  /// The language to answer in, always one of Languages():
  /// 1. `chosen` (from a cookie or ?lang=; may be empty), when it names an
  ///    available language, or a more specific form of one ("fr-CA" -> "fr");
  /// 2. else the most preferred language of the Accept-Language header value
  ///    (RFC 9110 12.5.4: q-values, ties in header order, q=0 ignored) that is
  ///    available, itself or by prefix: "fr-CA" -> "fr", and "pt" -> "pt-BR"
  ///    when there is no "pt"; "*" -> "en";
  /// 3. else "en".
  /// Any input is safe: malformed elements are skipped, only the first
  /// kMaxAcceptLanguageBytes and kMaxLanguageRanges ranges are considered.
  std::string Negotiate(std::string_view chosen, std::string_view accept_language) const;

  /// The translation of `msgid` into `lang`; `msgid` itself when there is none.
  /// An empty msgid translates to "" (gettext keeps the catalogue header there).
  std::string Translate(std::string_view lang, std::string_view msgid) const;

  /// The plural form of `singular` for the count `n` in `lang`, chosen by the
  /// Plural-Forms rule in the catalogue header. Without a translation, English
  /// rules apply: `singular` when n == 1, else `plural`. `n` is not formatted
  /// into the result: the caller substitutes it (e.g. for "{{COUNT}}").
  std::string TranslatePlural(std::string_view lang, std::string_view singular,
                              std::string_view plural, std::int64_t n) const;

  /// As Translate, for the msgid in gettext context `context` (msgctxt), which
  /// tells apart identical English words with different translations.
  std::string TranslateInContext(std::string_view lang, std::string_view context,
                                 std::string_view msgid) const;

  /// As TranslatePlural, in gettext context `context`.
  std::string TranslatePluralInContext(std::string_view lang, std::string_view context,
                                       std::string_view singular, std::string_view plural,
                                       std::int64_t n) const;

  /// "rtl" when the catalogue of `lang` translates the msgid "ltr" as "rtl",
  /// else "ltr" (also for unknown languages). Points to a string literal.
  std::string_view Direction(std::string_view lang) const;

  /// The name of `lang` in that language, for the language switcher: the
  /// translation of the msgid "language-name" ("English" for "en"); the tag
  /// itself when the catalogue has none, and `lang` itself (at most
  /// kMaxLanguageTagBytes of it) for an unknown language.
  std::string NativeName(std::string_view lang) const;

  /// `template_text` with every `[[msgid]]` replaced by the translation of
  /// msgid into `lang`, HTML-escaped (& < > " '); braces are kept, so ctemplate
  /// markers such as {{COUNT}} in a translation still work. A marker ends at the
  /// first "]]" after its "[["; a "[[" with no "]]" after it is copied as is, as
  /// is all text outside markers. Meant for startup (once per language and
  /// template), not per request.
  std::string TranslateTemplate(std::string_view lang, std::string_view template_text) const;

  /// Input limits of Negotiate.
  static constexpr std::size_t kMaxAcceptLanguageBytes = 4096;
  static constexpr std::size_t kMaxLanguageRanges = 32;
  static constexpr std::size_t kMaxLanguageTagBytes = 35;

 private:
  /// One language and its loaded catalogue (defined in i18n.cc).
  struct Language;

  /// The language whose key (see i18n.cc TagKey) is `key`, or nullptr.
  const Language* FindKey(std::string_view key) const;
  /// The language `lang` names (any case, '_' = '-'), or nullptr.
  const Language* Find(std::string_view lang) const;
  /// The available language the range key `range` selects: itself, else its
  /// longest available prefix, else the first longer tag it is a prefix of.
  const Language* Select(std::string_view range) const;
  /// The translation of `msgid` (and `context` unless nullptr) or nullptr; a
  /// null `language` has none. The result lives as long as *language.
  static const char* Message(const Language* language, const std::string* context,
                             std::string_view msgid);
  /// As Message, the plural form for `n`.
  static const char* PluralMessage(const Language* language, const std::string* context,
                                   std::string_view singular, std::int64_t n);

  std::vector<Language> languages_;  // sorted by key; const after construction
  Status status_;
};

}  // namespace rt
