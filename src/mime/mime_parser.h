#pragma once
// RFC 5322 / MIME messages to plain data, through GMime 3.

#include <string_view>

#include "archive/message.h"
#include "util/status.h"

namespace rt {

/// Call once before any parsing, from the main thread (GMime's global set-up).
void InitMime();

/// Parses a whole message. Fills the header fields, body_text (text/plain, or text
/// derived from the HTML part when there is none), body_html and attachments of *out;
/// every charset is converted to UTF-8 (mime/charset.h) and each repair is noted in out->warnings. Lenient like a
/// mail reader: missing headers leave fields empty. BadFormat only when the bytes hold
/// no message at all (no header block). Thread-safe after InitMime().
Status ParseMimeMessage(std::string_view bytes, ParsedMessage* out);

/// Cuts what no real message has, noting each cut in m->warnings: references beyond 100
/// (the first, the thread's root, and the 99 nearest stay), and a Message-ID, reference,
/// subject or sender's name longer than 998 bytes (RFC 5322's line limit). Every parser
/// of messages calls it; ParseMimeMessage does.
void LimitFieldSizes(ParsedMessage* m);

/// `text` without what some tools write before a message or an archive's first line:
/// a UTF-8 byte-order mark, blank lines.
std::string_view WithoutLeadingBlankLines(std::string_view text);

}  // namespace rt
