#include "gateway/unsubscribe_link.h"

#include "accounts/tokens.h"
#include "web/request_url.h"

namespace rt {

namespace {

std::string Signed(std::int64_t list_id, std::string_view address) {
  return "unsubscribe\n" + std::to_string(list_id) + "\n" + std::string(address);
}

}  // namespace

std::string UnsubscribeUrl(std::string_view base_url, std::string_view key, std::int64_t list_id,
                           std::string_view address) {
  return std::string(base_url) + "/unsubscribe?l=" + std::to_string(list_id) + "&a=" + EncodeQueryValue(address) +
         "&s=" + Sign(key, Signed(list_id, address));
}

bool UnsubscribeSignatureValid(std::string_view key, std::int64_t list_id, std::string_view address,
                               std::string_view signature) {
  return VerifySignature(key, Signed(list_id, address), signature);
}

}  // namespace rt
