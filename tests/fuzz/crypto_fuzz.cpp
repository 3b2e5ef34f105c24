// libFuzzer target: the parsers and verifiers that read bytes from outside the server without
// going through a client request — what an OAuth2 provider sends (a JWKS and an id_token, checked
// with RSA PKCS#1 v1.5 / PSS, Ed25519 or, for keys, refused), a superuser's Apple private key
// (PEM/DER), and P-256 signatures. The property: any input gives an answer (accepted, refused
// with an error), never a crash, a hang or undefined behaviour (ASan/UBSan).
//
// Input layout: byte 0 picks the parser; the rest is split on '\n' into its inputs.
//
//   scripts/fuzz [seconds]   builds build/fuzz with clang and runs every target.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto/ec_private_key.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/p256.h"
#include "core/crypto/rsa.h"
#include "core/oauth2/jwks.h"

using namespace larder;

namespace {

std::vector<std::string_view> split(std::string_view in, size_t parts) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < parts) {
    size_t nl = in.find('\n');
    if (nl == std::string_view::npos) break;
    out.push_back(in.substr(0, nl));
    in.remove_prefix(nl + 1);
  }
  out.push_back(in);
  while (out.size() < parts) out.emplace_back();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {  // id_token against a JWKS body
      auto p = split(in, 2);
      try {
        oauth2::validate_token_signature_with_jwks(p[0], p[1], 1'700'000'000);
      } catch (const std::exception&) {
      }
      break;
    }
    case 1: {  // Apple private key, PEM and raw DER
      (void)crypto::parse_p256_private_key_pem(in);
      (void)crypto::parse_p256_private_key_der(in);
      break;
    }
    case 2: {  // RSA key from JWK fields, then both signature schemes
      auto p = split(in, 4);
      if (auto key = crypto::rsa_public_key_from_jwk(p[0], p[1])) {
        (void)crypto::rsa_pkcs1v15_verify(*key, crypto::RsaHash::Sha256, p[2], p[3]);
        (void)crypto::rsa_pss_verify(*key, crypto::RsaHash::Sha512, p[2], p[3]);
      }
      break;
    }
    case 3: {  // Ed25519: 32-byte key, 64-byte signature, message
      if (in.size() < 96) break;
      (void)crypto::ed25519_verify(in.substr(0, 32), in.substr(96), in.substr(32, 64));
      break;
    }
    case 4: {  // P-256 verification with an arbitrary public key and signature
      auto p = split(in, 3);
      (void)crypto::p256::verify(p[0], p[1], p[2]);
      break;
    }
    default: {  // P-256 signing with an arbitrary scalar (refused unless 0 < d < n)
      if (in.size() < 32) break;
      (void)crypto::p256::sign(in.substr(0, 32), in.substr(32));
      break;
    }
  }
  return 0;
}
