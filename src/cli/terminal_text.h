#pragma once
// Archived text shown on a terminal: subjects and names come from strangers, and control
// characters in them (ANSI/OSC escapes, bidi overrides) could rewrite what the reader sees
// or the terminal's title, links and clipboard.

#include <string>
#include <string_view>

namespace rt {

/// `text` with every C0/C1 control character, DEL and bidirectional override or isolate
/// replaced by U+FFFD. Valid UTF-8 in, valid UTF-8 out; other text is left as it is.
std::string TerminalText(std::string_view text);

}  // namespace rt
