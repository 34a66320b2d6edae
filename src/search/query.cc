#include "search/query.h"

#include <cctype>

#include "mime/mail_date.h"
#include "search/term_normalizer.h"

namespace rt {

namespace {

// One token: optional '-', optional "field:", then a "quoted phrase" or a bare word.
struct Token {
  bool negated = false;
  std::string field;
  std::string value;
  bool quoted = false;
};

Status NextToken(std::string_view text, std::size_t* pos, Token* token) {
  std::size_t i = *pos;
  if (text[i] == '-' && i + 1 < text.size() && !std::isspace(static_cast<unsigned char>(text[i + 1]))) {
    token->negated = true;
    ++i;
  }
  std::size_t start = i;
  while (i < text.size() && (std::isalpha(static_cast<unsigned char>(text[i])))) ++i;
  if (i < text.size() && text[i] == ':' && i > start && i + 1 < text.size() &&
      !std::isspace(static_cast<unsigned char>(text[i + 1]))) {
    token->field = std::string(text.substr(start, i - start));
    for (char& c : token->field) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ++i;
  } else {
    i = start;
  }
  if (i < text.size() && text[i] == '"') {
    std::size_t close = text.find('"', i + 1);
    if (close == std::string_view::npos)
      return Status::InvalidArgument("unclosed quote in the search at position " + std::to_string(i + 1));
    token->value = std::string(text.substr(i + 1, close - i - 1));
    token->quoted = true;
    i = close + 1;
  } else {
    std::size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    token->value = std::string(text.substr(i, end - i));
    i = end;
  }
  *pos = i;
  return Status::Ok();
}

}  // namespace

Result<SearchQuery> ParseQuery(std::string_view text) {
  SearchQuery query;
  std::size_t pos = 0;
  while (true) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos >= text.size()) break;
    Token token;
    Status s = NextToken(text, &pos, &token);
    if (!s.ok()) return s;
    if (token.value.empty()) continue;
    const std::string& f = token.field;
    bool filter = f == "from" || f == "list" || f == "before" || f == "after";
    if (filter && token.negated)
      return Status::InvalidArgument("-" + f + ": cannot exclude; only words, phrases and subject: can be excluded");
    if (f == "from") {
      query.from.push_back(token.value);
    } else if (f == "list") {
      query.lists.push_back(token.value);
    } else if (f == "before" || f == "after") {
      std::optional<std::int64_t> day = ParseIsoDay(token.value);
      if (!day) return Status::InvalidArgument(f + ":" + token.value + " is not a date; write it as YYYY-MM-DD");
      (f == "before" ? query.before : query.after) = day;
    } else {
      QueryTerm term;
      term.subject_only = f == "subject";
      // Punctuation alone ("-", "&") holds no word to look for; as a term it would match nothing.
      if (SplitWords(token.value).empty() && (f.empty() || term.subject_only)) continue;
      // An unknown field ("http://x" or "re:foo") is ordinary text, not an error.
      term.text = term.subject_only || f.empty() ? token.value : f + ":" + token.value;
      term.phrase = token.quoted;
      (token.negated ? query.exclude : query.include).push_back(std::move(term));
    }
  }
  if (query.include.empty() && !query.exclude.empty())
    return Status::InvalidArgument("a search needs at least one word to look for besides the excluded ones");
  return query;
}

Status CheckQueryLimits(const SearchQuery& query, std::string_view text) {
  if (text.size() > kMaxQueryBytes)
    return Status::InvalidArgument("the search is too long: at most " + std::to_string(kMaxQueryBytes) + " characters");
  if (query.include.size() + query.exclude.size() > 12)
    return Status::InvalidArgument("the search has too many words: at most 12 words or phrases");
  if (query.from.size() > 3) return Status::InvalidArgument("at most 3 from: in one search");
  if (query.lists.size() > 5) return Status::InvalidArgument("at most 5 list: in one search");
  return Status::Ok();
}

}  // namespace rt
