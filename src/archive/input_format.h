#pragma once
// What kind of archive a path holds, judged by its content, not its name.

#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

enum class InputFormat {
  kMbox,           ///< mboxo or mboxrd, plain or gzip
  kPipermailText,  ///< Mailman 2 monthly text archive (an mbox with "x at y" addresses)
  kEml,            ///< one RFC 5322 message
  kPipermailHtml,  ///< one pipermail per-message HTML page
  kMaildir,        ///< a directory with cur/ and/or new/
  kDirectory,      ///< any other directory: its entries are detected one by one
};

const char* InputFormatName(InputFormat format);

/// Detects the format of `path` (gzip is looked through). NotFound for a missing path,
/// IoError if unreadable, BadFormat with a description of what was seen when the
/// content is none of the known formats. A text file the user named explicitly
/// (`named` true) that matches no format is taken for a damaged single message, so
/// the import keeps it in quarantine rather than dropping it; inside a directory walk
/// such files (READMEs, index pages) are not mail and are skipped.
Result<InputFormat> DetectInputFormat(const std::string& path, bool named = true);

/// Detection on the first bytes of a (decompressed) file; exposed for tests.
Result<InputFormat> DetectFromHead(std::string_view head);

/// True for an mbox separator line ("From sender date"): the sender may contain
/// pipermail's " at ", the date is asctime-like (a hh:mm time and a 4-digit year).
bool IsMboxSeparator(std::string_view line);

/// An RFC 5322 header field line: a name of printable ASCII without ':' or space, then ':'.
bool LooksLikeHeaderLine(std::string_view line);

}  // namespace rt
