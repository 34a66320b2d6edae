#pragma once
// gzip (RFC 1952) for HTTP responses; decompression lives in the archive's line reader.

#include <string>
#include <string_view>

namespace rt {

/// The gzip member of `data` at zlib level `level` (1 fastest .. 9 smallest).
std::string GzipCompress(std::string_view data, int level = 6);

}  // namespace rt
