#pragma once
// A GMime leaf part's content with its transfer encoding undone, for code that reads
// parts GMime has parsed (the archive's parser, bounce reports).

#include <gmime/gmime.h>

#include <string>

namespace rt {

/// The part's bytes after base64 or quoted-printable decoding; "" when it has none.
std::string DecodedContent(GMimePart* part);

}  // namespace rt
