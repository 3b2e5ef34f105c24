// The authorization-code exchange (golang.org/x/oauth2's Config.Exchange as PocketBase calls
// it): a form POST to the token URL, and reading the answer as JSON or as a urlencoded form.
#pragma once

#include <string>
#include <string_view>

#include "core/net/http_client.h"
#include "core/oauth2/provider.h"

namespace larder::oauth2 {

// Exchanges `code`. Client credentials go first in a Basic Authorization header; if that
// answer is an error they are sent again as form fields (x/oauth2's auth-style probing, which
// PocketBase gets because it never pins a style). `code_verifier` is sent only for PKCE
// providers (even when empty, as PocketBase does). Throws TokenError for any answer that is not
// a usable token; net::FetchError and host exceptions pass through.
Token exchange_code(net::HttpClient& http, const Provider& p, std::string_view code, std::string_view redirect_url,
                    std::string_view code_verifier);

// Reads one token endpoint answer (exposed for tests). Throws TokenError.
Token parse_token_response(const net::OutResponse& res);

// The User-Agent of every outgoing OAuth2 request (some APIs, GitHub's, refuse requests
// without one).
inline constexpr std::string_view kUserAgent = "Larder-OAuth2";

}  // namespace larder::oauth2
