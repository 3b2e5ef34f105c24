// Fetching the OAuth2 user: the authorised GET requests providers make with the access token,
// and the parts of an AuthUser every provider fills the same way.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/net/http_client.h"
#include "core/oauth2/provider.h"

namespace larder::oauth2 {

// The provider's user, via its mapper. Throws UserError (malformed or refused answers included);
// net::FetchError and host exceptions pass through.
AuthUser fetch_auth_user(net::HttpClient& http, const Provider& p, const Token& t);

// A GET with "Authorization: <type> <access token>", as the oauth2 http.Client sends it. A token
// that is already expired (10 s early, as x/oauth2 counts) is refused without a request.
net::OutResponse authorized_get(net::HttpClient& http, const Token& t, const std::string& url,
                                const std::vector<std::pair<std::string, std::string>>& extra_headers = {});
// The same with any method and body (linear and monday ask GraphQL over POST).
net::OutResponse authorized_request(net::HttpClient& http, const Token& t, std::string method, const std::string& url,
                                    std::string body,
                                    const std::vector<std::pair<std::string, std::string>>& extra_headers = {});

// BaseProvider.FetchRawUserInfo: GET p.user_info_url; a status >= 400 is a UserError.
std::string fetch_raw_user_info(net::HttpClient& http, const Provider& p, const Token& t,
                                const std::vector<std::pair<std::string, std::string>>& extra_headers = {});
// The same as a POST of a JSON body (Content-Type: application/json).
std::string post_raw_user_info(net::HttpClient& http, const Provider& p, const Token& t, std::string json_body);

// An AuthUser with rawUser, the tokens and the expiry filled in.
AuthUser base_user(json::Value raw_user, const Token& t);

}  // namespace larder::oauth2
