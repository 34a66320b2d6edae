#include "accounts/tokens.h"

#include <sodium.h>

#include <stdexcept>

#include "util/compression.h"

namespace rt {

namespace {

std::string Base64Url(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

std::string Mac(std::string_view key, std::string_view message) {
  EnsureSodium();
  // crypto_auth takes a key of exactly crypto_auth_KEYBYTES: hash longer or shorter keys.
  unsigned char k[crypto_auth_KEYBYTES];
  crypto_generichash(k, sizeof k, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr, 0);
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(), k);
  sodium_memzero(k, sizeof k);
  return Base64Url(mac, sizeof mac);
}

}  // namespace

std::string NewToken() {
  EnsureSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return Base64Url(bytes, sizeof bytes);
}

std::string TokenHash(std::string_view token) { return ContentHash(token); }

std::string Sign(std::string_view key, std::string_view message) { return Mac(key, message); }

bool VerifySignature(std::string_view key, std::string_view message, std::string_view signature) {
  std::string expected = Mac(key, message);
  return expected.size() == signature.size() &&
         sodium_memcmp(expected.data(), signature.data(), expected.size()) == 0;
}

}  // namespace rt
