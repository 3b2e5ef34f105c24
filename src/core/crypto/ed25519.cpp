// Ed25519 verification (see ed25519.h). Field elements mod p = 2^255 - 19 are 16 signed limbs
// of 16 bits (2^256 = 38 mod p folds the high half of a product); points are extended twisted
// Edwards coordinates (X:Y:Z:T) with the complete addition law, which also doubles. The curve
// constants are derived at first use (d = -121665/121666, sqrt(-1) = 2^((p-1)/4), the base
// point decoded from its standard encoding) rather than typed in as limbs.
#include "core/crypto/ed25519.h"

#include <array>
#include <cstdint>
#include <string>

#include "core/crypto/compare.h"
#include "core/crypto/sha512.h"

namespace larder::crypto {

namespace {

using Fe = std::array<int64_t, 16>;
using Bytes32 = std::array<unsigned char, 32>;

Fe fe_small(int64_t v) {
  Fe r{};
  r[0] = v;
  return r;
}

void carry(Fe& o) {
  for (int i = 0; i < 16; ++i) {
    const int64_t c = o[i] >> 16;  // arithmetic shift (C++20)
    o[i] -= c * 65536;
    if (i < 15) o[i + 1] += c;
    else o[0] += 38 * c;
  }
}

Fe add(const Fe& a, const Fe& b) {
  Fe r;
  for (int i = 0; i < 16; ++i) r[i] = a[i] + b[i];
  return r;
}

Fe sub(const Fe& a, const Fe& b) {
  Fe r;
  for (int i = 0; i < 16; ++i) r[i] = a[i] - b[i];
  return r;
}

Fe mul(const Fe& a, const Fe& b) {
  int64_t t[31] = {};
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j) t[i + j] += a[i] * b[j];
  for (int i = 0; i < 15; ++i) t[i] += 38 * t[i + 16];
  Fe r;
  for (int i = 0; i < 16; ++i) r[i] = t[i];
  carry(r);
  carry(r);
  return r;
}

Fe sq(const Fe& a) { return mul(a, a); }

// a^e, with e given as 32 little-endian bytes.
Fe pow(const Fe& a, const Bytes32& e) {
  Fe r = fe_small(1);
  for (int bit = 255; bit >= 0; --bit) {
    r = sq(r);
    if ((e[bit / 8] >> (bit % 8)) & 1) r = mul(r, a);
  }
  return r;
}

Bytes32 exponent(unsigned char low, unsigned char high) {
  Bytes32 e;
  e.fill(0xff);
  e[0] = low;
  e[31] = high;
  return e;
}

Fe invert(const Fe& a) { return pow(a, exponent(0xeb, 0x7f)); }  // a^(p-2)

// Canonical little-endian encoding (fully reduced mod p).
Bytes32 pack(const Fe& a) {
  Fe t = a;
  carry(t);
  carry(t);
  carry(t);
  // Now every limb is in [0, 2^16), so t < 2^256 < 3p: subtract p at most twice.
  for (int round = 0; round < 2; ++round) {
    Fe m;
    int64_t borrow = 0;
    for (int i = 0; i < 16; ++i) {
      const int64_t pl = i == 0 ? 0xffed : (i == 15 ? 0x7fff : 0xffff);
      int64_t d = t[i] - pl - borrow;
      borrow = d < 0 ? 1 : 0;
      m[i] = d + borrow * 65536;
    }
    if (!borrow) t = m;
  }
  Bytes32 out;
  for (int i = 0; i < 16; ++i) {
    out[2 * i] = static_cast<unsigned char>(t[i] & 0xff);
    out[2 * i + 1] = static_cast<unsigned char>((t[i] >> 8) & 0xff);
  }
  return out;
}

// The low 255 bits of 32 little-endian bytes (non-canonical values accepted, as Go does).
Fe unpack(const unsigned char* b) {
  Fe r;
  for (int i = 0; i < 16; ++i) r[i] = b[2 * i] | (static_cast<int64_t>(b[2 * i + 1]) << 8);
  r[15] &= 0x7fff;
  return r;
}

bool fe_equal(const Fe& a, const Fe& b) { return pack(a) == pack(b); }
int parity(const Fe& a) { return pack(a)[0] & 1; }

struct Point {
  Fe x, y, z, t;
};

struct Curve {
  Fe d, d2, sqrt_m1;
  Point base;
};

const Curve& curve();

Point point_add(const Point& p, const Point& q) {
  const Curve& c = curve();
  const Fe a = mul(sub(p.y, p.x), sub(q.y, q.x));
  const Fe b = mul(add(p.y, p.x), add(q.y, q.x));
  const Fe cc = mul(mul(p.t, q.t), c.d2);
  Fe dd = mul(p.z, q.z);
  dd = add(dd, dd);
  const Fe e = sub(b, a), f = sub(dd, cc), g = add(dd, cc), h = add(b, a);
  return Point{mul(e, f), mul(h, g), mul(g, f), mul(e, h)};
}

Point identity() { return Point{fe_small(0), fe_small(1), fe_small(1), fe_small(0)}; }

// [s]P for a 256-bit little-endian scalar (public values: plain double-and-add).
Point scalar_mul(const Point& p, const Bytes32& s) {
  Point r = identity();
  for (int bit = 255; bit >= 0; --bit) {
    r = point_add(r, r);
    if ((s[bit / 8] >> (bit % 8)) & 1) r = point_add(r, p);
  }
  return r;
}

// Decodes a point; `negate` returns -P instead. False when y does not give a curve point.
bool decode_point(const unsigned char* b, bool negate, const Fe& d, const Fe& sqrt_m1, Point& out) {
  const Fe one = fe_small(1);
  out.y = unpack(b);
  out.z = one;
  const Fe y2 = sq(out.y);
  const Fe u = sub(y2, one);         // y^2 - 1
  const Fe v = add(mul(y2, d), one); // d y^2 + 1
  // x = u v^3 (u v^7)^((p-5)/8), then fix up by sqrt(-1) if needed (RFC 8032 §5.1.3).
  const Fe v3 = mul(sq(v), v);
  const Fe v7 = mul(sq(v3), v);
  Fe x = mul(mul(u, v3), pow(mul(u, v7), exponent(0xfd, 0x0f)));
  if (!fe_equal(mul(sq(x), v), u)) x = mul(x, sqrt_m1);
  if (!fe_equal(mul(sq(x), v), u)) return false;
  const int sign = b[31] >> 7;
  if ((parity(x) == sign) == negate) x = sub(fe_small(0), x);
  out.x = x;
  out.t = mul(x, out.y);
  return true;
}

const Curve& curve() {
  static const Curve c = [] {
    Curve k;
    k.d = mul(sub(fe_small(0), fe_small(121665)), invert(fe_small(121666)));
    k.d2 = add(k.d, k.d);
    k.sqrt_m1 = pow(fe_small(2), exponent(0xfb, 0x1f));  // 2^((p-1)/4)
    Bytes32 b;
    b.fill(0x66);
    b[0] = 0x58;  // y = 4/5, x even
    decode_point(b.data(), false, k.d, k.sqrt_m1, k.base);
    return k;
  }();
  return c;
}

// Group order L, little-endian.
constexpr unsigned char kOrder[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                      0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                      0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

// a < L for 32 little-endian bytes.
bool below_order(const unsigned char* a) {
  for (int i = 31; i >= 0; --i) {
    if (a[i] != kOrder[i]) return a[i] < kOrder[i];
  }
  return false;
}

// A 64-byte little-endian number mod L, by shift-and-subtract (one per hash; speed is moot).
Bytes32 reduce_mod_order(const std::string& h) {
  // r < L < 2^253 fits in 33 bytes with room for the doubling.
  std::array<unsigned char, 33> r{};
  for (int bit = 511; bit >= 0; --bit) {
    int c = (static_cast<unsigned char>(h[bit / 8]) >> (bit % 8)) & 1;
    for (int i = 0; i < 33; ++i) {
      const int v = (r[i] << 1) | c;
      r[i] = static_cast<unsigned char>(v);
      c = v >> 8;
    }
    // r >= L ?
    bool ge = r[32] != 0;
    if (!ge) {
      ge = true;
      for (int i = 31; i >= 0; --i) {
        if (r[i] != kOrder[i]) {
          ge = r[i] > kOrder[i];
          break;
        }
      }
    }
    if (ge) {
      int borrow = 0;
      for (int i = 0; i < 33; ++i) {
        int d = r[i] - (i < 32 ? kOrder[i] : 0) - borrow;
        borrow = d < 0;
        r[i] = static_cast<unsigned char>(d + borrow * 256);
      }
    }
  }
  Bytes32 out;
  for (int i = 0; i < 32; ++i) out[i] = r[i];
  return out;
}

}  // namespace

bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  if (public_key.size() != kEd25519PublicKeySize || signature.size() != kEd25519SignatureSize) return false;
  const auto* pk = reinterpret_cast<const unsigned char*>(public_key.data());
  const auto* sig = reinterpret_cast<const unsigned char*>(signature.data());
  if (!below_order(sig + 32)) return false;
  const Curve& c = curve();
  Point neg_a;
  if (!decode_point(pk, true, c.d, c.sqrt_m1, neg_a)) return false;

  Sha512 hasher;
  hasher.update(signature.substr(0, 32));
  hasher.update(public_key);
  hasher.update(message);
  const Bytes32 k = reduce_mod_order(hasher.finish());
  Bytes32 s;
  for (int i = 0; i < 32; ++i) s[i] = sig[32 + i];

  const Point r = point_add(scalar_mul(c.base, s), scalar_mul(neg_a, k));
  const Fe zi = invert(r.z);
  Bytes32 enc = pack(mul(r.y, zi));
  enc[31] ^= static_cast<unsigned char>(parity(mul(r.x, zi)) << 7);
  return constant_time_equals(std::string_view(reinterpret_cast<const char*>(enc.data()), 32), signature.substr(0, 32));
}

}  // namespace larder::crypto
