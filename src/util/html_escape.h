#pragma once
// Escaping text for HTML (and XML) text and attribute values.

#include <string>
#include <string_view>

namespace rt {

/// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);
/// The same, appended to `out`.
void AppendHtmlEscaped(std::string& out, std::string_view text);

}  // namespace rt
