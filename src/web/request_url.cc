#include "web/request_url.h"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url_view.hpp>

#include <charconv>

#include "mime/charset.h"

namespace rt {

namespace urls = boost::urls;

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string RequestUrl::Param(std::string_view name) const {
  for (const auto& [key, value] : params)
    if (key == name) return value;
  return "";
}

std::int64_t RequestUrl::IntParam(std::string_view name, std::int64_t fallback) const {
  std::optional<std::int64_t> v = ParseInt(Param(name));
  return v && *v >= 0 ? *v : fallback;
}

Result<RequestUrl> ParseRequestUrl(std::string_view target) {
  auto parsed = urls::parse_origin_form(target);
  if (!parsed) return Status::InvalidArgument("the request target is not a valid URL path");
  urls::url_view url = *parsed;
  RequestUrl out;
  out.path = url.path();
  out.encoded_path = url.encoded_path();
  for (auto segment : url.segments()) out.segments.push_back(segment);
  if (!out.segments.empty() && out.segments.back().empty()) {
    out.segments.pop_back();
    out.trailing_slash = true;
  }
  for (auto param : url.params()) out.params.emplace_back(param.key, param.has_value ? param.value : "");
  // Whatever is decoded here may be echoed in pages and JSON: text only.
  auto is_text = [](std::string_view s) { return s.find('\0') == std::string_view::npos && MakeValidUtf8(s) == s; };
  bool text = is_text(out.path);
  for (const auto& [key, value] : out.params) text = text && is_text(key) && is_text(value);
  if (!text) return Status::InvalidArgument("the address holds bytes that are not UTF-8 text");
  return out;
}

std::string EncodeSegment(std::string_view segment) { return urls::encode(segment, urls::unreserved_chars); }

std::string EncodeQueryValue(std::string_view value) { return urls::encode(value, urls::unreserved_chars); }

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    std::size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return "";
}

bool IsSafeBackPath(std::string_view back) {
  if (back.empty() || back.front() != '/' || (back.size() > 1 && back[1] == '/')) return false;
  for (char c : back)
    if (c <= 0x20 || c >= 0x7f || c == '\\') return false;
  return true;
}

}  // namespace rt
