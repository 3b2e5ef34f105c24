// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.2) and RSASSA-PSS (§8.1.2) signature verification for
// RS256/RS384/RS512 and PS256/PS384/PS512 id_tokens,
// with the public key taken from a JWK's base64url `n` and `e`. Portable C++ (the wasm build has
// no OpenSSL): a small unsigned bignum with Montgomery multiplication is enough, because only
// public-key operations are done and nothing here is secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace larder::crypto {

enum class RsaHash { Sha256, Sha384, Sha512 };

struct RsaPublicKey {
  std::string n;   // modulus, big-endian, no leading zero bytes
  uint32_t e = 0;  // public exponent
};

// Bounds on the modulus: below 1024 bits is forgeable in practice (Go refuses it too), and the
// upper bound keeps the work of one verification small whatever a JWKS endpoint sends.
inline constexpr size_t kRsaMinBits = 1024;
inline constexpr size_t kRsaMaxBits = 8192;

// The key of a JWK (`n`, `e` in base64url; trailing '=' tolerated, as PocketBase trims them).
// nullopt with `error` set when either does not decode, the modulus is even or outside
// [kRsaMinBits, kRsaMaxBits], or the exponent is even, below 3 or at least 2^31.
std::optional<RsaPublicKey> rsa_public_key_from_jwk(std::string_view n_b64url, std::string_view e_b64url,
                                                    std::string* error = nullptr);

// Whether `signature` is a valid PKCS#1 v1.5 signature of `message` (hashed here with `hash`):
// the signature must be exactly as long as the modulus and below it, and the recovered encoded
// message must equal the expected 00 01 FF.. 00 DigestInfo encoding byte for byte.
bool rsa_pkcs1v15_verify(const RsaPublicKey& key, RsaHash hash, std::string_view message, std::string_view signature);

// Whether `signature` is a valid RSASSA-PSS signature of `message` with MGF1 over the same hash,
// the salt length recovered from the encoding (Go's PSSSaltLengthAuto, which golang-jwt uses to
// verify PS256/PS384/PS512): any salt from none to the most that fits.
bool rsa_pss_verify(const RsaPublicKey& key, RsaHash hash, std::string_view message, std::string_view signature);

}  // namespace larder::crypto
