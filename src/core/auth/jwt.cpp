// HS256 JWT signing and verification; rules in jwt.h.
#include "core/auth/jwt.h"

#include <cmath>
#include <stdexcept>

#include "core/crypto/base64.h"
#include "core/crypto/compare.h"
#include "core/crypto/hmac.h"
#include "core/crypto/p256.h"

namespace larder::jwt {
namespace {

// golang-jwt marshals its header map, hence the sorted keys.
constexpr std::string_view kHeaderSegment = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";  // {"alg":"HS256","typ":"JWT"}

// Go marshals map[string]any claims with sorted keys, nested maps included.
void sort_keys_deep(json::Value& v) {
  if (v.is_object()) {
    json::Object& o = v.as_object();
    o.sort_keys();
    for (auto& member : o) sort_keys_deep(member.second);
  } else if (v.is_array()) {
    for (auto& item : v.as_array()) sort_keys_deep(item);
  }
}

std::optional<json::Value> decode_object(std::string_view segment) {
  auto bytes = crypto::base64url_decode(segment);
  if (!bytes) return std::nullopt;
  try {
    json::Value v = json::parse(*bytes);
    if (!v.is_object()) return std::nullopt;
    return v;
  } catch (const json::ParseError&) {
    return std::nullopt;
  }
}

// One NumericDate claim: true when absent/ignored or when `ok(seconds)` holds.
template <typename Check>
bool date_claim_ok(const json::Value& claims, std::string_view name, Check ok) {
  const json::Value* v = claims.find(name);
  if (!v) return true;
  if (!v->is_number()) return false;
  double d = v->as_number();
  if (d == 0) return true;  // golang-jwt's MapClaims treats a zero date as absent
  // Go truncates the date to whole seconds (toward the past). The parser already refused
  // non-finite numbers; comparing as doubles avoids int64 overflow on absurd values.
  return ok(std::floor(d));
}

}  // namespace

std::string sign(const json::Value& claims, std::string_view key) {
  if (!claims.is_object()) throw std::invalid_argument("jwt::sign: claims must be a JSON object");
  json::Value sorted = claims;
  sort_keys_deep(sorted);
  std::string token(kHeaderSegment);
  token += '.';
  token += crypto::base64url_encode(json::dump(sorted));
  std::string signature = crypto::hmac_sha256(key, token);
  token += '.';
  token += crypto::base64url_encode(signature);
  return token;
}

std::string sign_es256(const json::Value& header, const json::Value& claims, std::string_view private_key) {
  if (!header.is_object() || !claims.is_object())
    throw std::invalid_argument("jwt::sign_es256: header and claims must be JSON objects");
  std::string token = crypto::base64url_encode(json::dump(header));
  token += '.';
  token += crypto::base64url_encode(json::dump(claims));
  auto signature = crypto::p256::sign(private_key, token);
  if (!signature) throw std::invalid_argument("jwt::sign_es256: invalid P-256 private key");
  token += '.';
  token += crypto::base64url_encode(*signature);
  return token;
}

std::optional<Parsed> parse_unverified(std::string_view token) {
  // Exactly three segments, like golang-jwt's splitToken.
  size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;

  Parsed p;
  auto header = decode_object(token.substr(0, first));
  if (!header) return std::nullopt;
  auto claims = decode_object(token.substr(first + 1, second - first - 1));
  if (!claims) return std::nullopt;
  auto signature = crypto::base64url_decode(token.substr(second + 1));
  if (!signature) return std::nullopt;
  p.header = std::move(*header);
  p.claims = std::move(*claims);
  p.signing_input = std::string(token.substr(0, second));
  p.signature = std::move(*signature);
  return p;
}

bool time_claims_valid(const json::Value& claims, int64_t now_unix) {
  const double now = static_cast<double>(now_unix);
  return date_claim_ok(claims, "exp", [&](double exp) { return now < exp; }) &&
         date_claim_ok(claims, "nbf", [&](double nbf) { return now >= nbf; }) &&
         date_claim_ok(claims, "iat", [&](double iat) { return now >= iat; });
}

std::optional<json::Value> verify(std::string_view token, std::string_view key, int64_t now_unix) {
  auto parsed = parse_unverified(token);
  if (!parsed) return std::nullopt;
  const json::Value* alg = parsed->header.find("alg");
  if (!alg || !alg->is_string() || alg->as_string() != "HS256") return std::nullopt;
  std::string expected = crypto::hmac_sha256(key, parsed->signing_input);
  if (!crypto::constant_time_equals(expected, parsed->signature)) return std::nullopt;
  if (!time_claims_valid(parsed->claims, now_unix)) return std::nullopt;
  return std::move(parsed->claims);
}

}  // namespace larder::jwt
