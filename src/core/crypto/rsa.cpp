// RSASSA-PKCS1-v1_5 and RSASSA-PSS verification (see rsa.h). Numbers are little-endian vectors of 32-bit limbs;
// s^e mod n is computed with Montgomery multiplication (n is odd, so it applies), which avoids
// a general long division.
#include "core/crypto/rsa.h"

#include "core/crypto/base64.h"
#include "core/crypto/compare.h"
#include "core/crypto/sha256.h"
#include "core/crypto/sha512.h"

namespace larder::crypto {

namespace {

using Limbs = std::vector<uint32_t>;

// Big-endian bytes -> `k` limbs (the value must fit).
Limbs from_bytes(std::string_view be, size_t k) {
  Limbs out(k, 0);
  size_t n = be.size();
  for (size_t i = 0; i < n; ++i) {
    auto byte = static_cast<uint32_t>(static_cast<unsigned char>(be[n - 1 - i]));
    out[i / 4] |= byte << (8 * (i % 4));
  }
  return out;
}

// `bytes` big-endian bytes of a value held in limbs.
std::string to_bytes(const Limbs& a, size_t bytes) {
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes && i / 4 < a.size(); ++i)
    out[bytes - 1 - i] = static_cast<char>(a[i / 4] >> (8 * (i % 4)));
  return out;
}

// a >= b for equal-length limb vectors.
bool geq(const Limbs& a, const Limbs& b) {
  for (size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return true;
}

// a -= b (a >= b, or the caller accounts for the final borrow).
void sub_in_place(Limbs& a, const Limbs& b) {
  uint64_t borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    uint64_t d = static_cast<uint64_t>(a[i]) - b[i] - borrow;
    a[i] = static_cast<uint32_t>(d);
    borrow = (d >> 32) & 1;
  }
}

class Montgomery {
 public:
  explicit Montgomery(Limbs n) : n_(std::move(n)), k_(n_.size()) {
    // -n^-1 mod 2^32 by Newton iteration (n odd): each step doubles the correct low bits.
    uint32_t inv = 1;
    for (int i = 0; i < 5; ++i) inv *= 2 - n_[0] * inv;
    n0inv_ = 0u - inv;
    // R^2 mod n with R = 2^(32k): double 1 mod n 2*32k times.
    Limbs x(k_, 0);
    x[0] = 1;
    for (size_t i = 0; i < 64 * k_; ++i) {
      uint32_t carry = 0;
      for (size_t j = 0; j < k_; ++j) {
        uint32_t next = x[j] >> 31;
        x[j] = (x[j] << 1) | carry;
        carry = next;
      }
      if (carry || geq(x, n_)) sub_in_place(x, n_);
    }
    r2_ = std::move(x);
  }

  // a * b * R^-1 mod n (CIOS), for a, b < n.
  Limbs mul(const Limbs& a, const Limbs& b) const {
    std::vector<uint64_t> t(k_ + 2, 0);
    for (size_t i = 0; i < k_; ++i) {
      uint64_t c = 0;
      for (size_t j = 0; j < k_; ++j) {
        uint64_t s = t[j] + static_cast<uint64_t>(a[j]) * b[i] + c;
        t[j] = s & 0xffffffffu;
        c = s >> 32;
      }
      uint64_t s = t[k_] + c;
      t[k_] = s & 0xffffffffu;
      t[k_ + 1] = s >> 32;
      const uint32_t m = static_cast<uint32_t>(t[0]) * n0inv_;
      c = (t[0] + static_cast<uint64_t>(m) * n_[0]) >> 32;
      for (size_t j = 1; j < k_; ++j) {
        s = t[j] + static_cast<uint64_t>(m) * n_[j] + c;
        t[j - 1] = s & 0xffffffffu;
        c = s >> 32;
      }
      s = t[k_] + c;
      t[k_ - 1] = s & 0xffffffffu;
      t[k_] = t[k_ + 1] + (s >> 32);
    }
    Limbs out(k_);
    for (size_t j = 0; j < k_; ++j) out[j] = static_cast<uint32_t>(t[j]);
    if (t[k_] != 0 || geq(out, n_)) sub_in_place(out, n_);
    return out;
  }

  // base^e mod n, for base < n.
  Limbs pow(const Limbs& base, uint32_t e) const {
    const Limbs bm = mul(base, r2_);  // base in Montgomery form
    Limbs one(k_, 0);
    one[0] = 1;
    Limbs acc = mul(one, r2_);        // R mod n, i.e. 1 in Montgomery form
    for (int bit = 31; bit >= 0; --bit) {
      acc = mul(acc, acc);
      if ((e >> bit) & 1) acc = mul(acc, bm);
    }
    return mul(acc, one);             // out of Montgomery form
  }

 private:
  Limbs n_;
  size_t k_;
  uint32_t n0inv_ = 0;
  Limbs r2_;
};

// DigestInfo DER prefixes (RFC 8017 §9.2 note 1).
std::string_view digest_info_prefix(RsaHash h) {
  switch (h) {
    case RsaHash::Sha256:
      return std::string_view("\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20", 19);
    case RsaHash::Sha384:
      return std::string_view("\x30\x41\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x02\x05\x00\x04\x30", 19);
    case RsaHash::Sha512:
      return std::string_view("\x30\x51\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x03\x05\x00\x04\x40", 19);
  }
  return {};
}

std::string digest(RsaHash h, std::string_view message) {
  switch (h) {
    case RsaHash::Sha256:
      return sha256(message);
    case RsaHash::Sha384:
      return sha384(message);
    case RsaHash::Sha512:
      return sha512(message);
  }
  return {};
}

std::optional<std::string> decode_b64url_trimmed(std::string_view s) {
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  return base64url_decode(s);
}

size_t bit_length(std::string_view be) {
  size_t i = 0;
  while (i < be.size() && be[i] == 0) ++i;
  if (i == be.size()) return 0;
  auto top = static_cast<unsigned char>(be[i]);
  size_t bits = 0;
  while (top) {
    ++bits;
    top >>= 1;
  }
  return (be.size() - i - 1) * 8 + bits;
}

std::optional<RsaPublicKey> fail(std::string* error, const char* why) {
  if (error) *error = why;
  return std::nullopt;
}

}  // namespace

std::optional<RsaPublicKey> rsa_public_key_from_jwk(std::string_view n_b64url, std::string_view e_b64url,
                                                    std::string* error) {
  // Checked before decoding so a hostile JWKS cannot make us decode megabytes: 8192 bits are
  // 1366 base64 characters; allow a few leading zero bytes and padding.
  if (n_b64url.size() > 1400) return fail(error, "RSA modulus too large");
  if (e_b64url.size() > 16) return fail(error, "RSA exponent too large");
  auto n = decode_b64url_trimmed(n_b64url);
  auto e = decode_b64url_trimmed(e_b64url);
  if (!n) return fail(error, "invalid RSA modulus encoding");
  if (!e) return fail(error, "invalid RSA exponent encoding");
  const size_t bits = bit_length(*n);
  if (bits == 0) return fail(error, "zero RSA modulus");
  if (bits < kRsaMinBits) return fail(error, "RSA modulus too small");
  if (bits > kRsaMaxBits) return fail(error, "RSA modulus too large");
  size_t lead = n->size() - (bits + 7) / 8;
  n->erase(0, lead);
  if ((static_cast<unsigned char>(n->back()) & 1) == 0) return fail(error, "even RSA modulus");
  uint64_t ev = 0;
  for (char c : *e) {
    if (ev >> 31) return fail(error, "RSA exponent too large");
    ev = (ev << 8) | static_cast<unsigned char>(c);
  }
  if (ev >= (uint64_t{1} << 31)) return fail(error, "RSA exponent too large");
  if (ev < 3) return fail(error, "RSA exponent too small");
  if ((ev & 1) == 0) return fail(error, "even RSA exponent");
  return RsaPublicKey{std::move(*n), static_cast<uint32_t>(ev)};
}

namespace {

// s^e mod n as k big-endian bytes (k = the modulus length), or nullopt when the key is not one
// rsa_public_key_from_jwk would give, or the signature is not exactly k bytes below n.
std::optional<std::string> public_op(const RsaPublicKey& key, std::string_view signature) {
  const size_t k = key.n.size();
  const size_t bits = bit_length(key.n);
  if (bits < kRsaMinBits || bits > kRsaMaxBits || key.n.size() != (bits + 7) / 8) return std::nullopt;
  if ((static_cast<unsigned char>(key.n.back()) & 1) == 0 || key.e < 3 || (key.e & 1) == 0) return std::nullopt;
  if (signature.size() != k) return std::nullopt;
  const size_t limbs = (k + 3) / 4;
  const Limbs n = from_bytes(key.n, limbs);
  const Limbs s = from_bytes(signature, limbs);
  if (geq(s, n)) return std::nullopt;
  const Montgomery mont(n);
  return to_bytes(mont.pow(s, key.e), k);
}

// MGF1 (RFC 8017 B.2.1) with the signature's hash.
std::string mgf1(RsaHash h, std::string_view seed, size_t len) {
  std::string out;
  for (uint32_t counter = 0; out.size() < len; ++counter) {
    std::string block(seed);
    for (int shift = 24; shift >= 0; shift -= 8) block.push_back(static_cast<char>((counter >> shift) & 0xff));
    out += digest(h, block);
  }
  out.resize(len);
  return out;
}

}  // namespace

bool rsa_pkcs1v15_verify(const RsaPublicKey& key, RsaHash hash, std::string_view message, std::string_view signature) {
  const std::string_view prefix = digest_info_prefix(hash);
  const std::string h = digest(hash, message);
  const size_t k = key.n.size();
  if (k < prefix.size() + h.size() + 11) return false;
  const auto em = public_op(key, signature);
  if (!em) return false;

  std::string expected;
  expected.reserve(k);
  expected.push_back('\x00');
  expected.push_back('\x01');
  expected.append(k - 3 - prefix.size() - h.size(), '\xff');
  expected.push_back('\x00');
  expected.append(prefix);
  expected.append(h);
  return constant_time_equals(*em, expected);
}

bool rsa_pss_verify(const RsaPublicKey& key, RsaHash hash, std::string_view message, std::string_view signature) {
  auto decoded = public_op(key, signature);
  if (!decoded) return false;
  std::string_view em = *decoded;
  // The encoded message has emBits = modBits - 1 bits; when that is a whole number of bytes
  // fewer than the modulus, the leading byte of s^e mod n must be zero and is dropped.
  const size_t em_bits = bit_length(key.n) - 1;
  const size_t em_len = (em_bits + 7) / 8;
  if (em_len < em.size()) {
    if (em[0] != 0) return false;
    em.remove_prefix(1);
  }
  const std::string m_hash = digest(hash, message);
  const size_t h_len = m_hash.size();
  // The salt length is recovered below, so only the smallest layout (no salt) bounds emLen.
  if (em.size() != em_len || em_len < h_len + 2) return false;
  if (static_cast<unsigned char>(em.back()) != 0xbc) return false;
  const std::string_view masked_db = em.substr(0, em_len - h_len - 1);
  const std::string_view h = em.substr(em_len - h_len - 1, h_len);
  // The bits above emBits in the first byte must be zero.
  const auto top_mask = static_cast<unsigned char>(0xff >> (8 * em_len - em_bits));
  if (static_cast<unsigned char>(em[0]) & ~top_mask) return false;
  std::string db = mgf1(hash, h, masked_db.size());
  for (size_t i = 0; i < db.size(); ++i) db[i] = static_cast<char>(db[i] ^ masked_db[i]);
  db[0] = static_cast<char>(static_cast<unsigned char>(db[0]) & top_mask);
  // Salt length "auto": zeros, then 0x01, then the salt (whatever is left).
  const size_t one = db.find('\x01');
  if (one == std::string::npos) return false;
  for (size_t i = 0; i < one; ++i)
    if (db[i] != 0) return false;
  const std::string_view salt = std::string_view(db).substr(one + 1);
  std::string m_prime(8, '\0');
  m_prime += m_hash;
  m_prime.append(salt);
  return constant_time_equals(digest(hash, m_prime), h);
}

}  // namespace larder::crypto
