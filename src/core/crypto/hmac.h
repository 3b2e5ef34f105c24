// HMAC-SHA256 (RFC 2104): the signature of the HS256 JWTs PocketBase (and so Larder) issues.
#pragma once

#include <string>
#include <string_view>

namespace larder::crypto {

// 32 raw bytes. Keys longer than SHA-256's 64-byte block are hashed first, as RFC 2104 says.
std::string hmac_sha256(std::string_view key, std::string_view message);

}  // namespace larder::crypto
