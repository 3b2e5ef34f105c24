// Signature verification for id_tokens: SHA-384/512 (FIPS 180-2 vectors), RSASSA-PKCS1-v1_5 and
// Ed25519 (RFC 8032 vectors and node:crypto-made ones, jwks_vectors.inc), and the JWKS key
// selection and checks of oauth2/jwks.h — including hostile keys, signatures and key sets — plus
// the Apple redirect-name store.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/crypto/base64.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/rsa.h"
#include "core/crypto/sha256.h"
#include "core/crypto/sha512.h"
#include "core/oauth2/jwks.h"
#include "core/oauth2/provider.h"
#include "core/oauth2/redirect_names.h"

using namespace larder;
using crypto::RsaHash;

namespace {

#include "jwks_vectors.inc"
#include "rsa_pss_vectors.inc"

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string b64(std::string_view s) { return *crypto::base64url_decode(s); }

TEST(Sha512, Fips180Vectors) {
  EXPECT_EQ(crypto::hex(crypto::sha512("abc")),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
            "454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(crypto::hex(crypto::sha384("abc")),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(crypto::hex(crypto::sha512("")),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f"
            "63b931bd47417a81a538327af927da3e");
  const std::string two_blocks =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
  EXPECT_EQ(crypto::hex(crypto::sha512(two_blocks)),
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433a"
            "c7d329eeb6dd26545e96e55b874be909");
  EXPECT_EQ(crypto::hex(crypto::sha384(two_blocks)),
            "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039");
  // Streaming in odd pieces equals one shot, across the 112-byte padding boundary.
  for (size_t len : {0u, 111u, 112u, 113u, 127u, 128u, 129u, 300u}) {
    std::string m(len, 'x');
    crypto::Sha512 h;
    for (size_t i = 0; i < len; i += 7) h.update(std::string_view(m).substr(i, 7));
    EXPECT_EQ(h.finish(), crypto::sha512(m)) << len;
  }
}

crypto::RsaPublicKey key(std::string_view n, std::string_view e) {
  std::string err;
  auto k = crypto::rsa_public_key_from_jwk(n, e, &err);
  EXPECT_TRUE(k) << err;
  return k.value_or(crypto::RsaPublicKey{});
}

TEST(Rsa, VerifiesNodeSignaturesForEverySizeAndHash) {
  struct Case {
    std::string_view n, e, s256, s384, s512;
  } cases[] = {
      {kRsa1024N, kRsa1024E, kRsa1024SigRS256, kRsa1024SigRS384, kRsa1024SigRS512},
      {kRsa2048N, kRsa2048E, kRsa2048SigRS256, kRsa2048SigRS384, kRsa2048SigRS512},
      {kRsa3072N, kRsa3072E, kRsa3072SigRS256, kRsa3072SigRS384, kRsa3072SigRS512},
      {kRsa4096N, kRsa4096E, kRsa4096SigRS256, kRsa4096SigRS384, kRsa4096SigRS512},
  };
  for (const auto& c : cases) {
    auto k = key(c.n, c.e);
    EXPECT_TRUE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, b64(c.s256)));
    EXPECT_TRUE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha384, kMessage, b64(c.s384)));
    EXPECT_TRUE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha512, kMessage, b64(c.s512)));
    // Wrong hash, tampered message, tampered signature.
    EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha512, kMessage, b64(c.s256)));
    EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, std::string(kMessage) + "x", b64(c.s256)));
    std::string bad = b64(c.s256);
    bad[bad.size() / 2] ^= 1;
    EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, bad));
  }
  // A signature made by another key.
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(key(kRsa2048N, kRsa2048E), RsaHash::Sha256, kMessage, b64(kRsa3072SigRS256)));
}

TEST(Rsa, HostileSignatures) {
  auto k = key(kRsa2048N, kRsa2048E);
  const std::string good = b64(kRsa2048SigRS256);
  // Lengths: truncated, extended, with a leading zero, empty.
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, good.substr(1)));
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, good + '\0'));
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, std::string(1, '\0') + good));
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, ""));
  // s >= n: the modulus itself, and all ones.
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, k.n));
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, std::string(256, '\xff')));
  // Zero and one.
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, std::string(256, '\0')));
  std::string one(256, '\0');
  one.back() = 1;
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, one));
  // Encodings made with the right private key but the wrong structure.
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, b64(kRsa2048BareHash)));
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, b64(kRsa2048Sha1Info)));
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, RsaHash::Sha256, kMessage, b64(kRsa2048Garbage)));
  // A key struct that bypassed the JWK checks is still refused.
  crypto::RsaPublicKey e1 = k;
  e1.e = 1;
  EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(e1, RsaHash::Sha256, kMessage, good));
}

crypto::RsaHash pss_hash(std::string_view name) {
  return name == "sha512" ? RsaHash::Sha512 : name == "sha384" ? RsaHash::Sha384 : RsaHash::Sha256;
}

TEST(RsaPss, VerifiesNodeSignaturesWithAnySaltLength) {
  for (const auto& v : kPssVectors) {
    SCOPED_TRACE(std::string(v.hash) + " n=" + std::string(v.n.substr(0, 12)));
    auto k = key(v.n, v.e);
    const RsaHash h = pss_hash(v.hash);
    const RsaHash other = h == RsaHash::Sha256 ? RsaHash::Sha512 : RsaHash::Sha256;
    for (std::string_view sig : {v.sig0, v.sig_hlen, v.sig_max}) {
      EXPECT_TRUE(crypto::rsa_pss_verify(k, h, kPssMessage, b64(sig)));
      EXPECT_FALSE(crypto::rsa_pss_verify(k, other, kPssMessage, b64(sig)));
      EXPECT_FALSE(crypto::rsa_pss_verify(k, h, std::string(kPssMessage) + "x", b64(sig)));
      // Not PKCS#1 v1.5 signatures, and the other way round.
      EXPECT_FALSE(crypto::rsa_pkcs1v15_verify(k, h, kPssMessage, b64(sig)));
      std::string bad = b64(sig);
      bad[bad.size() / 2] ^= 1;
      EXPECT_FALSE(crypto::rsa_pss_verify(k, h, kPssMessage, bad));
    }
  }
}

TEST(RsaPss, HostileSignatures) {
  auto k = key(kPss2048N, kPss2048E);
  auto ok = [&](std::string_view sig) { return crypto::rsa_pss_verify(k, RsaHash::Sha256, kPssMessage, sig); };
  EXPECT_TRUE(ok(b64(kPssHandValid)));  // the hand-made encoder itself is right
  EXPECT_FALSE(ok(b64(kPssBadTrailer)));
  EXPECT_FALSE(ok(b64(kPssTopBitSet)));
  EXPECT_FALSE(ok(b64(kPssBadSeparator)));
  EXPECT_FALSE(ok(b64(kPssNoSeparator)));
  EXPECT_FALSE(ok(b64(kPssNonZeroPadding)));
  EXPECT_FALSE(ok(b64(kPssWrongSaltHash)));
  EXPECT_FALSE(ok(b64(kPss2048Pkcs1)));
  const std::string good = b64(kPssHandValid);
  EXPECT_FALSE(ok(good.substr(1)));
  EXPECT_FALSE(ok(good + '\0'));
  EXPECT_FALSE(ok(std::string(1, '\0') + good));
  EXPECT_FALSE(ok(""));
  EXPECT_FALSE(ok(k.n));
  EXPECT_FALSE(ok(std::string(256, '\xff')));
  EXPECT_FALSE(ok(std::string(256, '\0')));
  std::string one(256, '\0');
  one.back() = 1;
  EXPECT_FALSE(ok(one));
  crypto::RsaPublicKey e1 = k;
  e1.e = 1;
  EXPECT_FALSE(crypto::rsa_pss_verify(e1, RsaHash::Sha256, kPssMessage, good));
  // Another key's signature.
  EXPECT_FALSE(crypto::rsa_pss_verify(key(kRsa2048N, kRsa2048E), RsaHash::Sha256, kPssMessage, good));
}

TEST(Rsa, HostileJwkKeys) {
  std::string err;
  auto rejects = [&](std::string_view n, std::string_view e, std::string_view why) {
    err.clear();
    EXPECT_FALSE(crypto::rsa_public_key_from_jwk(n, e, &err)) << why;
    EXPECT_NE(err.find(why), std::string::npos) << err;
  };
  rejects(kRsa2048N, "AQ", "too small");                 // e = 1
  rejects(kRsa2048N, "Ag", "too small");                 // e = 2
  rejects(kRsa2048N, "AA", "too small");                 // e = 0
  rejects(kRsa2048N, "AQAA", "even");                    // e = 65536
  rejects(kRsa2048N, "gAAAAA", "too large");             // e = 2^31
  rejects(kRsa2048N, "AQAAAAAAAAAB", "too large");       // 9-byte exponent
  rejects(kRsa2048N, "", "too small");                   // no exponent
  rejects(kRsa2048N, "A+/B", "encoding");                // standard alphabet
  rejects("", "AQAB", "zero");
  rejects("AAAA", "AQAB", "zero");
  rejects(crypto::base64url_encode(std::string(64, '\x7f')), "AQAB", "too small");  // 512 bits
  rejects(crypto::base64url_encode(std::string(127, '\xff')), "AQAB", "too small"); // 1016 bits
  rejects(crypto::base64url_encode(std::string(1025, '\xff')), "AQAB", "too large");
  rejects(std::string(100000, 'A'), "AQAB", "too large");                            // huge base64
  rejects(std::string(kRsa2048N) + "!", "AQAB", "encoding");
  rejects(std::string(kRsa2048N) + "AAA", "AQAB", "encoding");                       // impossible length
  std::string even = b64(kRsa2048N);
  even.back() = static_cast<char>(even.back() & ~1);
  rejects(crypto::base64url_encode(even), "AQAB", "even");
  // Accepted: padding, leading zero bytes, the 1024/8192-bit bounds, e = 3.
  EXPECT_TRUE(crypto::rsa_public_key_from_jwk(std::string(kRsa2048N) + "=", "AQAB=="));
  auto lead = crypto::rsa_public_key_from_jwk(crypto::base64url_encode(std::string(2, '\0') + b64(kRsa2048N)), "AQAB");
  ASSERT_TRUE(lead);
  EXPECT_EQ(lead->n.size(), 256u);
  EXPECT_TRUE(crypto::rsa_public_key_from_jwk(crypto::base64url_encode(std::string(1024, '\xff')), "Aw"));
  EXPECT_TRUE(crypto::rsa_public_key_from_jwk(kRsa1024N, "Aw"));
}

TEST(Ed25519, Rfc8032Vectors) {
  // RFC 8032 §7.1 TEST 1 (empty message) and TEST 2 (one byte).
  const std::string pk1 = unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const std::string sig1 = unhex(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bb"
      "e24655141438e7a100b");
  EXPECT_TRUE(crypto::ed25519_verify(pk1, "", sig1));
  const std::string pk2 = unhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  const std::string sig2 = unhex(
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302"
      "aeeb00d291612bb0c00");
  EXPECT_TRUE(crypto::ed25519_verify(pk2, unhex("72"), sig2));
  EXPECT_FALSE(crypto::ed25519_verify(pk2, unhex("73"), sig2));
  EXPECT_FALSE(crypto::ed25519_verify(pk1, unhex("72"), sig2));
}

TEST(Ed25519, NodeSignaturesAndHostileInput) {
  const std::string x = b64(kEdX), sig = b64(kEdSig);
  EXPECT_TRUE(crypto::ed25519_verify(x, kMessage, sig));
  for (const auto& c : kEdMany) EXPECT_TRUE(crypto::ed25519_verify(b64(c[0]), unhex(c[1]), b64(c[2]))) << c[0];
  EXPECT_FALSE(crypto::ed25519_verify(x, std::string(kMessage) + ".", sig));
  for (size_t i : {0u, 31u, 32u, 63u}) {
    std::string bad = sig;
    bad[i] ^= 0x01;
    EXPECT_FALSE(crypto::ed25519_verify(x, kMessage, bad)) << i;
  }
  EXPECT_FALSE(crypto::ed25519_verify(x, kMessage, sig.substr(0, 63)));
  EXPECT_FALSE(crypto::ed25519_verify(x, kMessage, sig + '\0'));
  EXPECT_FALSE(crypto::ed25519_verify(x.substr(0, 31), kMessage, sig));
  EXPECT_FALSE(crypto::ed25519_verify("", kMessage, sig));
  // S + L: the same scalar, not reduced — Go (and RFC 8032) refuse it.
  {
    static const unsigned char order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                            0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                            0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};
    std::string malleable = sig;
    int c = 0;
    for (int i = 0; i < 32; ++i) {
      int v = static_cast<unsigned char>(malleable[32 + i]) + order[i] + c;
      malleable[32 + i] = static_cast<char>(v & 0xff);
      c = v >> 8;
    }
    EXPECT_FALSE(crypto::ed25519_verify(x, kMessage, malleable));
  }
  // A public key that is not a curve point (y = 2 has no x).
  std::string not_point(32, '\0');
  not_point[0] = 2;
  EXPECT_FALSE(crypto::ed25519_verify(not_point, kMessage, sig));
}

// --- JWKS ----------------------------------------------------------------------------------------

std::string jwks(const std::string& keys) { return R"({"keys":[)" + keys + "]}"; }
std::string rsa_jwk(const std::string& kid, const std::string& alg, std::string_view n = kJwksRsaN) {
  return R"({"kty":"RSA","use":"sig","kid":")" + kid + R"(","alg":")" + alg + R"(","n":")" + std::string(n) +
         R"(","e":")" + std::string(kJwksRsaE) + R"("})";
}
std::string ed_jwk(const std::string& kid, const std::string& alg = "EdDSA", const std::string& crv = "Ed25519") {
  return R"({"kty":"OKP","crv":")" + crv + R"(","kid":")" + kid + R"(","alg":")" + alg + R"(","x":")" +
         std::string(kEdX) + R"("})";
}

// The failure message, or "" when the token validates.
std::string check(std::string_view token, const std::string& set, int64_t now = kJwtNow) {
  try {
    oauth2::validate_token_signature_with_jwks(token, set, now);
    return "";
  } catch (const oauth2::UserError& e) {
    std::string m = e.what();
    EXPECT_EQ(m.rfind("id_token validation failed: ", 0), 0u) << m;
    return m;
  }
}

TEST(Jwks, GoodTokens) {
  EXPECT_EQ(check(kTokRs256, jwks(ed_jwk("ed1") + "," + rsa_jwk("rsa1", "RS256"))), "");
  EXPECT_EQ(check(kTokRs512, jwks(rsa_jwk("rsa512", "RS512"))), "");
  EXPECT_EQ(check(kTokEdDSA, jwks(rsa_jwk("rsa1", "RS256") + "," + ed_jwk("ed1"))), "");
  // The first key with the kid and an alg wins; keys without an alg are skipped.
  EXPECT_EQ(check(kTokRs256, jwks(R"({"kid":"rsa1","kty":"RSA"},)" + rsa_jwk("rsa1", "RS256"))), "");
  // Key names as Go matches them (case-insensitively), and unknown members ignored.
  EXPECT_EQ(check(kTokRs256, R"({"Keys":[)" + rsa_jwk("rsa1", "RS256") + R"(],"other":1})"), "");
  // RSASSA-PSS: node's default (maximal) salt, and a 32-byte one.
  EXPECT_EQ(check(kTokPs256, jwks(rsa_jwk("ps1", "PS256"))), "");
  EXPECT_EQ(check(kTokPssPs256, jwks(rsa_jwk("ps1", "PS256", kPss2048N))), "");
}

struct JwksCase {
  const char* name;
  std::string_view token;
  std::string set;
  const char* error;  // substring of the message
  int64_t now = kJwtNow;
};

TEST(Jwks, HostileTokensAndKeySets) {
  std::string tampered(kTokRs256);
  {
    // Another payload under the same header and signature.
    size_t a = tampered.find('.'), b = tampered.rfind('.');
    tampered = tampered.substr(0, a + 1) + crypto::base64url_encode(R"({"sub":"admin","aud":"app"})") + tampered.substr(b);
  }
  std::string truncated(kTokRs256.substr(0, kTokRs256.size() - 10));
  std::string ed_tampered(kTokEdDSA);
  ed_tampered[ed_tampered.size() - 5] = ed_tampered[ed_tampered.size() - 5] == 'A' ? 'B' : 'A';
  const std::string rs = jwks(rsa_jwk("rsa1", "RS256"));
  std::string other_n(kRsa3072N);  // a different modulus under the right kid
  const JwksCase cases[] = {
      {"tampered payload", tampered, rs, "signature is invalid"},
      {"truncated signature", truncated, rs, "signature is invalid"},
      {"tampered EdDSA", ed_tampered, jwks(ed_jwk("ed1")), "signature is invalid"},
      {"other key", kTokRs256, jwks(rsa_jwk("rsa1", "RS256", other_n)), "signature is invalid"},
      {"unknown kid", kTokRs256, jwks(rsa_jwk("rsa2", "RS256")), "missing JWK with kid \"rsa1\""},
      {"no kid", kTokRs256NoKid, rs, "missing kid"},
      {"empty set", kTokRs256, R"({"keys":[]})", "missing JWK"},
      {"null set", kTokRs256, "null", "missing JWK"},
      {"alg differs from key", kTokRs256, jwks(rsa_jwk("rsa1", "RS512")), "signing method RS256 is invalid"},
      {"RSA token, OKP key", kTokRs256, jwks(ed_jwk("rsa1", "RS256")), "invalid type"},
      {"EdDSA token, RSA key", kTokEdDSA, jwks(rsa_jwk("ed1", "EdDSA")), "invalid type"},
      {"other curve", kTokEdDSA, jwks(ed_jwk("ed1", "EdDSA", "X25519")), "unsupported OKP curve"},
      {"EC key", kTokRs256, jwks(R"({"kty":"EC","kid":"rsa1","alg":"RS256","crv":"P-256"})"), "unsupported kty"},
      {"no kty", kTokRs256, jwks(R"({"kid":"rsa1","alg":"RS256"})"), "unsupported kty"},
      {"PS256 token, RS256 key", kTokPs256, jwks(rsa_jwk("ps1", "RS256")), "signing method PS256 is invalid"},
      {"PS256 token, other key", kTokPs256, jwks(rsa_jwk("ps1", "PS256", kPss2048N)), "signature is invalid"},
      {"PS256 token, OKP key", kTokPs256, jwks(ed_jwk("ps1", "PS256")), "invalid type"},
      {"ES256", kTokPs256, jwks(rsa_jwk("ps1", "ES256")), "signing method PS256 is invalid"},
      {"HS256 with RSA key", kTokRs256, jwks(rsa_jwk("rsa1", "HS256")), "signing method RS256 is invalid"},
      {"e = 1", kTokRs256, jwks(R"({"kty":"RSA","kid":"rsa1","alg":"RS256","e":"AQ","n":")" + std::string(kJwksRsaN) + "\"}"), "too small"},
      {"tiny modulus", kTokRs256, jwks(R"({"kty":"RSA","kid":"rsa1","alg":"RS256","e":"AQAB","n":"AQAB"})"), "too small"},
      {"huge modulus", kTokRs256, jwks(R"({"kty":"RSA","kid":"rsa1","alg":"RS256","e":"AQAB","n":")" + std::string(20000, 'A') + "\"}"), "too large"},
      {"non-base64 modulus", kTokRs256, jwks(R"({"kty":"RSA","kid":"rsa1","alg":"RS256","e":"AQAB","n":"#$%^"})"), "encoding"},
      {"bad Ed25519 x", kTokEdDSA, jwks(R"({"kty":"OKP","crv":"Ed25519","kid":"ed1","alg":"EdDSA","x":"AQAB"})"), "key length"},
      {"expired", kTokRs256Expired, rs, "expired"},
      {"not yet valid", kTokRs256Nbf, rs, "not valid yet"},
      {"exp passed, no leeway here", kTokRs256, rs, "expired", kJwtNow + 601},
      {"kid of wrong type", kTokRs256, jwks(R"({"kid":7,"alg":"RS256"})"), "invalid JSON Web Key Set"},
      {"key not an object", kTokRs256, jwks("null"), "invalid JSON Web Key Set"},
      {"keys not a list", kTokRs256, R"({"keys":{}})", "invalid JSON Web Key Set"},
      {"set not an object", kTokRs256, "[]", "invalid JSON Web Key Set"},
      {"set not JSON", kTokRs256, "<html>", "invalid JSON Web Key Set"},
      {"not a JWT", "abc", rs, "malformed"},
      {"four segments", std::string(kTokRs256) + ".x", rs, "malformed"},
  };
  for (const auto& c : cases) {
    std::string m = check(c.token, c.set, c.now);
    EXPECT_NE(m, "") << c.name;
    EXPECT_NE(m.find(c.error), std::string::npos) << c.name << ": " << m;
  }
}

// The fetch: one GET of the URL, status >= 400 and oversize bodies refused, no kid no request.
class OneShot : public net::HttpClient {
 public:
  net::OutResponse fetch(const net::OutRequest& r) override {
    urls.push_back(r.url);
    EXPECT_EQ(r.method, "GET");
    return answer;
  }
  net::OutResponse answer;
  std::vector<std::string> urls;
};

TEST(Jwks, FetchesTheKeySet) {
  OneShot http;
  http.answer.status = 200;
  http.answer.body = jwks(rsa_jwk("rsa1", "RS256"));
  EXPECT_NO_THROW(oauth2::validate_token_signature(http, kTokRs256, "http://127.0.0.1:9/jwks", kJwtNow));
  ASSERT_EQ(http.urls.size(), 1u);
  EXPECT_EQ(http.urls[0], "http://127.0.0.1:9/jwks");
  EXPECT_THROW(oauth2::validate_token_signature(http, kTokRs256NoKid, "http://127.0.0.1:9/jwks", kJwtNow),
               oauth2::UserError);
  EXPECT_EQ(http.urls.size(), 1u);
  EXPECT_THROW(oauth2::validate_token_signature(http, kTokRs256, "file:///etc/passwd", kJwtNow), oauth2::UserError);
  http.answer.status = 404;
  EXPECT_THROW(oauth2::validate_token_signature(http, kTokRs256, "http://127.0.0.1:9/jwks", kJwtNow), oauth2::UserError);
  http.answer.status = 200;
  http.answer.body = jwks(rsa_jwk("rsa1", "RS256")) + std::string(oauth2::kMaxJwksBytes, ' ');
  EXPECT_THROW(oauth2::validate_token_signature(http, kTokRs256, "http://127.0.0.1:9/jwks", kJwtNow), oauth2::UserError);
}

TEST(OAuth2RedirectNames, StoredOnceForAMinute) {
  oauth2::RedirectNames names;
  const int64_t now = 1000;
  EXPECT_TRUE(names.put_from_user_json("c1", R"({"name":{"firstName":"Ann","lastName":"Lee"},"email":"a@x"})", now));
  EXPECT_EQ(names.take("c1", now + 59).value_or("-"), "Ann Lee");
  EXPECT_FALSE(names.take("c1", now + 59));  // taken once
  EXPECT_TRUE(names.put_from_user_json("c2", R"({"NAME":{"firstname":"","lastName":"  Solo "}})", now));
  EXPECT_EQ(names.take("c2", now).value_or("-"), "Solo");
  EXPECT_TRUE(names.put_from_user_json("c3", R"({"name":{"firstName":"Old"}})", now));
  EXPECT_FALSE(names.take("c3", now + 60));  // expired
  EXPECT_TRUE(names.put_from_user_json("c4", R"({"name":{"firstName":")" + std::string(300, 'x') + R"("}})", now));
  EXPECT_EQ(names.take("c4", now).value_or("").size(), 150u);
  // Nothing stored: empty name, wrong types, not JSON, an over-long code.
  EXPECT_FALSE(names.put_from_user_json("c5", R"({"name":{"firstName":" ","lastName":""}})", now));
  EXPECT_FALSE(names.put_from_user_json("c5", R"({"name":{"firstName":1}})", now));
  EXPECT_FALSE(names.put_from_user_json("c5", R"({"name":"Ann"})", now));
  EXPECT_FALSE(names.put_from_user_json("c5", R"([1])", now));
  EXPECT_FALSE(names.put_from_user_json("c5", "{", now));
  EXPECT_FALSE(names.put_from_user_json(std::string(2000, 'c'), R"({"name":{"firstName":"A"}})", now));
  EXPECT_FALSE(names.take("c5", now));
}

}  // namespace
