#pragma once
// The search language shared by the CLI, the web and the API.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace rt {

/// A word or "exact phrase" to match, in the body and subject or the subject only.
struct QueryTerm {
  std::string text;  ///< as typed (a phrase without its quotes)
  bool phrase = false;
  bool subject_only = false;
};

struct SearchQuery {
  std::vector<QueryTerm> include;
  std::vector<QueryTerm> exclude;  ///< -word, -"phrase", -subject:word
  std::vector<std::string> from;   ///< from:X matches address or name, any of them
  std::vector<std::string> lists;  ///< list:NAME, any of them
  std::optional<std::int64_t> after;   ///< after:YYYY-MM-DD, inclusive, Unix seconds
  std::optional<std::int64_t> before;  ///< before:YYYY-MM-DD, exclusive

  bool HasText() const { return !include.empty(); }
};

/// Parses `words "exact phrase" from:x list:y subject:z subject:"a b" before:2007-01-31
/// after:2006-12-01 -word`. InvalidArgument with a message pointing at the problem
/// (an unclosed quote, a malformed date, a query of nothing but exclusions).
Result<SearchQuery> ParseQuery(std::string_view text);

/// Whether a query is small enough to run for anyone on the web: each word costs a walk of
/// the index. InvalidArgument naming the limit otherwise (kMaxQueryBytes of text, 12
/// words or phrases, 3 from:, 5 list:).
Status CheckQueryLimits(const SearchQuery& query, std::string_view text);
constexpr std::size_t kMaxQueryBytes = 512;

}  // namespace rt
