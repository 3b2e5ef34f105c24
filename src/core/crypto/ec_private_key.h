// Reads a P-256 private key from PEM: Apple's ".p8" files (PKCS#8 "PRIVATE KEY" wrapping an SEC1
// ECPrivateKey) and bare SEC1 ("EC PRIVATE KEY"). Like golang-jwt's ParseECPrivateKeyFromPEM, the
// DER is tried as SEC1 first, then as PKCS#8, whatever the PEM label says. Stricter than Go where
// Go is lenient about garbage: one PEM block and nothing but whitespace around it, minimal DER
// lengths, no trailing bytes, and an embedded public key (when present) must match the scalar.
#pragma once

#include <string>
#include <string_view>

namespace larder::crypto {

struct EcPrivateKeyResult {
  std::string scalar;  // 32 big-endian bytes, 0 < d < n; empty on failure
  std::string error;   // why it failed, in golang-jwt/x509 words; never contains key material
  bool ok() const { return !scalar.empty(); }
};

EcPrivateKeyResult parse_p256_private_key_pem(std::string_view pem);
// The DER inside the PEM (SEC1 or PKCS#8).
EcPrivateKeyResult parse_p256_private_key_der(std::string_view der);

}  // namespace larder::crypto
