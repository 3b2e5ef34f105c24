// A minimal strict DER reader for exactly the two EC private key structures (RFC 5915 SEC1
// ECPrivateKey, RFC 5208/5958 PKCS#8 PrivateKeyInfo) on prime256v1, and the PEM around them.
#include "core/crypto/ec_private_key.h"

#include <optional>

#include "core/crypto/base64.h"
#include "core/crypto/p256.h"

namespace larder::crypto {

namespace {

constexpr std::string_view kNotPem = "invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key";
constexpr std::string_view kMalformed = "x509: failed to parse EC private key";
constexpr std::string_view kNotEc = "key is not a valid ECDSA private key";
constexpr std::string_view kCurve = "x509: unsupported elliptic curve";
constexpr std::string_view kRange = "x509: invalid elliptic curve private key value";

// DER encodings of id-ecPublicKey (1.2.840.10045.2.1) and prime256v1 (1.2.840.10045.3.1.7).
constexpr std::string_view kOidEcPublicKey{"\x2A\x86\x48\xCE\x3D\x02\x01", 7};
constexpr std::string_view kOidP256{"\x2A\x86\x48\xCE\x3D\x03\x01\x07", 8};

// One DER element: tag and contents.
struct Tlv {
  unsigned char tag = 0;
  std::string_view value;
};

// Reads elements one after another from a byte range; any encoding error latches `bad`.
class DerReader {
 public:
  explicit DerReader(std::string_view data) : rest_(data) {}
  bool done() const { return rest_.empty(); }
  bool bad() const { return bad_; }
  std::optional<unsigned char> peek_tag() const {
    if (rest_.empty()) return std::nullopt;
    return static_cast<unsigned char>(rest_[0]);
  }

  // The next element, which must carry `tag`.
  std::optional<std::string_view> read(unsigned char tag) {
    auto t = next();
    if (!t || t->tag != tag) {
      bad_ = true;
      return std::nullopt;
    }
    return t->value;
  }

 private:
  std::optional<Tlv> next() {
    if (bad_ || rest_.size() < 2) return std::nullopt;
    auto byte = [&](size_t i) { return static_cast<unsigned char>(rest_[i]); };
    Tlv t{byte(0), {}};
    if ((t.tag & 0x1F) == 0x1F) return std::nullopt;  // multi-byte tags never occur here
    size_t len = byte(1), header = 2;
    if (len & 0x80) {
      size_t n = len & 0x7F;
      // Definite, minimal long form only; keys are far below 64 KiB.
      if (n == 0 || n > 2 || rest_.size() < 2 + n || byte(2) == 0) return std::nullopt;
      len = 0;
      for (size_t i = 0; i < n; ++i) len = (len << 8) | byte(2 + i);
      if (len < 0x80) return std::nullopt;
      header += n;
    }
    if (rest_.size() - header < len) return std::nullopt;
    t.value = rest_.substr(header, len);
    rest_.remove_prefix(header + len);
    return t;
  }

  std::string_view rest_;
  bool bad_ = false;
};

// A small non-negative DER INTEGER (version fields).
std::optional<int> small_int(std::string_view v) {
  if (v.size() != 1 || (static_cast<unsigned char>(v[0]) & 0x80)) return std::nullopt;
  return static_cast<unsigned char>(v[0]);
}

EcPrivateKeyResult fail(std::string_view why) { return EcPrivateKeyResult{{}, std::string(why)}; }

// RFC 5915: ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING,
// parameters [0] EXPLICIT OID OPTIONAL, publicKey [1] EXPLICIT BIT STRING OPTIONAL }.
// `curve_known` when the PKCS#8 wrapper already named P-256 (then [0] may be omitted).
EcPrivateKeyResult parse_sec1(std::string_view der, bool curve_known) {
  DerReader outer(der);
  auto seq = outer.read(0x30);
  if (!seq || !outer.done()) return fail(kMalformed);
  DerReader r(*seq);
  auto version = r.read(0x02);
  auto key = r.read(0x04);
  if (!version || !key || small_int(*version) != 1) return fail(kMalformed);
  bool has_curve = curve_known;
  if (r.peek_tag() == 0xA0) {
    auto wrapped = r.read(0xA0);
    if (!wrapped) return fail(kMalformed);
    DerReader params(*wrapped);
    auto oid = params.read(0x06);
    if (!oid || !params.done()) return fail(kMalformed);
    if (*oid != kOidP256) return fail(kCurve);
    has_curve = true;
  }
  std::optional<std::string_view> pub;
  if (r.peek_tag() == 0xA1) {
    auto bits = r.read(0xA1);
    if (!bits) return fail(kMalformed);
    DerReader wrapped(*bits);
    pub = wrapped.read(0x03);
    if (!pub || !wrapped.done()) return fail(kMalformed);
  }
  if (r.bad() || !r.done()) return fail(kMalformed);
  if (!has_curve) return fail(kCurve);

  // Go tolerates leading zero padding and stripped leading zeros; so do we.
  std::string_view k = *key;
  while (k.size() > p256::kScalarSize && k.front() == '\0') k.remove_prefix(1);
  if (k.empty() || k.size() > p256::kScalarSize) return fail(kRange);
  std::string scalar(p256::kScalarSize - k.size(), '\0');
  scalar.append(k);
  if (!p256::valid_private_key(scalar)) return fail(kRange);
  if (pub) {
    // BIT STRING: no unused bits, then the uncompressed point, which must be d·G.
    if (pub->empty() || pub->front() != '\0' || pub->substr(1) != p256::public_key(scalar).value_or(""))
      return fail(kMalformed);
  }
  return EcPrivateKeyResult{std::move(scalar), {}};
}

// RFC 5958: OneAsymmetricKey ::= SEQUENCE { version INTEGER (0|1), privateKeyAlgorithm
// SEQUENCE { OID, parameters }, privateKey OCTET STRING, attributes [0] OPTIONAL,
// publicKey [1] OPTIONAL }.
EcPrivateKeyResult parse_pkcs8(std::string_view der) {
  DerReader outer(der);
  auto seq = outer.read(0x30);
  if (!seq || !outer.done()) return fail(kMalformed);
  DerReader r(*seq);
  auto version = r.read(0x02);
  auto algorithm = r.read(0x30);
  auto key = r.read(0x04);
  if (!version || !algorithm || !key) return fail(kMalformed);
  auto v = small_int(*version);
  if (v != 0 && v != 1) return fail(kMalformed);
  if (r.peek_tag() == 0xA0) r.read(0xA0);  // attributes: ignored, as Go does
  if (r.peek_tag() == 0x81 || r.peek_tag() == 0xA1) {
    if (v != 1) return fail(kMalformed);
    r.read(*r.peek_tag());  // the v2 public key; the inner SEC1 one is what we check
  }
  if (r.bad() || !r.done()) return fail(kMalformed);

  DerReader alg(*algorithm);
  auto oid = alg.read(0x06);
  if (!oid) return fail(kMalformed);
  if (*oid != kOidEcPublicKey) return fail(kNotEc);
  auto curve = alg.read(0x06);
  if (!curve || !alg.done()) return fail(kMalformed);
  if (*curve != kOidP256) return fail(kCurve);
  return parse_sec1(*key, true);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

EcPrivateKeyResult parse_p256_private_key_der(std::string_view der) {
  auto sec1 = parse_sec1(der, false);
  if (sec1.ok()) return sec1;
  return parse_pkcs8(der);  // golang-jwt reports the PKCS#8 error when both fail
}

EcPrivateKeyResult parse_p256_private_key_pem(std::string_view pem) {
  while (!pem.empty() && is_space(pem.front())) pem.remove_prefix(1);
  while (!pem.empty() && is_space(pem.back())) pem.remove_suffix(1);
  std::string_view label;
  for (std::string_view l : {std::string_view("PRIVATE KEY"), std::string_view("EC PRIVATE KEY")}) {
    std::string begin = "-----BEGIN " + std::string(l) + "-----";
    std::string end = "-----END " + std::string(l) + "-----";
    if (pem.size() > begin.size() + end.size() && pem.substr(0, begin.size()) == begin &&
        pem.substr(pem.size() - end.size()) == end) {
      label = l;
      pem = pem.substr(begin.size(), pem.size() - begin.size() - end.size());
      break;
    }
  }
  if (label.empty()) return fail(kNotPem);
  std::string body;
  for (char c : pem)
    if (!is_space(c)) body += c;
  auto der = base64_decode(body);
  if (!der || der->empty()) return fail(kNotPem);
  return parse_p256_private_key_der(*der);
}

}  // namespace larder::crypto
