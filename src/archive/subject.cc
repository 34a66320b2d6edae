#include "archive/subject.h"

#include <array>
#include <cctype>

namespace rt {

namespace {

void SkipSpaces(std::string_view* s) {
  while (!s->empty() && std::isspace(static_cast<unsigned char>(s->front()))) s->remove_prefix(1);
}

bool StripTag(std::string_view* s) {
  if (s->empty() || s->front() != '[') return false;
  std::size_t close = s->find(']');
  if (close == std::string_view::npos || close > 64) return false;
  s->remove_prefix(close + 1);
  SkipSpaces(s);
  return true;
}

// "Re:", "RE[2]:", "Re :", "Fwd:" ... at the start of *s.
bool StripPrefix(std::string_view* s) {
  static constexpr std::array<std::string_view, 12> kPrefixes = {"re", "fwd", "fw", "aw", "wg", "sv", "antw",
                                                                 "réf", "ref", "tr", "rv", "vs"};
  for (std::string_view prefix : kPrefixes) {
    if (s->size() <= prefix.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < prefix.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>((*s)[i])) == static_cast<unsigned char>(prefix[i]);
    if (!same) continue;
    std::string_view rest = s->substr(prefix.size());
    if (!rest.empty() && rest.front() == '[') {
      std::size_t close = rest.find(']');
      if (close == std::string_view::npos || close > 5) continue;
      rest.remove_prefix(close + 1);
    }
    if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty() || rest.front() != ':') continue;
    rest.remove_prefix(1);
    *s = rest;
    SkipSpaces(s);
    return true;
  }
  return false;
}

}  // namespace

std::string BaseSubject(std::string_view subject) {
  std::string_view s = subject;
  SkipSpaces(&s);
  while (StripTag(&s) || StripPrefix(&s)) {
  }
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

bool IsReplySubject(std::string_view subject) {
  std::string_view s = subject;
  SkipSpaces(&s);
  while (StripTag(&s)) {
  }
  return StripPrefix(&s);
}

std::string SubjectListTag(std::string_view subject) {
  std::string_view s = subject;
  SkipSpaces(&s);
  while (StripPrefix(&s)) {
  }
  if (s.empty() || s.front() != '[') return {};
  std::size_t close = s.find(']');
  if (close == std::string_view::npos || close < 2 || close > 40) return {};
  std::string tag;
  for (char c : s.substr(1, close - 1)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.') tag.push_back(static_cast<char>(std::tolower(u)));
    else if (c == ' ') tag.push_back('-');
    else return {};
  }
  return tag;
}

}  // namespace rt
