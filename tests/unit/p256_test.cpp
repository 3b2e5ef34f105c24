// ECDSA P-256/SHA-256 (crypto/p256.h) and the PEM/DER key reader (crypto/ec_private_key.h):
// RFC 6979 A.2.5 known answers, node:crypto-made keys and signatures (p256_vectors.inc), round
// trips, hostile keys and signatures, and the ES256 JWT helper.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/auth/jwt.h"
#include "core/crypto/base64.h"
#include "core/crypto/ec_private_key.h"
#include "core/crypto/p256.h"
#include "core/crypto/sha256.h"

using namespace larder;
namespace p256 = crypto::p256;

namespace {

#include "p256_vectors.inc"

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

// RFC 6979 A.2.5: the P-256 key and its SHA-256 signatures of "sample" and "test".
constexpr std::string_view kRfcD = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
constexpr std::string_view kRfcPub =
    "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
    "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
constexpr std::string_view kN = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
constexpr std::string_view kNMinus1 = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550";

// The same key as PKCS#8 and SEC1 PEM (node:crypto export).
constexpr std::string_view kRfcPkcs8 =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgya+p2EW6dRZrXCFX\n"
    "Z7HWk05Qw9s26JsSe4piKxIPZyGhRANCAARg/tS6JVqdMclh63TGNW1owEm4kjth\n"
    "+mzmaWIuYPKftnkD/hAIuLyZpBrp6VYovGTy8bIMLX6fUXejwpTURiKZ\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kRfcPkcs8Der =
    "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420c9afa9d845ba75166b5c21"
    "5767b1d6934e50c3db36e89b127b8a622b120f6721a1440342000460fed4ba255a9d31c961eb74c6356d68c049b892"
    "3b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
constexpr std::string_view kRfcSec1 =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIMmvqdhFunUWa1whV2ex1pNOUMPbNuibEnuKYisSD2choAoGCCqGSM49\n"
    "AwEHoUQDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Z5A/4QCLi8\n"
    "maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==\n"
    "-----END EC PRIVATE KEY-----\n";

std::string pem(std::string_view label, std::string_view der) {
  return "-----BEGIN " + std::string(label) + "-----\n" + crypto::base64_encode(der) + "\n-----END " +
         std::string(label) + "-----\n";
}

struct Rfc6979Case {
  std::string_view message, signature;
};

TEST(P256, Rfc6979KnownAnswers) {
  const Rfc6979Case cases[] = {
      {"sample",
       "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
       "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"},
      {"test",
       "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
       "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"},
  };
  std::string d = unhex(kRfcD);
  EXPECT_EQ(crypto::hex(p256::public_key(d).value()), kRfcPub);
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.message));
    auto sig = p256::sign(d, c.message);
    ASSERT_TRUE(sig);
    EXPECT_EQ(crypto::hex(*sig), c.signature);
    EXPECT_TRUE(p256::verify(unhex(kRfcPub), c.message, *sig));
  }
}

TEST(P256, NodeKeysAndSignatures) {
  for (const auto& k : kNodeKeys) {
    SCOPED_TRACE(std::string(k.message));
    std::string d = unhex(k.d), pub = unhex(k.pub);
    EXPECT_EQ(crypto::hex(p256::public_key(d).value()), k.pub);
    // OpenSSL's randomized signature verifies; Larder's deterministic one is different but valid.
    EXPECT_TRUE(p256::verify(pub, k.message, unhex(k.signature)));
    EXPECT_FALSE(p256::verify(pub, std::string(k.message) + ".", unhex(k.signature)));
    auto mine = p256::sign(d, k.message);
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine->size(), p256::kSignatureSize);
    EXPECT_TRUE(p256::verify(pub, k.message, *mine));
    EXPECT_EQ(p256::sign(d, k.message), mine);  // deterministic
    // Both PEM forms give the same scalar.
    EXPECT_EQ(crypto::hex(crypto::parse_p256_private_key_pem(k.pkcs8).scalar), k.d);
    EXPECT_EQ(crypto::hex(crypto::parse_p256_private_key_pem(k.sec1).scalar), k.d);
  }
}

TEST(P256, RoundTripsAcrossKeys) {
  // Small, large and edge scalars: 1, 2, n-1, and a few hashes.
  std::string keys[] = {std::string(31, '\0') + '\x01', std::string(31, '\0') + '\x02', unhex(kNMinus1),
                        crypto::sha256("a"), crypto::sha256("b"), crypto::sha256("c")};
  const std::string_view messages[] = {"", "x", "The quick brown fox", std::string_view("\0\xff", 2)};
  for (const auto& d : keys) {
    auto pub = p256::public_key(d);
    ASSERT_TRUE(pub);
    for (auto m : messages) {
      auto sig = p256::sign(d, m);
      ASSERT_TRUE(sig);
      EXPECT_TRUE(p256::verify(*pub, m, *sig));
      std::string flipped = *sig;
      flipped[5] = static_cast<char>(flipped[5] ^ 1);
      EXPECT_FALSE(p256::verify(*pub, m, flipped));
    }
  }
  // The generator itself is 1·G.
  EXPECT_EQ(crypto::hex(p256::public_key(keys[0]).value()),
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
}

TEST(P256, RejectsInvalidPrivateScalars) {
  EXPECT_FALSE(p256::valid_private_key(std::string(32, '\0')));
  EXPECT_FALSE(p256::valid_private_key(unhex(kN)));
  EXPECT_FALSE(p256::valid_private_key(std::string(32, '\xff')));
  EXPECT_FALSE(p256::valid_private_key(std::string(31, '\x01')));
  EXPECT_FALSE(p256::sign(std::string(32, '\0'), "m"));
  EXPECT_FALSE(p256::sign(unhex(kN), "m"));
  EXPECT_FALSE(p256::public_key(std::string(33, '\x01')));
  EXPECT_FALSE(p256::sign_digest(unhex(kRfcD), "short"));
  EXPECT_TRUE(p256::valid_private_key(unhex(kNMinus1)));
}

TEST(P256, VerifyRejectsHostileSignaturesAndKeys) {
  std::string pub = unhex(kRfcPub);
  std::string sig = p256::sign(unhex(kRfcD), "sample").value();
  std::string r = sig.substr(0, 32), s = sig.substr(32);
  std::string zero(32, '\0'), n = unhex(kN);
  EXPECT_TRUE(p256::verify(pub, "sample", r + s));
  EXPECT_FALSE(p256::verify(pub, "sample", zero + s));
  EXPECT_FALSE(p256::verify(pub, "sample", r + zero));
  EXPECT_FALSE(p256::verify(pub, "sample", n + s));
  EXPECT_FALSE(p256::verify(pub, "sample", r + n));
  EXPECT_FALSE(p256::verify(pub, "sample", std::string(32, '\xff') + s));
  EXPECT_FALSE(p256::verify(pub, "sample", sig.substr(0, 63)));
  EXPECT_FALSE(p256::verify(pub, "sample", sig + '\0'));
  // Off-curve point, compressed or wrong-prefix encodings, coordinates >= p, the wrong key.
  std::string off = pub;
  off[64] = static_cast<char>(off[64] ^ 1);
  EXPECT_FALSE(p256::verify(off, "sample", sig));
  std::string prefix = pub;
  prefix[0] = '\x03';
  EXPECT_FALSE(p256::verify(prefix, "sample", sig));
  EXPECT_FALSE(p256::verify(pub.substr(0, 33), "sample", sig));
  EXPECT_FALSE(p256::verify(std::string(1, '\x04') + std::string(64, '\xff'), "sample", sig));
  EXPECT_FALSE(p256::verify(std::string(1, '\x04') + std::string(64, '\0'), "sample", sig));
  EXPECT_FALSE(p256::verify(unhex(kNodeKeys[0].pub), "sample", sig));
}

TEST(EcPrivateKey, AcceptsPkcs8AndSec1) {
  EXPECT_EQ(crypto::hex(crypto::parse_p256_private_key_pem(kRfcPkcs8).scalar), kRfcD);
  EXPECT_EQ(crypto::hex(crypto::parse_p256_private_key_pem(kRfcSec1).scalar), kRfcD);
  // Surrounding whitespace, CRLF line ends, one-line base64.
  std::string crlf;
  for (char c : kRfcPkcs8) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  EXPECT_TRUE(crypto::parse_p256_private_key_pem("  \n" + crlf + "\n\n").ok());
  EXPECT_TRUE(crypto::parse_p256_private_key_pem(pem("PRIVATE KEY", unhex(kRfcPkcs8Der))).ok());
  // Like golang-jwt the DER decides, not the label: SEC1 DER under "PRIVATE KEY" parses.
  auto sec1_der = crypto::base64_decode(
      "MHcCAQEEIMmvqdhFunUWa1whV2ex1pNOUMPbNuibEnuKYisSD2choAoGCCqGSM49AwEHoUQDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDy"
      "n7Z5A/4QCLi8maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==");
  ASSERT_TRUE(sec1_der);
  EXPECT_TRUE(crypto::parse_p256_private_key_pem(pem("PRIVATE KEY", *sec1_der)).ok());
  // SEC1 inside PKCS#8 without the optional public key.
  std::string bare =
      unhex("3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420") + unhex(kRfcD);
  EXPECT_EQ(crypto::hex(crypto::parse_p256_private_key_der(bare).scalar), kRfcD);
}

TEST(EcPrivateKey, RejectsHostileKeys) {
  std::string der = unhex(kRfcPkcs8Der);
  auto rejects = [](std::string_view text) {
    auto r = crypto::parse_p256_private_key_pem(text);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.scalar.empty());
    EXPECT_FALSE(r.error.empty());
    return r.error;
  };
  // Other algorithms and curves.
  EXPECT_EQ(rejects(kRsaPkcs8), "key is not a valid ECDSA private key");
  rejects(kRsaPkcs1);
  EXPECT_EQ(rejects(kEd25519Pkcs8), "key is not a valid ECDSA private key");
  EXPECT_EQ(rejects(kP384Pkcs8), "x509: unsupported elliptic curve");
  EXPECT_EQ(rejects(kK256Pkcs8), "x509: unsupported elliptic curve");
  rejects(kK256Sec1);
  // Not PEM, junk around or inside the block, an empty block, other labels.
  EXPECT_EQ(rejects(""), "invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key");
  rejects(crypto::base64_encode(der));
  rejects("junk\n" + std::string(kRfcPkcs8));
  rejects(std::string(kRfcPkcs8) + "junk");
  rejects(pem("PRIVATE KEY", der).insert(40, "!"));
  rejects("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----");
  rejects(pem("PUBLIC KEY", der));
  rejects(pem("RSA PRIVATE KEY", der));
  rejects(std::string(kRfcPkcs8) + std::string(kRfcPkcs8));
  // Truncated DER and trailing bytes.
  for (size_t cut : {size_t(1), size_t(2), size_t(10), size_t(40), der.size() - 1}) rejects(pem("PRIVATE KEY", der.substr(0, cut)));
  rejects(pem("PRIVATE KEY", der + '\0'));
  // The scalar out of range: 0 and n, with and without the (then inconsistent) public key.
  std::string prefix = unhex("3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420");
  EXPECT_EQ(crypto::parse_p256_private_key_der(prefix + std::string(32, '\0')).error,
            "x509: invalid elliptic curve private key value");
  EXPECT_FALSE(crypto::parse_p256_private_key_der(prefix + unhex(kN)).ok());
  std::string zeroed = der;
  zeroed.replace(zeroed.find(unhex(kRfcD)), 32, std::string(32, '\0'));
  rejects(pem("PRIVATE KEY", zeroed));
  // A public key that is not d·G.
  std::string wrong_pub = der;
  wrong_pub[wrong_pub.size() - 1] = static_cast<char>(wrong_pub.back() ^ 1);
  rejects(pem("PRIVATE KEY", wrong_pub));
  // Wrong curve OID inside otherwise valid structure (prime256v1 -> ...3.1.8).
  std::string curve = der;
  curve[curve.find(unhex("2a8648ce3d030107")) + 7] = '\x08';
  EXPECT_EQ(rejects(pem("PRIVATE KEY", curve)), "x509: unsupported elliptic curve");
  // Non-minimal length encoding (0x81 0x41 for 65) and an indefinite length.
  std::string bare = prefix + unhex(kRfcD);
  ASSERT_TRUE(crypto::parse_p256_private_key_der(bare).ok());
  EXPECT_FALSE(crypto::parse_p256_private_key_der(unhex("308141") + bare.substr(2)).ok());
  EXPECT_FALSE(crypto::parse_p256_private_key_der(unhex("3080") + der.substr(3) + std::string(2, '\0')).ok());
  // Wrong versions.
  std::string v = der;
  v[5] = '\x05';
  rejects(pem("PRIVATE KEY", v));
}

TEST(Jwt, SignEs256) {
  json::Value header(json::Object{{"alg", "ES256"}, {"kid", "ABC123DEFG"}, {"typ", "JWT"}});
  json::Value claims(json::Object{{"iss", "TEAM"}, {"aud", json::Array{json::Value("x")}}, {"exp", 5}});
  std::string token = jwt::sign_es256(header, claims, unhex(kRfcD));
  auto parsed = jwt::parse_unverified(token);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(json::dump(parsed->header), R"({"alg":"ES256","kid":"ABC123DEFG","typ":"JWT"})");
  EXPECT_EQ(json::dump(parsed->claims), R"({"iss":"TEAM","aud":["x"],"exp":5})");
  EXPECT_TRUE(p256::verify(unhex(kRfcPub), parsed->signing_input, parsed->signature));
  EXPECT_THROW(jwt::sign_es256(header, claims, std::string(32, '\0')), std::invalid_argument);
  EXPECT_THROW(jwt::sign_es256(json::Value("x"), claims, unhex(kRfcD)), std::invalid_argument);
}

}  // namespace
