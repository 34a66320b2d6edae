#pragma once
// Mail addresses as keys for people.

#include <string>
#include <string_view>

namespace rt {

/// The canonical form used to recognise one mailbox behind spellings: trimmed,
/// angle brackets and pipermail's " at " undone, lower-cased (local parts are
/// case-insensitive in practice), "googlemail.com" as "gmail.com". Returns "" when
/// the text holds no plausible address (no '@', or empty local part or domain).
std::string NormalizeAddress(std::string_view address);

/// The domain of a normalised address ("" if none).
std::string_view AddressDomain(std::string_view normalized);

/// `text` with the local part of every address in it partly starred out
/// ("jane.doe@example.org" -> "jan*****@example.org"), byte length unchanged so offsets
/// into the text stay valid. For text shown to the public: quoted attributions and
/// signatures are full of addresses.
std::string MaskAddresses(std::string_view text);

}  // namespace rt
