// Reading an OpenID Connect id_token's claims without a signature check, as PocketBase does for
// the OIDC provider without a user-info URL and for Microsoft's email claims: the token came
// straight from the provider's token endpoint, so only its time and audience claims are checked
// (golang-jwt's validator with the leeway below, 5 minutes by default). The signature check that OIDC's extra.jwksURL
// and Apple add on top is oauth2/jwks.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/json/json.h"

namespace larder::oauth2 {

// PocketBase's idTokenLeeway: 300 s unless the host sets it (the native server reads
// PocketBase's PB_ID_TOKEN_LEEWAY environment variable, in seconds, at start).
int64_t id_token_leeway_seconds();
void set_id_token_leeway_seconds(int64_t seconds);

// The claims object of `token`, or throws UserError when the token is malformed, its alg is not
// a JWT signing method, or exp/nbf/iat/aud fail: exp, nbf and iat are checked when present (with
// the leeway); `audience`, when non-empty, must be one of the `aud` values.
json::Value id_token_claims(std::string_view token, std::string_view audience, int64_t now_unix);

}  // namespace larder::oauth2
