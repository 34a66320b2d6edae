#pragma once
// Random tokens and signatures: session cookies, links sent by mail, CSRF tokens and
// one-click unsubscribe links. Tokens travel to the user; the database keeps only
// TokenHash(token), so a leaked copy of it signs nobody in.

#include <string>
#include <string_view>

namespace rt {

/// 32 random bytes (libsodium), URL-safe base64 without padding: 43 characters.
std::string NewToken();

/// What the store keeps of a token: hex BLAKE2b-256.
std::string TokenHash(std::string_view token);

/// A MAC of `message` under `key` (HMAC-SHA-512-256), URL-safe base64. `key` is a
/// store Secret() of at least 32 bytes.
std::string Sign(std::string_view key, std::string_view message);

/// Whether `signature` is Sign(key, message), in constant time.
bool VerifySignature(std::string_view key, std::string_view message, std::string_view signature);

}  // namespace rt
