#pragma once
// zstd for stored raw messages and bodies; BLAKE2b content hashes (libsodium).

#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

/// zstd frame of `data` at a fast level suited to bulk import.
std::string Compress(std::string_view data);
/// The original bytes; BadFormat if `frame` is not a valid zstd frame.
Result<std::string> Decompress(std::string_view frame);

/// Lower-case hex BLAKE2b-256 of data.
std::string ContentHash(std::string_view data);

}  // namespace rt
