#include "accounts/password.h"

#include <sodium.h>

namespace rt {

Status CheckPassword(std::string_view password) {
  if (password.size() < kMinPasswordBytes)
    return Status::InvalidArgument("the password is too short: use at least " + std::to_string(kMinPasswordBytes) +
                                   " characters");
  if (password.size() > kMaxPasswordBytes)
    return Status::InvalidArgument("the password is too long: at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  if (Status s = CheckPassword(password); !s.ok()) return s;
  if (sodium_init() < 0) return Status::Internal("libsodium could not start");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status::Internal("not enough memory to hash the password");
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& stored_hash) {
  if (stored_hash.empty() || password.size() > kMaxPasswordBytes || sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace rt
