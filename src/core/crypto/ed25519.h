// Ed25519 signature verification (RFC 8032 §5.1.7) for EdDSA id_tokens signed with an OKP JWK.
// Portable C++ (the wasm build has no OpenSSL). Verification only: nothing here is secret, so
// the arithmetic is not constant-time.
#pragma once

#include <string_view>

namespace larder::crypto {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

// Whether `signature` (R || S) signs `message` under `public_key`, with Go's crypto/ed25519
// rules: exact sizes, S reduced below the group order, the key a point on the curve, and the
// cofactorless equation [S]B = R + [k]A checked by comparing the encoding of [S]B - [k]A with R.
bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view signature);

}  // namespace larder::crypto
