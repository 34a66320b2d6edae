#pragma once
// Mailman 2 "pipermail" per-message HTML pages (000123.html).

#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

/// What a pipermail message page shows of the message it was made from.
struct PipermailPage {
  std::string subject;         ///< from <H1>, list tag kept
  std::string author_name;     ///< from <B>
  std::string author_address;  ///< from the mailto link, de-obfuscated to "x@y"
  std::string date;            ///< as shown in <I>, e.g. "Tue Jan  9 09:22:30 EST 2007"
  std::string in_reply_to;     ///< from the mailto link's In-Reply-To parameter, without <>
  std::string message_id;      ///< when the page names one (rare), without <>
  std::string body;            ///< the <PRE> text between beginarticle and endarticle,
                               ///< entities decoded, markup (auto-links) removed
};

/// True when the first bytes of a file look like a pipermail message page
/// (they contain "<!--beginarticle-->" or pipermail's characteristic head).
bool LooksLikePipermailPage(std::string_view head);

/// Fills *out from the page. BadFormat when the page has no article markers.
/// Parsing uses the gumbo HTML parser, never regular expressions.
Status ParsePipermailPage(std::string_view html, PipermailPage* out);

/// Undoes pipermail's address obfuscation: "jdoe at example.org" -> "jdoe@example.org"
/// (also "jdoe at example dot org"); other text is returned unchanged.
std::string DeobfuscateAddress(std::string_view text);

}  // namespace rt
