// P-256 ECDSA: 256-bit Montgomery arithmetic (4 x 64-bit limbs, little-endian limb order) shared
// by the field (mod p) and the scalars (mod n), complete projective point addition, a
// double-and-add-always ladder, and RFC 6979 nonces. See p256.h for what is constant time.
#include "core/crypto/p256.h"

#include <array>
#include <cstdint>

#include "core/crypto/hmac.h"
#include "core/crypto/sha256.h"

namespace larder::crypto::p256 {

namespace {

__extension__ typedef unsigned __int128 u128;
using u64 = uint64_t;
using U256 = std::array<u64, 4>;

U256 from_bytes(std::string_view b) {  // exactly 32 big-endian bytes
  U256 r{};
  for (size_t i = 0; i < 32; ++i) r[3 - i / 8] |= u64(static_cast<unsigned char>(b[i])) << (8 * (7 - i % 8));
  return r;
}

std::string to_bytes(const U256& a) {
  std::string out(32, '\0');
  for (size_t i = 0; i < 32; ++i) out[i] = static_cast<char>(a[3 - i / 8] >> (8 * (7 - i % 8)));
  return out;
}

U256 from_hex(const char* hex) {  // 64 hex digits, big-endian; constants only
  U256 r{};
  for (size_t i = 0; i < 64; ++i) {
    char c = hex[i];
    u64 d = c <= '9' ? u64(c - '0') : u64(c - 'A' + 10);
    r[3 - i / 16] |= d << (4 * (15 - i % 16));
  }
  return r;
}

// a - b, returning the borrow (0 or 1).
u64 sub(U256& out, const U256& a, const U256& b) {
  u64 borrow = 0;
  for (size_t i = 0; i < 4; ++i) {
    u128 d = u128(a[i]) - b[i] - borrow;
    out[i] = u64(d);
    borrow = u64(d >> 64) & 1;
  }
  return borrow;
}

// a + b, returning the carry (0 or 1).
u64 add(U256& out, const U256& a, const U256& b) {
  u64 carry = 0;
  for (size_t i = 0; i < 4; ++i) {
    u128 s = u128(a[i]) + b[i] + carry;
    out[i] = u64(s);
    carry = u64(s >> 64);
  }
  return carry;
}

// mask is all ones or all zeros: out = mask ? a : b.
U256 select(u64 mask, const U256& a, const U256& b) {
  U256 r;
  for (size_t i = 0; i < 4; ++i) r[i] = (a[i] & mask) | (b[i] & ~mask);
  return r;
}

bool is_zero(const U256& a) { return (a[0] | a[1] | a[2] | a[3]) == 0; }
bool less_than(const U256& a, const U256& m) {
  U256 t;
  return sub(t, a, m) == 1;
}

// An odd modulus m with 2^255 < m < 2^256 (both p and n), and its Montgomery constants.
struct Modulus {
  U256 m{};
  u64 m0inv = 0;  // -m^-1 mod 2^64
  U256 r2{};      // 2^512 mod m
  U256 one{};     // 2^256 mod m, i.e. 1 in Montgomery form

  explicit Modulus(const char* hex) : m(from_hex(hex)) {
    u64 inv = 1;
    for (int i = 0; i < 6; ++i) inv *= 2 - m[0] * inv;  // Newton: doubles the correct low bits
    m0inv = ~inv + 1;
    U256 zero{};
    sub(one, zero, m);  // 2^256 - m < m because m > 2^255
    r2 = one;
    for (int i = 0; i < 256; ++i) r2 = add_mod(r2, r2);
  }

  // Reduces a value < 2m (with an extra top carry bit) below m.
  U256 reduce_once(const U256& a, u64 carry) const {
    U256 d;
    u64 borrow = sub(d, a, m);
    u64 use_d = carry | (borrow ^ 1);
    return select(~use_d + 1, d, a);
  }
  U256 add_mod(const U256& a, const U256& b) const {
    U256 s;
    u64 carry = add(s, a, b);
    return reduce_once(s, carry);
  }
  U256 sub_mod(const U256& a, const U256& b) const {
    U256 d, back;
    u64 borrow = sub(d, a, b);
    add(back, d, m);
    return select(~borrow + 1, back, d);
  }
  // Montgomery product a·b·2^-256 mod m (CIOS).
  U256 mul(const U256& a, const U256& b) const {
    u64 t[6] = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < 4; ++i) {
      u64 c = 0;
      for (size_t j = 0; j < 4; ++j) {
        u128 s = u128(a[j]) * b[i] + t[j] + c;
        t[j] = u64(s);
        c = u64(s >> 64);
      }
      u128 s = u128(t[4]) + c;
      t[4] = u64(s);
      t[5] = u64(s >> 64);
      u64 f = t[0] * m0inv;
      s = u128(f) * m[0] + t[0];
      c = u64(s >> 64);
      for (size_t j = 1; j < 4; ++j) {
        s = u128(f) * m[j] + t[j] + c;
        t[j - 1] = u64(s);
        c = u64(s >> 64);
      }
      s = u128(t[4]) + c;
      t[3] = u64(s);
      t[4] = t[5] + u64(s >> 64);
    }
    return reduce_once(U256{t[0], t[1], t[2], t[3]}, t[4]);
  }
  U256 to_mont(const U256& a) const { return mul(a, r2); }
  U256 from_mont(const U256& a) const { return mul(a, U256{1, 0, 0, 0}); }
  // a^e for a public exponent e (so branching on its bits leaks nothing secret).
  U256 pow(const U256& a, const U256& e) const {
    U256 r = one;
    for (int i = 255; i >= 0; --i) {
      r = mul(r, r);
      if ((e[i / 64] >> (i % 64)) & 1) r = mul(r, a);
    }
    return r;
  }
  // Fermat inverse (a^(m-2)), in Montgomery form; 0 maps to 0.
  U256 inv(const U256& a) const {
    U256 e;
    sub(e, m, U256{2, 0, 0, 0});
    return pow(a, e);
  }
};

const Modulus& P() {
  static const Modulus p("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
  return p;
}
const Modulus& N() {
  static const Modulus n("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
  return n;
}

// A point in projective coordinates (X:Y:Z), x = X/Z, y = Y/Z, all in Montgomery form mod p.
// The point at infinity is (0:1:0).
struct Point {
  U256 x, y, z;
};

struct Curve {
  U256 b;  // Montgomery form
  Point g;
  Curve() {
    const Modulus& p = P();
    b = p.to_mont(from_hex("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B"));
    g = Point{p.to_mont(from_hex("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296")),
              p.to_mont(from_hex("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5")), p.one};
  }
};

const Curve& curve() {
  static const Curve c;
  return c;
}

// Complete addition for a = -3 (Renes, Costello, Batina, "Complete addition formulas for prime
// order elliptic curves", Algorithm 4): valid for every pair of inputs, doubling and infinity
// included, so the ladder below never branches.
Point point_add(const Point& p1, const Point& p2) {
  const Modulus& F = P();
  const U256& b = curve().b;
  auto mul = [&](const U256& a, const U256& c) { return F.mul(a, c); };
  auto add = [&](const U256& a, const U256& c) { return F.add_mod(a, c); };
  auto sub = [&](const U256& a, const U256& c) { return F.sub_mod(a, c); };
  U256 t0 = mul(p1.x, p2.x), t1 = mul(p1.y, p2.y), t2 = mul(p1.z, p2.z);
  U256 t3 = add(p1.x, p1.y), t4 = add(p2.x, p2.y);
  t3 = mul(t3, t4);
  t4 = add(t0, t1);
  t3 = sub(t3, t4);
  t4 = add(p1.y, p1.z);
  U256 x3 = add(p2.y, p2.z);
  t4 = mul(t4, x3);
  x3 = add(t1, t2);
  t4 = sub(t4, x3);
  x3 = add(p1.x, p1.z);
  U256 y3 = add(p2.x, p2.z);
  x3 = mul(x3, y3);
  y3 = add(t0, t2);
  y3 = sub(x3, y3);
  U256 z3 = mul(b, t2);
  x3 = sub(y3, z3);
  z3 = add(x3, x3);
  x3 = add(x3, z3);
  z3 = sub(t1, x3);
  x3 = add(t1, x3);
  y3 = mul(b, y3);
  t1 = add(t2, t2);
  t2 = add(t1, t2);
  y3 = sub(y3, t2);
  y3 = sub(y3, t0);
  t1 = add(y3, y3);
  y3 = add(t1, y3);
  t1 = add(t0, t0);
  t0 = add(t1, t0);
  t0 = sub(t0, t2);
  t1 = mul(t4, y3);
  t2 = mul(t0, y3);
  y3 = mul(x3, z3);
  y3 = add(y3, t2);
  x3 = mul(t3, x3);
  x3 = sub(x3, t1);
  z3 = mul(t4, z3);
  t1 = mul(t3, t0);
  z3 = add(z3, t1);
  return Point{x3, y3, z3};
}

// k·P over all 256 bits of k: one doubling and one addition per bit, the sum kept or dropped
// with a mask, so the sequence of operations and memory accesses is the same for every k.
Point scalar_mult(const U256& k, const Point& pt) {
  Point r{U256{}, P().one, U256{}};
  for (int i = 255; i >= 0; --i) {
    r = point_add(r, r);
    Point t = point_add(r, pt);
    u64 mask = ~((k[i / 64] >> (i % 64)) & 1) + 1;
    r = Point{select(mask, t.x, r.x), select(mask, t.y, r.y), select(mask, t.z, r.z)};
  }
  return r;
}

// Affine x (and y), out of Montgomery form; nullopt for the point at infinity.
std::optional<std::pair<U256, U256>> to_affine(const Point& pt) {
  const Modulus& F = P();
  if (is_zero(pt.z)) return std::nullopt;
  U256 zi = F.inv(pt.z);
  return std::make_pair(F.from_mont(F.mul(pt.x, zi)), F.from_mont(F.mul(pt.y, zi)));
}

// bits2int(digest) mod n: a 256-bit digest is below 2n, so one conditional subtraction suffices.
U256 digest_mod_n(std::string_view digest) { return N().reduce_once(from_bytes(digest), 0); }

// RFC 6979 §3.2 with HMAC-SHA256 and qlen = hlen = 256: candidate nonces in order.
class NonceGenerator {
 public:
  NonceGenerator(const U256& d, const U256& e) : k_(32, '\0'), v_(32, '\x01') {
    std::string material = to_bytes(d) + to_bytes(e);  // int2octets(x) || bits2octets(h1)
    k_ = hmac_sha256(k_, v_ + '\x00' + material);
    v_ = hmac_sha256(k_, v_);
    k_ = hmac_sha256(k_, v_ + '\x01' + material);
    v_ = hmac_sha256(k_, v_);
  }
  // The next k in [1, n-1].
  U256 next() {
    for (;;) {
      if (!first_) {
        k_ = hmac_sha256(k_, v_ + '\x00');
        v_ = hmac_sha256(k_, v_);
      }
      first_ = false;
      v_ = hmac_sha256(k_, v_);
      U256 k = from_bytes(v_);
      if (!is_zero(k) && less_than(k, N().m)) return k;
    }
  }

 private:
  std::string k_, v_;
  bool first_ = true;
};

// The public point for an uncompressed SEC1 key, checked: coordinates below p, on the curve.
std::optional<Point> decode_point(std::string_view key) {
  if (key.size() != kPublicKeySize || key[0] != '\x04') return std::nullopt;
  const Modulus& F = P();
  U256 x = from_bytes(key.substr(1, 32)), y = from_bytes(key.substr(33, 32));
  if (!less_than(x, F.m) || !less_than(y, F.m)) return std::nullopt;
  U256 xm = F.to_mont(x), ym = F.to_mont(y);
  // y² = x³ - 3x + b
  U256 rhs = F.mul(F.mul(xm, xm), xm);
  U256 three_x = F.add_mod(F.add_mod(xm, xm), xm);
  rhs = F.add_mod(F.sub_mod(rhs, three_x), curve().b);
  if (F.mul(ym, ym) != rhs) return std::nullopt;
  return Point{xm, ym, F.one};
}

}  // namespace

bool valid_private_key(std::string_view scalar) {
  if (scalar.size() != kScalarSize) return false;
  U256 d = from_bytes(scalar);
  return !is_zero(d) && less_than(d, N().m);
}

std::optional<std::string> public_key(std::string_view private_key) {
  if (!valid_private_key(private_key)) return std::nullopt;
  auto xy = to_affine(scalar_mult(from_bytes(private_key), curve().g));
  if (!xy) return std::nullopt;  // impossible for 0 < d < n
  return std::string(1, '\x04') + to_bytes(xy->first) + to_bytes(xy->second);
}

std::optional<std::string> sign_digest(std::string_view private_key, std::string_view digest) {
  if (!valid_private_key(private_key) || digest.size() != Sha256::kDigestSize) return std::nullopt;
  const Modulus& n = N();
  U256 d = from_bytes(private_key);
  U256 e = digest_mod_n(digest);
  NonceGenerator nonces(d, e);
  for (;;) {
    U256 k = nonces.next();
    auto xy = to_affine(scalar_mult(k, curve().g));
    if (!xy) continue;
    U256 r = n.reduce_once(xy->first, 0);  // x < p < 2n
    if (is_zero(r)) continue;
    // s = k^-1 (e + r·d) mod n, computed in Montgomery form.
    U256 sum = n.add_mod(n.to_mont(e), n.mul(n.to_mont(r), n.to_mont(d)));
    U256 s = n.from_mont(n.mul(n.inv(n.to_mont(k)), sum));
    if (is_zero(s)) continue;
    return to_bytes(r) + to_bytes(s);
  }
}

std::optional<std::string> sign(std::string_view private_key, std::string_view message) {
  return sign_digest(private_key, sha256(message));
}

bool verify_digest(std::string_view public_key, std::string_view digest, std::string_view signature) {
  if (digest.size() != Sha256::kDigestSize || signature.size() != kSignatureSize) return false;
  auto q = decode_point(public_key);
  if (!q) return false;
  const Modulus& n = N();
  U256 r = from_bytes(signature.substr(0, 32)), s = from_bytes(signature.substr(32, 32));
  if (is_zero(r) || is_zero(s) || !less_than(r, n.m) || !less_than(s, n.m)) return false;
  U256 w = n.inv(n.to_mont(s));
  U256 u1 = n.from_mont(n.mul(n.to_mont(digest_mod_n(digest)), w));
  U256 u2 = n.from_mont(n.mul(n.to_mont(r), w));
  auto xy = to_affine(point_add(scalar_mult(u1, curve().g), scalar_mult(u2, *q)));
  if (!xy) return false;
  return n.reduce_once(xy->first, 0) == r;
}

bool verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  return verify_digest(public_key, sha256(message), signature);
}

}  // namespace larder::crypto::p256
