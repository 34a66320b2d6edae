#include "search/snippet.h"

#include <vector>

#include "search/term_normalizer.h"
#include "util/html_escape.h"

namespace rt {

std::string MakeSnippet(std::string_view text, const std::function<bool(std::string_view)>& matches,
                        int window_words) {
  std::vector<std::string_view> words = SplitWords(text);
  if (words.empty()) return {};
  std::vector<char> hit(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) hit[i] = matches(words[i]);
  std::size_t window = static_cast<std::size_t>(window_words);
  std::size_t best = 0;
  int best_count = -1, count = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    count += hit[i];
    if (i >= window) count -= hit[i - window];
    if (count > best_count) {
      best_count = count;
      best = i + 1 >= window ? i + 1 - window : 0;
    }
  }
  // Start a few words before the first match so it reads in context.
  std::size_t first = best;
  while (first < words.size() && first < best + window && !hit[first]) ++first;
  // Without a match in the body (the subject matched), the snippet is the body's start.
  std::size_t start = best_count <= 0 ? 0 : first > best + 3 ? first - 3 : best;
  std::size_t end = std::min(words.size(), start + window);
  std::size_t from = static_cast<std::size_t>(words[start].data() - text.data());
  std::string out = start > 0 ? "… " : "";
  std::size_t pos = from;
  for (std::size_t i = start; i < end; ++i) {
    std::size_t w = static_cast<std::size_t>(words[i].data() - text.data());
    std::string gap = HtmlEscape(text.substr(pos, w - pos));
    for (char& c : gap)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    out += gap;
    if (hit[i]) out += "<mark>";
    out += HtmlEscape(words[i]);
    if (hit[i]) out += "</mark>";
    pos = w + words[i].size();
  }
  if (end < words.size()) out += " …";
  return out;
}

}  // namespace rt
