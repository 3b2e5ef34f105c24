// ECDSA over NIST P-256 with SHA-256 (FIPS 186-4, i.e. JWS "ES256"): signing Apple's
// "Sign in with Apple" client secrets, and verification (tests; ES256 id_tokens). Portable C++
// because the wasm build has no OpenSSL.
//
// Nonces are deterministic (RFC 6979, HMAC-SHA256), so signing needs no RNG and the same key and
// message always give the same signature.
//
// Timing: the field and scalar arithmetic (Montgomery multiplication, modular add/sub, the
// conditional subtractions) has no secret-dependent branches or memory indices; the scalar
// multiplication is a double-and-add-always over all 256 bits with complete projective formulas
// (Renes–Costello–Batina 2015, so no special cases for the point at infinity) and a masked select;
// inversions are Fermat exponentiations with public exponents. Not constant time: the key range
// check (0 < d < n) and the RFC 6979 retry loop (reject k, or r = 0 / s = 0) branch on values an
// attacker cannot usefully learn from, HMAC/SHA-256 are data-independent anyway, and verification
// handles public data only. Compilers and CPUs (variable-time multipliers, wasm JITs) give no hard
// guarantee either way.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace larder::crypto::p256 {

inline constexpr size_t kScalarSize = 32;      // private key: big-endian, 0 < d < n
inline constexpr size_t kPublicKeySize = 65;   // SEC1 uncompressed: 0x04 || X || Y
inline constexpr size_t kSignatureSize = 64;   // r || s, each 32 bytes big-endian (JWS / IEEE P1363)

// Whether `scalar` is 32 bytes encoding an integer in [1, n-1].
bool valid_private_key(std::string_view scalar);

// The public key d·G, uncompressed. nullopt when the private key is invalid.
std::optional<std::string> public_key(std::string_view private_key);

// ECDSA signature of SHA-256(message) with an RFC 6979 nonce. nullopt when the key is invalid.
std::optional<std::string> sign(std::string_view private_key, std::string_view message);
// The same over a ready 32-byte SHA-256 digest (nullopt also when the digest is not 32 bytes).
std::optional<std::string> sign_digest(std::string_view private_key, std::string_view digest);

// Whether `signature` (r || s) signs SHA-256(message) under `public_key`: exact sizes, 0 < r, s < n,
// the key an uncompressed point on the curve (coordinates below p), and x(u1·G + u2·Q) ≡ r (mod n).
bool verify(std::string_view public_key, std::string_view message, std::string_view signature);
bool verify_digest(std::string_view public_key, std::string_view digest, std::string_view signature);

}  // namespace larder::crypto::p256
