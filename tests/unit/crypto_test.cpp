// The crypto library against published test vectors (FIPS 180-2, RFC 4231, RFC 1321, RFC 4648,
// OpenBSD/jBCrypt and OpenWall bcrypt) and against real PocketBase data.
#include <gtest/gtest.h>

#include <time.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto/base64.h"
#include "core/crypto/bcrypt.h"
#include "core/crypto/compare.h"
#include "core/crypto/hmac.h"
#include "core/crypto/md5.h"
#include "core/crypto/random.h"
#include "core/crypto/sha256.h"

using namespace larder::crypto;

namespace {

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

// Deterministic non-text input for the block-boundary cases (byte i = 7i + 3).
std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7 + 3) & 0xff);
  return s;
}

struct DigestCase {
  std::string input;
  const char* hex;
};

// ---- SHA-256 ----------------------------------------------------------------------------------

TEST(Sha256, Fips180Vectors) {
  const DigestCase cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
      {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const auto& c : cases) {
    std::string digest = sha256(c.input);
    EXPECT_EQ(digest.size(), 32u);
    EXPECT_EQ(hex(digest), c.hex) << "input length " << c.input.size();
  }
}

TEST(Sha256, PaddingBoundaries) {
  // Lengths around the 55/56/64-byte padding edges; expected values from Python's hashlib.
  const std::pair<size_t, const char*> cases[] = {
      {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
      {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
      {57, "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73"},
      {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
      {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
      {65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
      {119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
      {120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
      {127, "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07"},
      {128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"},
      {129, "307f8fc2c1622b92762e818d39a185d4d667ad49a4b07ceae1f4afa008a93ec4"},
      {1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"},
  };
  for (const auto& [n, want] : cases) EXPECT_EQ(hex(sha256(pattern(n))), want) << n;
}

TEST(Sha256, StreamingMatchesOneShotForAnyChunking) {
  const std::string msg = pattern(1000);
  const std::string want = sha256(msg);
  Sha256 h;
  for (size_t chunk : {1u, 3u, 55u, 63u, 64u, 65u, 127u, 999u}) {
    for (size_t i = 0; i < msg.size(); i += chunk) h.update(std::string_view(msg).substr(i, chunk));
    EXPECT_EQ(h.finish(), want) << "chunk " << chunk;  // finish() also resets for the next round
  }
  h.update("");
  EXPECT_EQ(hex(h.finish()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, HexIsLowercaseTwoDigitsPerByte) {
  EXPECT_EQ(hex(""), "");
  EXPECT_EQ(hex(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
}

// ---- HMAC-SHA256 (RFC 4231 §4.2-4.8) ----------------------------------------------------------

TEST(HmacSha256, Rfc4231TestCases) {
  struct Case {
    std::string key, data;
    const char* mac;
    size_t truncate_to = 32;
  };
  const Case cases[] = {
      {std::string(20, '\x0b'), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {std::string(20, '\x0c'), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b", 16},
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. The key "
       "needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  int n = 1;
  for (const auto& c : cases) {
    std::string mac = hmac_sha256(c.key, c.data);
    ASSERT_EQ(mac.size(), 32u);
    EXPECT_EQ(hex(mac.substr(0, c.truncate_to)), c.mac) << "RFC 4231 test case " << n;
    ++n;
  }
}

TEST(HmacSha256, BlockSizedKeyIsUsedAsIs) {
  // A 64-byte key is not hashed, a 65-byte one is: the two must differ from each other.
  std::string k64(64, 'k'), k65(65, 'k');
  EXPECT_NE(hmac_sha256(k64, "m"), hmac_sha256(k65, "m"));
  EXPECT_EQ(hmac_sha256(k65, "m"), hmac_sha256(sha256(k65), "m"));
}

// ---- MD5 (RFC 1321 appendix A.5) ---------------------------------------------------------------

TEST(Md5, Rfc1321TestSuite) {
  const DigestCase cases[] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const auto& c : cases) {
    std::string digest = md5(c.input);
    EXPECT_EQ(digest.size(), 16u);
    EXPECT_EQ(hex(digest), c.hex) << c.input;
  }
}

TEST(Md5, PaddingBoundaries) {
  // Expected values from Python's hashlib.
  const std::pair<size_t, const char*> cases[] = {
      {55, "52c0e574e1198de5fe3f8f11440dcb1b"},  {56, "46c9907fc908ee68b1e7b8e71286a518"},
      {57, "1c805dd236c35cab25fcb1bc73802c51"},  {63, "a62f6d59e837867693f042f5b8f5a236"},
      {64, "7160b8fb5e9e4023d549c3971fbaeead"},  {65, "70bd662e7aefbda85a0f7244167b7897"},
      {119, "e84905d4214f4d1ca56c2cdcc152b143"}, {120, "e3eb5a6c8669ea01a8c185b8abc8a5dc"},
      {127, "acce2474d6cc8302120d09c818d17ef7"}, {128, "10b2da1a82f16d99a81a7203fe9f02cb"},
      {129, "03fefbbcebe2959cf2270241aafe0250"}, {1000, "10046f077f2082ac19676b8079f1cb1a"},
  };
  for (const auto& [n, want] : cases) EXPECT_EQ(hex(md5(pattern(n))), want) << n;
}

// ---- Base64 ------------------------------------------------------------------------------------

TEST(Base64, Rfc4648Section10Vectors) {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"", "", ""},
      {"f", "Zg==", "Zg"},
      {"fo", "Zm8=", "Zm8"},
      {"foo", "Zm9v", "Zm9v"},
      {"foob", "Zm9vYg==", "Zm9vYg"},
      {"fooba", "Zm9vYmE=", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
  };
  for (const auto& [plain, std_form, url_form] : cases) {
    EXPECT_EQ(base64_encode(plain), std_form);
    EXPECT_EQ(base64url_encode(plain), url_form);
    EXPECT_EQ(base64_decode(std_form), std::optional<std::string>(plain)) << std_form;
    EXPECT_EQ(base64url_decode(url_form), std::optional<std::string>(plain)) << url_form;
  }
}

TEST(Base64, AlphabetsDifferOnlyInTheLastTwoSymbols) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(base64_encode(bytes), "+/+/");
  EXPECT_EQ(base64url_encode(bytes), "-_-_");
  EXPECT_EQ(base64url_decode("-_-_"), bytes);
  EXPECT_EQ(base64_decode("+/+/"), bytes);
}

TEST(Base64, RoundTripsEveryByteValueAndLength) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= all.size(); n += 7) {
    std::string s = all.substr(0, n);
    EXPECT_EQ(base64_decode(base64_encode(s)), s);
    EXPECT_EQ(base64url_decode(base64url_encode(s)), s);
  }
}

// Outcomes checked against Go's base64.StdEncoding / RawURLEncoding (go1.26), except the
// line-break rows marked "Go skips", where we deliberately reject.
struct DecodeCase {
  const char* in;
  std::optional<std::string> out;
};

TEST(Base64, StandardDecodingAcceptsAndRejectsLikeGo) {
  const DecodeCase cases[] = {
      {"Zh==", "f"},                // non-zero unused bits: accepted, as Go's non-strict decoding
      {"Zm9=", "fo"},               // same, two-byte tail
      {"////", "\xff\xff\xff"},
      {"Zg", std::nullopt},         // padding required
      {"Zg=", std::nullopt},
      {"Zg===", std::nullopt},
      {"Z===", std::nullopt},
      {"====", std::nullopt},
      {"Zm9v=", std::nullopt},
      {"Zm8===", std::nullopt},
      {"Zg=a", std::nullopt},       // data after padding
      {"Z=g=", std::nullopt},
      {"Zm9vYg==Zm9v", std::nullopt},
      {"Zm9vYmFy====", std::nullopt},
      {"Zm 9v", std::nullopt},
      {"-_8=", std::nullopt},       // URL alphabet
      {"Zm9v\nYg==", std::nullopt}, // Go skips line breaks
      {"Zm9vYg==\r\n", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(base64_decode(c.in), c.out) << c.in;
  EXPECT_EQ(base64_decode(std::string_view("Zm9v\0\0\0\0", 8)), std::nullopt);
}

TEST(Base64, UrlDecodingAcceptsAndRejectsLikeGoRawUrlEncoding) {
  const DecodeCase cases[] = {
      {"Zh", "f"},             // non-zero unused bits: accepted
      {"Zm9", "fo"},
      {"-_8", "\xfb\xff"},
      {"Zg==", std::nullopt},  // no padding in the raw form
      {"Zm8=", std::nullopt},
      {"Zm9v=", std::nullopt},
      {"Z", std::nullopt},     // a single leftover character encodes no byte
      {"Zm9vY", std::nullopt},
      {"+/8", std::nullopt},   // standard alphabet
      {"Zg.", std::nullopt},
      {" Zg", std::nullopt},
      {"Zm9v\n", std::nullopt},  // Go skips line breaks
  };
  for (const auto& c : cases) EXPECT_EQ(base64url_decode(c.in), c.out) << c.in;
  EXPECT_EQ(base64url_decode(std::string_view("Zg\0", 3)), std::nullopt);
}

// ---- Constant-time comparison -----------------------------------------------------------------

TEST(CryptoCompare, ConstantTimeEquals) {
  const std::tuple<std::string, std::string, bool> cases[] = {
      {"", "", true},
      {"a", "a", true},
      {"abc", "abd", false},
      {"abc", "ab", false},
      {"ab", "abc", false},
      {"", "a", false},
      {std::string("a\0b", 3), std::string("a\0b", 3), true},
      {std::string("a\0b", 3), std::string("a\0c", 3), false},
      {std::string(32, '\xff'), std::string(31, '\xff') + '\xfe', false},
  };
  for (const auto& [a, b, eq] : cases) EXPECT_EQ(constant_time_equals(a, b), eq) << a << " vs " << b;
}

// ---- Random ------------------------------------------------------------------------------------

bool only_from(const std::string& s, std::string_view alphabet) {
  return s.find_first_not_of(alphabet) == std::string::npos;
}

TEST(CryptoRandom, HelpersUseTheirAlphabetsAndLengths) {
  for (size_t n : {0u, 1u, 6u, 15u, 50u, 300u}) {
    std::string a = random_alnum(n), l = random_lower_alnum(n), d = random_digits(n);
    EXPECT_EQ(a.size(), n);
    EXPECT_EQ(l.size(), n);
    EXPECT_EQ(d.size(), n);
    EXPECT_TRUE(only_from(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")) << a;
    EXPECT_TRUE(only_from(l, "abcdefghijklmnopqrstuvwxyz0123456789")) << l;
    EXPECT_TRUE(only_from(d, "0123456789")) << d;
  }
  EXPECT_EQ(random_bytes(0), "");
  EXPECT_EQ(random_bytes(37).size(), 37u);
}

TEST(CryptoRandom, RejectsBadAlphabets) {
  EXPECT_THROW(random_string(5, ""), std::invalid_argument);
  EXPECT_THROW(random_string(5, std::string(257, 'x')), std::invalid_argument);
  EXPECT_EQ(random_string(4, "z"), "zzzz");
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(random_string(100, all).size(), 100u);
}

TEST(CryptoRandom, DrawsDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) EXPECT_TRUE(seen.insert(random_lower_alnum(15)).second);
}

TEST(CryptoRandom, IsUniformOverAnAlphabetThatDoesNotDivide256) {
  // 36 symbols: plain `byte % 36` would make the first 4 symbols ~14% likelier than the rest.
  // 360,000 draws, 10,000 expected per symbol (sd ~98): biased output would land near 11,100
  // for the first four; the ±600 band is > 6 sd, so this never flakes on a fair source.
  std::map<char, int> counts;
  std::string s = random_lower_alnum(360000);
  for (char c : s) ++counts[c];
  ASSERT_EQ(counts.size(), 36u);
  for (const auto& [c, n] : counts) {
    EXPECT_GT(n, 9400) << c;
    EXPECT_LT(n, 10600) << c;
  }
}

TEST(CryptoRandom, IsSafeToCallFromManyThreads) {
  std::mutex mu;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        std::string s = random_alnum(20);
        std::lock_guard<std::mutex> lock(mu);
        seen.insert(std::move(s));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(seen.size(), 8u * 500u);
}

// ---- bcrypt ------------------------------------------------------------------------------------

struct BcryptCase {
  std::string password;
  const char* hash;
};

TEST(Bcrypt, OpenBsdKnownAnswers) {
  // The OpenBSD regression / jBCrypt vectors ($2a$, costs 6-12) plus OpenWall crypt_blowfish's
  // 7-bit ones (cost 5), including the empty password.
  const BcryptCase cases[] = {
      {"", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."},
      {"", "$2a$08$HqWuK6/Ng6sg9gQzbLrgb.Tl.ZHfXLhvt/SgVyWhQqgqcZ7ZuUtye"},
      {"", "$2a$10$k1wbIrmNyFAPwPVPSVa/zecw2BCEnBwVS2GbrmgzxFUOqW9dk4TCW"},
      {"", "$2a$12$k42ZFHFWqBp3vWli.nIn8uYyIkbvYRvodzbfbK18SSsY.CsIQPlxO"},
      {"a", "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe"},
      {"a", "$2a$08$cfcvVd2aQ8CMvoMpP2EBfeodLEkkFJ9umNEfPD18.hUF62qqlC/V."},
      {"a", "$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u"},
      {"abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"},
      {"abc", "$2a$08$Ro0CUfOqk6cXEKf3dyaM7OhSCvnwM9s4wIX9JeLapehKK5YdLxKcm"},
      {"abc", "$2a$10$WvvTPHKwdBJ3uk0Z37EMR.hLA2W6N9AEBhEgrAOljy2Ae5MtaSIUi"},
      {"abcdefghijklmnopqrstuvwxyz", "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC"},
      {"abcdefghijklmnopqrstuvwxyz", "$2a$08$aTsUwsyowQuzRrDqFflhgekJ8d9/7Z3GV3UcgvzQW3J5zMyrTvlz."},
      {"abcdefghijklmnopqrstuvwxyz", "$2a$10$fVH8e28OQRj9tqiDXs1e1uxpsjN0c7II7YPKXua2NAKYvM6iQk7dq"},
      {"~!@#$%^&*()      ~!@#$%^&*()PNBFRD", "$2a$06$fPIsBO8qRqkjj273rfaOI.HtSV9jLDpTbZn782DC6/t7qT67P6FfO"},
      {"~!@#$%^&*()      ~!@#$%^&*()PNBFRD", "$2a$08$Eq2r4G/76Wv39MzSX262huzPz612MZiYHVUJe/OcOql2jo4.9UxTW"},
      {"~!@#$%^&*()      ~!@#$%^&*()PNBFRD", "$2a$10$LgfYWkbzEvQ4JakH7rOvHe0y8pHKF9OaFgwUZ2q7W2FFZmZzJYlfS"},
      {"U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"},
      {"U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"},
      {"U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"},
      {"", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(bcrypt_verify(c.password, c.hash)) << c.password << " " << c.hash;
    EXPECT_FALSE(bcrypt_verify(c.password + "x", c.hash)) << c.hash;
  }
}

TEST(Bcrypt, Cost12KnownAnswer) {
  EXPECT_TRUE(bcrypt_verify("abc", "$2a$12$EXRkfkdmXn2gzds2SSitu.MW9.gAVqa9eLS1//RYtYCmB1eLHg.9q"));
}

TEST(Bcrypt, EightBitPasswordsFollowGoAndOpenBsd) {
  // OpenWall's sign-extension vectors. $2b$ and $2y$ are the correct algorithm everywhere. For
  // $2a$, crypt_blowfish (and libxcrypt) mangle hashes of affected passwords ("safety"), while Go
  // and OpenBSD compute $2a$ exactly like $2b$ — PocketBase is Go, so we do too. Outcomes checked
  // with golang.org/x/crypto/bcrypt v0.55.0.
  const std::string ffa3 = "\xff\xff\xa3";
  const std::string long8 = "\xff\xa3" "34" "\xff\xff\xff\xa3" "345";
  const std::tuple<std::string, const char*, bool> cases[] = {
      {ffa3, "$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", true},
      {ffa3, "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", true},
      {ffa3, "$2a$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", true},   // Go's $2a$
      {ffa3, "$2a$05$/OK.fbVrR/bpIqNJ5ianF.nqd1wy.pTMdcvrRWxyiGL2eMz.2a85.", false},  // crypt_blowfish's $2a$
      {ffa3, "$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", false},  // buggy variant: refused
      {"\xa3", "$2a$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq", true},
      {"\xa3", "$2b$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq", true},
      {"\xa3", "$2y$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq", true},
      {"\xff\xa3" "345", "$2a$05$/OK.fbVrR/bpIqNJ5ianF.nRht2l/HRhr6zmCp9vYUvvsqynflf9e", true},
      {"\xff\xa3" "345", "$2b$05$/OK.fbVrR/bpIqNJ5ianF.nRht2l/HRhr6zmCp9vYUvvsqynflf9e", true},
      {"\xa3" "ab", "$2a$05$/OK.fbVrR/bpIqNJ5ianF.6IflQkJytoRVc1yuaNtHfiuq.FRlSIS", true},
      {"\xa3" "ab", "$2y$05$/OK.fbVrR/bpIqNJ5ianF.6IflQkJytoRVc1yuaNtHfiuq.FRlSIS", true},
      {long8, "$2y$05$/OK.fbVrR/bpIqNJ5ianF.o./n25XVfn6oAPaUvHe.Csk4zRfsYPi", true},
      {long8, "$2a$05$/OK.fbVrR/bpIqNJ5ianF.o./n25XVfn6oAPaUvHe.Csk4zRfsYPi", true},   // Go's $2a$
      {long8, "$2a$05$/OK.fbVrR/bpIqNJ5ianF.ZC1JEJ8Z4gPfpe1JOr/oyPXTWl9EFd.", false},  // crypt_blowfish's $2a$
  };
  for (const auto& [password, hash, want] : cases) EXPECT_EQ(bcrypt_verify(password, hash), want) << hash;
}

TEST(Bcrypt, OnlyTheFirst72BytesCount) {
  const BcryptCase cases[] = {
      {"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored",
       "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui"},
      {std::string(72, '\xaa') + "chars after 72 are ignored as usual",
       "$2a$05$/OK.fbVrR/bpIqNJ5ianF.swQOIzjOiJ9GHEPuhEkvqrUyvWhEMx6"},
      {[] {
         std::string s;
         for (int i = 0; i < 36; ++i) s += "\xaa\x55";
         return s + "chars after 72 are ignored as usual";
       }(),
       "$2a$05$/OK.fbVrR/bpIqNJ5ianF.R9xrDjiycxMbQE2bp.vgqlYpW5wx2yy"},
      {[] {
         std::string s;
         for (int i = 0; i < 24; ++i) s += "\x55\xaa\xff";
         return s + "chars after 72 are ignored as usual";
       }(),
       "$2a$05$/OK.fbVrR/bpIqNJ5ianF.9tQZzcJfm3uj2NvJ/n5xkhpqLrMpWCe"},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(bcrypt_verify(c.password, c.hash)) << c.hash;
    EXPECT_TRUE(bcrypt_verify(c.password.substr(0, 72), c.hash)) << c.hash;
    EXPECT_FALSE(bcrypt_verify(c.password.substr(0, 71), c.hash)) << c.hash;
  }
  // A password over 300 bytes still verifies on its first 72 (no 8-bit length wrap-around).
  std::string long_password(300, 'p');
  std::string hash = bcrypt_hash(long_password.substr(0, 72), 4);
  EXPECT_TRUE(bcrypt_verify(long_password, hash));
}

TEST(Bcrypt, HashingRejectsPasswordsOver72BytesLikeGo) {
  EXPECT_THROW(bcrypt_hash(std::string(73, 'a'), 4), std::invalid_argument);
  EXPECT_THROW(bcrypt_hash(std::string(1000, 'a'), 4), std::invalid_argument);
  EXPECT_TRUE(bcrypt_verify(std::string(72, 'a'), bcrypt_hash(std::string(72, 'a'), 4)));
}

TEST(Bcrypt, HashFormatAndCostPolicy) {
  std::string h = bcrypt_hash("secret", 4);
  ASSERT_EQ(h.size(), 60u);
  EXPECT_EQ(h.substr(0, 7), "$2a$04$");
  EXPECT_TRUE(only_from(h.substr(7), "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"));
  EXPECT_TRUE(bcrypt_verify("secret", h));
  EXPECT_FALSE(bcrypt_verify("Secret", h));
  EXPECT_FALSE(bcrypt_verify("", h));
  EXPECT_NE(bcrypt_hash("secret", 4), h);  // fresh salt every time

  // Go: a cost below 4 silently becomes the default 10; above 31 is an error.
  EXPECT_EQ(bcrypt_hash("x", 0).substr(0, 7), "$2a$10$");
  EXPECT_EQ(bcrypt_hash("x", -5).substr(0, 7), "$2a$10$");
  EXPECT_THROW(bcrypt_hash("x", 32), std::invalid_argument);
  EXPECT_EQ(bcrypt_hash("", 5).substr(0, 7), "$2a$05$");
}

TEST(Bcrypt, MalformedHashesAreFalseNeverThrow) {
  const std::string good = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  ASSERT_TRUE(bcrypt_verify("U*U", good));
  // Go also accepts the prefix-less-minor "$2$" form and ignores non-zero unused salt bits.
  EXPECT_TRUE(bcrypt_verify("U*U", "$2$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
  EXPECT_TRUE(bcrypt_verify("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC/E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
  const char* bad[] = {
      "",
      "$2a$",
      "$2a$10$fooo",
      "2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeWx",   // Go ignores the extra; we don't
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe",     // one short
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeX",    // wrong hash
      "$2a$05$CCCCCCCCCCCCCCCCCCCCCuE5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",    // different salt
      "$2a$05$CCCCCCCCCCCCCCCCCCCC!.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",    // bad salt character
      "$2a$+5$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",    // Go's Atoi takes "+5"; we don't
      "$2a$5$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeWW",
      "$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",    // cost out of range
      "$2a$32$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "$2a$99$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "$2a$05CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW$",
      "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",    // buggy variant
      "$2c$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "$3a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "$1$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeWW",
      "plaintext-password",
  };
  for (const char* h : bad) EXPECT_FALSE(bcrypt_verify("U*U", h)) << h;
  EXPECT_FALSE(bcrypt_verify("U*U", std::string(100000, '$')));
}

TEST(Bcrypt, PocketBaseFixtureHashes) {
  // From tests/fixtures/pocketbase-testdata/data.db: users/_superusers/clients rows, all created
  // by PocketBase with the password "1234567890".
  const char* hashes[] = {
      "$2a$10$0CUWH81tPWUhxKqksZnO/eDfJiWTTG/xg7v5Yg8RhcLIGWY3oeCHe",  // _superusers test4@example.com
      "$2a$13$uULN32dHTkWQIALJP1N54.22HW/K9/qkXqcmsfz2hOA1wGeuUDbfG",  // users test@example.com
      "$2a$13$utsLtiNVf226R7hhXXyOM.kHTyTcVLRNqTIrT44Fw8JZbxMhIK0uu",  // clients test@example.com
  };
  for (const char* h : hashes) {
    EXPECT_TRUE(bcrypt_verify("1234567890", h)) << h;
    EXPECT_FALSE(bcrypt_verify("1234567891", h)) << h;
  }
}

// CPU time of this thread, so a loaded machine (tests and builds run in parallel) does not skew it.
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

TEST(Bcrypt, Cost10IsFastEnough) {
  // The budget is 150 ms natively (optimised build); debug and sanitizer builds get slack.
  double ms = 1e9;
  std::string h;
  for (int i = 0; i < 3; ++i) {
    double t0 = thread_cpu_ms();
    h = bcrypt_hash("1234567890", 10);
    ms = std::min(ms, thread_cpu_ms() - t0);
  }
  EXPECT_TRUE(bcrypt_verify("1234567890", h));
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(ms, 150.0);
#endif
  RecordProperty("bcrypt_cost10_cpu_ms", std::to_string(ms));
}

}  // namespace
