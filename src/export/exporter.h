#pragma once
// `roundtable export`: the archive back out, for other tools and for backups.

#include <ostream>

#include "store/store.h"

namespace rt {

/// mboxrd: each message behind a "From " line (its original envelope when it came
/// from an mbox), every line matching ^>*From  escaped with one more '>', a blank line
/// after each. Messages imported from mail formats are written byte for byte as
/// imported; pipermail HTML pages are written as the RFC 5322 message they show.
/// Returns how many messages were written, or the first store or write error.
Result<std::uint64_t> ExportMbox(Store& store, const ExportFilter& filter, std::ostream& out);

/// One JSON object per line: message_id, forum, list, thread_id, parent, date (ISO 8601
/// UTC), from_name, from_address, subject, language, references, source_format, body_text.
Result<std::uint64_t> ExportJsonl(Store& store, const ExportFilter& filter, std::ostream& out);

/// The "From " line for a message without an envelope: sender and asctime date.
std::string SynthesizedEnvelope(const StoredMessage& message);

}  // namespace rt
