#include "web/i18n.h"

#include <algorithm>
#include <climits>
#include <exception>
#include <locale>
#include <optional>

#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>

#include "util/html_escape.h"

namespace rt {

namespace {

constexpr char kDomain[] = "roundtable";

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The lookup key of a language tag or range: lower case, '_' written as '-'.
// nullopt unless `s` is 1*8ALPHA *(("-" / "_") 1*8alphanum), the RFC 4647
// language-range without "*" (gettext file names use '_').
std::optional<std::string> TagKey(std::string_view s) {
  std::string key;
  key.reserve(s.size());
  std::size_t subtag = 0;  // length of the current subtag
  for (char c : s) {
    if (c == '-' || c == '_') {
      if (subtag == 0) return std::nullopt;
      key += '-';
      subtag = 0;
      continue;
    }
    if (!IsAlpha(c) && !(IsDigit(c) && key.find('-') != std::string::npos)) return std::nullopt;
    if (++subtag > 8) return std::nullopt;
    key += ToLower(c);
  }
  if (subtag == 0) return std::nullopt;
  return key;
}

// An RFC 9110 qvalue in thousandths: "0", "0.5", "1", "1.000". nullopt if malformed.
std::optional<int> ParseQValue(std::string_view s) {
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  int q = (s[0] - '0') * 1000;
  if (s.size() == 1) return q;
  if (s[1] != '.' || s.size() > 5) return std::nullopt;
  int scale = 100;
  for (char c : s.substr(2)) {
    if (!IsDigit(c)) return std::nullopt;
    q += (c - '0') * scale;
    scale /= 10;
  }
  if (q > 1000) return std::nullopt;
  return q;
}

struct LanguageRange {
  std::string key;  // TagKey() of the range, or "*"
  int q = 1000;     // in thousandths
};

// One element of an Accept-Language list: language-range *( OWS ";" OWS parameter ).
// nullopt if malformed; parameters other than q are ignored.
std::optional<LanguageRange> ParseElement(std::string_view element) {
  std::size_t semicolon = element.find(';');
  std::string_view range = Trim(element.substr(0, semicolon));
  LanguageRange result;
  if (range == "*") {
    result.key = "*";
  } else {
    std::optional<std::string> key = TagKey(range);
    if (!key) return std::nullopt;
    result.key = std::move(*key);
  }
  while (semicolon != std::string_view::npos) {
    element.remove_prefix(semicolon + 1);
    semicolon = element.find(';');
    std::string_view parameter = Trim(element.substr(0, semicolon));
    if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
      std::optional<int> q = ParseQValue(parameter.substr(2));
      if (!q) return std::nullopt;
      result.q = *q;
    }
  }
  return result;
}

// The ranges of an Accept-Language value with q > 0, most preferred first.
std::vector<LanguageRange> ParseAcceptLanguage(std::string_view value) {
  value = value.substr(0, Catalogs::kMaxAcceptLanguageBytes);
  std::vector<LanguageRange> ranges;
  std::size_t pos = 0;
  while (pos <= value.size() && ranges.size() < Catalogs::kMaxLanguageRanges) {
    std::size_t comma = std::min(value.find(',', pos), value.size());
    std::optional<LanguageRange> range = ParseElement(value.substr(pos, comma - pos));
    if (range && range->q > 0) ranges.push_back(std::move(*range));
    pos = comma + 1;
  }
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const LanguageRange& a, const LanguageRange& b) { return a.q > b.q; });
  return ranges;
}

// Boost.Locale takes the count as an int. Keep what plural rules look at
// (n % 10, n % 100, n % 1000000, n == 0, 1, 2, small or large) for larger counts;
// a negative count takes the form of its absolute value.
int PluralCount(std::int64_t n) {
  std::uint64_t magnitude = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  if (magnitude <= static_cast<std::uint64_t>(INT_MAX)) return static_cast<int>(magnitude);
  return static_cast<int>(1000000000 + magnitude % 1000000000);
}


}  // namespace

struct Catalogs::Language {
  std::string tag;     // as listed by Languages(), e.g. "pt-BR"
  std::string key;     // TagKey(tag), e.g. "pt-br"
  std::locale locale;  // owns *messages
  const boost::locale::message_format<char>* messages = nullptr;  // nullptr: no catalogue
  int domain = -1;
};

Catalogs::Catalogs(std::vector<CatalogData> catalogues) {
  std::string errors;
  auto fail = [&errors](std::string_view tag, std::string_view why) {
    if (!errors.empty()) errors += "; ";
    errors += "catalogue \"";
    errors += tag.substr(0, kMaxLanguageTagBytes);
    errors += "\": ";
    errors += why;
  };
  for (auto& [tag, bytes] : catalogues) {
    std::optional<std::string> key = TagKey(tag);
    if (!key || tag.size() > kMaxLanguageTagBytes) {
      fail(tag, "not a language tag");
      continue;
    }
    if (FindKey(*key) != nullptr) {
      fail(tag, "language already loaded");
      continue;
    }
    if (bytes.empty()) {
      fail(tag, "empty .mo data");
      continue;
    }
    Language language;
    language.tag = tag;
    std::replace(language.tag.begin(), language.tag.end(), '_', '-');
    language.key = std::move(*key);
    try {
      boost::locale::gnu_gettext::messages_info info;
      info.language = language.key;
      info.encoding = "UTF-8";
      info.paths = {"embedded"};
      info.domains = {boost::locale::gnu_gettext::messages_info::domain(kDomain)};
      // Every file name Boost.Locale asks for gets these bytes: the first one it
      // tries is the catalogue of this language in this domain.
      const std::string& data = bytes;
      info.callback = [&data](const std::string&, const std::string&) {
        return std::vector<char>(data.begin(), data.end());
      };
      auto* messages = boost::locale::gnu_gettext::create_messages_facet<char>(info);
      language.locale = std::locale(std::locale::classic(), messages);
      language.messages = &std::use_facet<boost::locale::message_format<char>>(language.locale);
      language.domain = language.messages->domain(kDomain);
    } catch (const std::exception& e) {
      fail(tag, std::string("bad .mo data: ") + e.what());
      continue;
    }
    // The header is the translation of "": without it nothing was loaded.
    if (language.messages->get(language.domain, nullptr, "") == nullptr) {
      fail(tag, "bad .mo data: no header entry");
      continue;
    }
    languages_.push_back(std::move(language));
  }
  if (FindKey("en") == nullptr) {
    Language english;
    english.tag = "en";
    english.key = "en";
    languages_.push_back(std::move(english));
  }
  std::sort(languages_.begin(), languages_.end(),
            [](const Language& a, const Language& b) { return a.key < b.key; });
  if (!errors.empty()) status_ = Status::BadFormat(std::move(errors));
}

Catalogs::~Catalogs() = default;

const Catalogs& Catalogs::Get() {
  static const Catalogs kCatalogs(EmbeddedCatalogs());
  return kCatalogs;
}

const Catalogs::Language* Catalogs::FindKey(std::string_view key) const {
  for (const Language& language : languages_) {
    if (language.key == key) return &language;
  }
  return nullptr;
}

const Catalogs::Language* Catalogs::Find(std::string_view lang) const {
  if (lang.size() > kMaxLanguageTagBytes) return nullptr;
  std::optional<std::string> key = TagKey(lang);
  return key ? FindKey(*key) : nullptr;
}

const Catalogs::Language* Catalogs::Select(std::string_view range) const {
  for (std::string_view prefix = range; !prefix.empty();) {
    if (const Language* language = FindKey(prefix)) return language;
    std::size_t dash = prefix.rfind('-');
    prefix = prefix.substr(0, dash == std::string_view::npos ? 0 : dash);
  }
  for (const Language& language : languages_) {
    if (language.key.size() > range.size() && language.key.starts_with(range) &&
        language.key[range.size()] == '-') {
      return &language;
    }
  }
  return nullptr;
}

std::vector<std::string> Catalogs::Languages() const {
  std::vector<std::string> tags;
  tags.reserve(languages_.size());
  for (const Language& language : languages_) tags.push_back(language.tag);
  return tags;
}

bool Catalogs::Has(std::string_view lang) const { return Find(lang) != nullptr; }

std::string Catalogs::Negotiate(std::string_view chosen, std::string_view accept_language) const {
  if (chosen.size() <= kMaxLanguageTagBytes) {
    if (std::optional<std::string> key = TagKey(Trim(chosen))) {
      if (const Language* language = Select(*key)) return language->tag;
    }
  }
  for (const LanguageRange& range : ParseAcceptLanguage(accept_language)) {
    if (range.key == "*") break;
    if (const Language* language = Select(range.key)) return language->tag;
  }
  return "en";
}

const char* Catalogs::Message(const Language* language, const std::string* context,
                              std::string_view msgid) {
  if (language == nullptr || language->messages == nullptr || msgid.empty() ||
      msgid.find('\0') != std::string_view::npos) {
    return nullptr;
  }
  std::string id(msgid);
  return language->messages->get(language->domain, context ? context->c_str() : nullptr, id.c_str());
}

const char* Catalogs::PluralMessage(const Language* language, const std::string* context,
                                    std::string_view singular, std::int64_t n) {
  if (language == nullptr || language->messages == nullptr || singular.empty() ||
      singular.find('\0') != std::string_view::npos) {
    return nullptr;
  }
  std::string id(singular);
  return language->messages->get(language->domain, context ? context->c_str() : nullptr, id.c_str(),
                                 PluralCount(n));
}

std::string Catalogs::Translate(std::string_view lang, std::string_view msgid) const {
  const char* translation = Message(Find(lang), nullptr, msgid);
  return translation ? std::string(translation) : std::string(msgid);
}

std::string Catalogs::TranslatePlural(std::string_view lang, std::string_view singular,
                                      std::string_view plural, std::int64_t n) const {
  const char* translation = PluralMessage(Find(lang), nullptr, singular, n);
  if (translation) return translation;
  return std::string(n == 1 ? singular : plural);
}

std::string Catalogs::TranslateInContext(std::string_view lang, std::string_view context,
                                         std::string_view msgid) const {
  if (context.find('\0') != std::string_view::npos) return std::string(msgid);
  const std::string ctx(context);
  const char* translation = Message(Find(lang), &ctx, msgid);
  return translation ? std::string(translation) : std::string(msgid);
}

std::string Catalogs::TranslatePluralInContext(std::string_view lang, std::string_view context,
                                               std::string_view singular, std::string_view plural,
                                               std::int64_t n) const {
  const std::string ctx(context);
  const char* translation = context.find('\0') == std::string_view::npos
                                ? PluralMessage(Find(lang), &ctx, singular, n)
                                : nullptr;
  if (translation) return translation;
  return std::string(n == 1 ? singular : plural);
}

std::string_view Catalogs::Direction(std::string_view lang) const {
  // TRANSLATORS: the writing direction of your language. Translate as "rtl" for a
  // right-to-left script (Arabic, Hebrew, Persian...); leave as "ltr" otherwise.
  return Translate(lang, "ltr") == "rtl" ? "rtl" : "ltr";
}

std::string Catalogs::NativeName(std::string_view lang) const {
  const Language* language = Find(lang);
  if (language == nullptr) return std::string(lang.substr(0, kMaxLanguageTagBytes));
  // TRANSLATORS: the name of your language in your language, as the language
  // menu shows it: "Français", "Deutsch", "العربية".
  std::string name = Translate(language->tag, "language-name");
  if (name != "language-name") return name;
  return language->key == "en" ? "English" : language->tag;
}

std::string Catalogs::TranslateTemplate(std::string_view lang, std::string_view template_text) const {
  std::string out;
  out.reserve(template_text.size());
  std::size_t pos = 0;
  for (;;) {
    std::size_t open = template_text.find("[[", pos);
    if (open == std::string_view::npos) break;
    std::size_t close = template_text.find("]]", open + 2);
    if (close == std::string_view::npos) break;
    out.append(template_text.substr(pos, open - pos));
    AppendHtmlEscaped(out, Translate(lang, template_text.substr(open + 2, close - open - 2)));
    pos = close + 2;
  }
  out.append(template_text.substr(pos));
  return out;
}

}  // namespace rt
