#pragma once
// One-click unsubscribe links (RFC 8058) for List-Unsubscribe: signed, so they need no
// stored token per subscriber and work for exactly one list and address.

#include <cstdint>
#include <string>
#include <string_view>

namespace rt {

/// BASE/unsubscribe?l=LIST_ID&a=ADDRESS&s=SIGNATURE
std::string UnsubscribeUrl(std::string_view base_url, std::string_view key, std::int64_t list_id,
                           std::string_view address);

/// Whether `signature` was made by UnsubscribeUrl for this list and address.
bool UnsubscribeSignatureValid(std::string_view key, std::int64_t list_id, std::string_view address,
                               std::string_view signature);

}  // namespace rt
