#pragma once
// Passwords are stored only as libsodium argon2id strings (algorithm, parameters, salt
// and hash in one text), so the cost can rise later without a schema change.

#include <string>
#include <string_view>

#include "util/status.h"

namespace rt {

/// Shortest and longest password accepted (bytes).
constexpr std::size_t kMinPasswordBytes = 10;
constexpr std::size_t kMaxPasswordBytes = 1024;

/// InvalidArgument with a message a user can act on when the password is too short or long.
Status CheckPassword(std::string_view password);

/// argon2id at libsodium's interactive limits (~64 MiB, ~0.1 s).
Result<std::string> HashPassword(std::string_view password);

/// Constant-time check of a password against a stored HashPassword() string.
bool VerifyPassword(std::string_view password, const std::string& stored_hash);

}  // namespace rt
