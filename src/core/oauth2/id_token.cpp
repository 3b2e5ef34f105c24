// id_token claims (see id_token.h).
#include "core/oauth2/id_token.h"

#include <atomic>
#include <cmath>
#include <vector>

#include "core/auth/jwt.h"
#include "core/crypto/compare.h"
#include "core/oauth2/provider.h"

namespace larder::oauth2 {

namespace {

std::atomic<int64_t> g_leeway{300};

bool known_alg(std::string_view alg) {
  static const std::string_view algs[] = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256",
                                          "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA", "none"};
  for (auto a : algs)
    if (a == alg) return true;
  return false;
}

// A NumericDate claim in seconds; false when absent, throws when not a number.
bool numeric_date(const json::Value& claims, std::string_view key, double& out) {
  const json::Value* v = claims.find(key);
  if (!v || v->is_null()) return false;
  if (!v->is_number() || !std::isfinite(v->as_number())) throw UserError("id_token: invalid type for claim " + std::string(key));
  out = v->as_number();
  return true;
}

}  // namespace

int64_t id_token_leeway_seconds() { return g_leeway.load(std::memory_order_relaxed); }
void set_id_token_leeway_seconds(int64_t seconds) { g_leeway.store(seconds, std::memory_order_relaxed); }

json::Value id_token_claims(std::string_view token, std::string_view audience, int64_t now_unix) {
  if (token.empty()) throw UserError("empty id_token");
  auto parsed = jwt::parse_unverified(token);
  if (!parsed || !parsed->claims.is_object()) throw UserError("malformed id_token");
  const json::Value* alg = parsed->header.find("alg");
  if (!alg || !alg->is_string() || !known_alg(alg->as_string())) throw UserError("id_token: unknown signing method");

  const json::Value& claims = parsed->claims;
  const double now = static_cast<double>(now_unix);
  const double leeway = static_cast<double>(id_token_leeway_seconds());
  double t = 0;
  if (numeric_date(claims, "exp", t) && !(now < t + leeway)) throw UserError("id_token is expired");
  if (numeric_date(claims, "nbf", t) && now < t - leeway) throw UserError("id_token is not valid yet");
  if (numeric_date(claims, "iat", t) && now < t - leeway) throw UserError("id_token used before issued");

  if (!audience.empty()) {
    std::vector<std::string> aud;
    if (const json::Value* a = claims.find("aud")) {
      if (a->is_string()) {
        aud.push_back(a->as_string());
      } else if (a->is_array()) {
        for (const auto& e : a->as_array()) {
          if (!e.is_string()) throw UserError("id_token: invalid aud");
          aud.push_back(e.as_string());
        }
      } else if (!a->is_null()) {
        throw UserError("id_token: invalid aud");
      }
    }
    bool match = false;
    for (const auto& x : aud) match = crypto::constant_time_equals(x, audience) || match;
    if (!match) throw UserError("id_token has invalid audience");
  }
  return claims;
}

}  // namespace larder::oauth2
