#include "web/reply_link.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "web/request_url.h"

namespace rt {

namespace {

// Unfolded header fields of the header block: {lower-case name, value}.
std::vector<std::pair<std::string, std::string>> HeaderFields(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> fields;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t end = raw.find('\n', pos);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view line = raw.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of the header block
    if ((line.front() == ' ' || line.front() == '\t') && !fields.empty()) {
      fields.back().second += std::string(line);
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    fields.emplace_back(std::move(name), std::string(line.substr(colon + 1)));
  }
  return fields;
}

}  // namespace

std::string ListPostAddress(std::string_view raw) {
  for (const auto& [name, value] : HeaderFields(raw)) {
    if (name == "list-post") {
      std::size_t at = value.find("mailto:");
      if (at == std::string::npos) continue;  // "NO": the list takes no posts
      std::string_view rest = std::string_view(value).substr(at + 7);
      std::size_t end = rest.find_first_of(">?, \t");
      std::string address(rest.substr(0, end));
      if (address.find('@') != std::string::npos) return address;
    }
  }
  return "";
}

std::string ReplyMailto(std::string_view address, std::string_view subject, std::string_view message_id,
                        std::string_view references) {
  std::string reply_subject(subject);
  if (reply_subject.size() < 3 || (reply_subject.compare(0, 3, "Re:") != 0 && reply_subject.compare(0, 3, "RE:") != 0))
    reply_subject = "Re: " + reply_subject;
  std::string url = "mailto:" + EncodeQueryValue(address);
  // The address keeps its '@' readable for mail programs; everything else is encoded.
  std::size_t at = url.find("%40");
  if (at != std::string::npos) url.replace(at, 3, "@");
  url += "?subject=" + EncodeQueryValue(reply_subject);
  if (!message_id.empty()) {
    std::string id = "<" + std::string(message_id) + ">";
    url += "&In-Reply-To=" + EncodeQueryValue(id);
    std::string refs(references);
    refs += (refs.empty() ? "" : " ") + id;
    url += "&References=" + EncodeQueryValue(refs);
  }
  return url;
}

}  // namespace rt
