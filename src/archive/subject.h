#pragma once
// Subjects as threading and list naming see them.

#include <string>
#include <string_view>

namespace rt {

/// The subject without reply/forward prefixes (Re:, RE[2]:, Fwd:, Fw:, AW:, WG:, SV:,
/// Réf:, TR:, RV:) and list tags ("[policy]"), whitespace collapsed, lower-cased:
/// what JWZ's algorithm compares when references are missing.
std::string BaseSubject(std::string_view subject);

/// True when the subject starts (after any list tag) with a reply prefix.
bool IsReplySubject(std::string_view subject);

/// The first "[tag]" of a subject as a list name ("[Policy-WG] x" -> "policy-wg");
/// "" when there is none or it does not look like a list name.
std::string SubjectListTag(std::string_view subject);

}  // namespace rt
