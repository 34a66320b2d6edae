#pragma once
// The few words of a hit that show why it matched.

#include <functional>
#include <string>
#include <string_view>

namespace rt {

/// The densest window of about `window_words` words of `text` in matches, HTML-escaped,
/// each matching word wrapped in <mark></mark>, with "…" where text was cut.
/// `matches(word)` says whether a word (as split by SplitWords) matches the query.
std::string MakeSnippet(std::string_view text, const std::function<bool(std::string_view)>& matches,
                        int window_words = 28);

}  // namespace rt
