// JWKS-based id_token signature validation (see jwks.h).
#include "core/oauth2/jwks.h"

#include <cmath>
#include <optional>

#include "core/auth/jwt.h"
#include "core/crypto/base64.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/rsa.h"
#include "core/oauth2/go_json.h"
#include "core/oauth2/provider.h"
#include "core/oauth2/token.h"

namespace larder::oauth2 {

namespace {

namespace gj = gojson;

[[noreturn]] void fail(const std::string& why) { throw UserError("id_token validation failed: " + why); }

// PocketBase's JWK struct (string fields; a value of another type fails the whole decode).
struct Jwk {
  std::string kty, kid, use, alg, e, n, crv, x;
};

Jwk read_jwk(const json::Value& v) {
  // A null entry would be a nil *JWK in Go (dereferenced: a crash there); refuse the set.
  if (!v.is_object()) fail("invalid JSON Web Key Set");
  Jwk k;
  k.kty = gj::str(v, "kty");
  k.kid = gj::str(v, "kid");
  k.use = gj::str(v, "use");
  k.alg = gj::str(v, "alg");
  k.e = gj::str(v, "e");
  k.n = gj::str(v, "n");
  k.crv = gj::str(v, "crv");
  k.x = gj::str(v, "x");
  return k;
}

// jwk.Fetch's selection: the first key with the kid and a non-empty alg.
Jwk select_key(std::string_view jwks_body, const std::string& kid) {
  json::Value set;
  try {
    set = json::parse(jwks_body);
  } catch (const json::ParseError& e) {
    fail(std::string("invalid JSON Web Key Set: ") + e.what());
  }
  try {
    if (!set.is_object() && !set.is_null()) fail("invalid JSON Web Key Set");
    for (const auto& entry : gj::array(set, "keys")) {
      Jwk k = read_jwk(entry);
      if (k.kid == kid && !k.alg.empty()) return k;
    }
  } catch (const gj::DecodeError& e) {
    fail(std::string("invalid JSON Web Key Set: ") + e.what());
  }
  fail("missing JWK with kid \"" + kid + "\" and non-empty alg");
}

std::string b64url_field(const std::string& s, const char* what) {
  std::string_view v = s;
  while (!v.empty() && v.back() == '=') v.remove_suffix(1);
  auto out = crypto::base64url_decode(v);
  if (!out) fail(std::string("invalid ") + what + " encoding");
  return *out;
}

bool verify_signature(const Jwk& key, std::string_view alg, std::string_view signing_input,
                      std::string_view signature) {
  std::optional<crypto::RsaHash> rsa_hash;
  if (alg == "RS256" || alg == "PS256") rsa_hash = crypto::RsaHash::Sha256;
  else if (alg == "RS384" || alg == "PS384") rsa_hash = crypto::RsaHash::Sha384;
  else if (alg == "RS512" || alg == "PS512") rsa_hash = crypto::RsaHash::Sha512;
  const bool pss = alg.size() == 5 && alg[0] == 'P';
  const bool eddsa = alg == "EdDSA";
  if (!rsa_hash && !eddsa) fail("signing method " + std::string(alg) + " is not supported");

  // jwk.PublicKey: the key type decides the key; the signing method then insists on its type.
  if (key.kty == "RSA") {
    std::string err;
    if (key.n.size() > 1400 || key.e.size() > 16) fail("RSA key too large");
    auto pub = crypto::rsa_public_key_from_jwk(key.n, key.e, &err);
    if (!pub) fail(err);
    if (!rsa_hash) fail("key is of invalid type");
    // golang-jwt verifies PS* with the salt length read from the signature.
    if (pss) return crypto::rsa_pss_verify(*pub, *rsa_hash, signing_input, signature);
    return crypto::rsa_pkcs1v15_verify(*pub, *rsa_hash, signing_input, signature);
  }
  if (key.kty == "OKP") {
    if (key.crv != "Ed25519") fail("unsupported OKP curve (must be Ed25519): \"" + key.crv + "\"");
    if (key.x.size() > 64) fail("invalid Ed25519 key length");
    std::string x = b64url_field(key.x, "Ed25519 key");
    if (x.size() != crypto::kEd25519PublicKeySize) fail("invalid Ed25519 key length: " + std::to_string(x.size()));
    if (!eddsa) fail("key is of invalid type");
    return crypto::ed25519_verify(x, signing_input, signature);
  }
  fail("unsupported kty (must be RSA or OKP): \"" + key.kty + "\"");
}

// golang-jwt's default validator after a verified parse: exp and nbf when present, no leeway.
void default_claim_checks(const json::Value& claims, int64_t now_unix) {
  const double now = static_cast<double>(now_unix);
  auto date = [&](std::string_view name, double& out) {
    const json::Value* v = claims.find(name);
    if (!v || v->is_null()) return false;
    if (!v->is_number() || !std::isfinite(v->as_number())) fail("invalid type for claim " + std::string(name));
    out = v->as_number();
    return true;
  };
  double t = 0;
  if (date("exp", t) && !(now < t)) fail("token is expired");
  if (date("nbf", t) && now < t) fail("token is not valid yet");
}

}  // namespace

void validate_token_signature_with_jwks(std::string_view token, std::string_view jwks_body, int64_t now_unix) {
  auto parsed = jwt::parse_unverified(token);
  if (!parsed || !parsed->header.is_object() || !parsed->claims.is_object()) fail("malformed token");
  const json::Value* kid_v = parsed->header.find("kid");
  std::string kid = kid_v && kid_v->is_string() ? kid_v->as_string() : std::string();
  if (kid.empty()) fail("missing kid header value");
  const Jwk key = select_key(jwks_body, kid);
  const json::Value* alg_v = parsed->header.find("alg");
  std::string alg = alg_v && alg_v->is_string() ? alg_v->as_string() : std::string();
  // WithValidMethods([key.Alg]): the token may only use the algorithm the key declares.
  if (alg != key.alg) fail("signing method " + alg + " is invalid");
  if (!verify_signature(key, alg, parsed->signing_input, parsed->signature)) fail("signature is invalid");
  default_claim_checks(parsed->claims, now_unix);
}

void validate_token_signature(net::HttpClient& http, std::string_view token, const std::string& jwks_url,
                              int64_t now_unix) {
  // The kid is read before the fetch, as PocketBase does: a token without one costs no request.
  auto parsed = jwt::parse_unverified(token);
  if (!parsed || !parsed->header.is_object()) fail("malformed token");
  const json::Value* kid_v = parsed->header.find("kid");
  if (!kid_v || !kid_v->is_string() || kid_v->as_string().empty()) fail("missing kid header value");
  if (jwks_url.rfind("https://", 0) != 0 && jwks_url.rfind("http://", 0) != 0) fail("unsupported jwksURL");

  net::OutRequest req;
  req.method = "GET";
  req.url = jwks_url;
  req.headers.set("User-Agent", std::string(kUserAgent));
  net::OutResponse res = http.fetch(req);
  // Go's client does not treat other statuses as failures.
  if (res.status >= 400)
    fail("failed to fetch JSON Web Key Set from " + jwks_url + " (" + std::to_string(res.status) + ")");
  if (res.body.size() > kMaxJwksBytes) fail("JSON Web Key Set too large");
  validate_token_signature_with_jwks(token, res.body, now_unix);
}

}  // namespace larder::oauth2
