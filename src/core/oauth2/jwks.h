// id_token signature validation against a provider's JSON Web Key Set, as PocketBase's
// tools/auth/internal/jwk does for the OIDC provider's extra.jwksURL and for Apple: the token's
// `kid` header picks the first key with that kid and a non-empty alg, the token's alg must be
// that alg, the key (RSA n/e or OKP Ed25519 x) checks the signature, and then golang-jwt's
// default claim checks run (exp and nbf, without leeway).
//
// The key set is fetched on every call, like PocketBase (no cache): the fetch goes through the
// host's HttpClient, so on a replaying host (wasm) it must run before any side effect of the
// request, which holds because it is part of fetching the OAuth2 user.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/json/json.h"
#include "core/net/http_client.h"

namespace larder::oauth2 {

// A JWKS answer larger than this is refused before parsing (real ones are a few KiB).
inline constexpr size_t kMaxJwksBytes = 256 * 1024;

// Checks the signature of `token` with the key from the JWKS at `jwks_url`. Throws UserError
// (message starting "id_token validation failed: ") on any failure; net::FetchError and host
// exceptions pass through.
void validate_token_signature(net::HttpClient& http, std::string_view token, const std::string& jwks_url,
                              int64_t now_unix);

// The signature check alone, against an already fetched JWKS body (for tests): throws UserError.
void validate_token_signature_with_jwks(std::string_view token, std::string_view jwks_body, int64_t now_unix);

}  // namespace larder::oauth2
