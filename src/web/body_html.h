#pragma once
// A message body as HTML: the author's words shown, quoted history, signatures and
// list footers folded in <details> (which opens on click with or without JavaScript).
// Built from the derived plain text, never from the message's own HTML.

#include <cstddef>
#include <string>
#include <string_view>

namespace rt {

struct BodyLabels {
  std::string quote = "Quoted text";   ///< summaries of the folded parts, translated
  std::string signature = "Signature";
  std::string footer = "List footer";
  std::string cut = "…";               ///< shown where a folded part was shortened
};

/// Escaped HTML of `text` with its EncodeSegments() `structure`; http(s) URLs become
/// links (rel="nofollow ugc noopener"). Folded parts longer than `max_folded_bytes`
/// (0: no limit) are cut at a line end and end with labels.cut.
std::string RenderBodyHtml(std::string_view text, std::string_view structure, const BodyLabels& labels,
                           std::size_t max_folded_bytes = 0);

/// Escaped text with http(s) URLs turned into links.
std::string LinkifyText(std::string_view text);

}  // namespace rt
