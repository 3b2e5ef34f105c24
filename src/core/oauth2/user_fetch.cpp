// User-info requests and the shared AuthUser fields (see user_fetch.h).
#include "core/oauth2/user_fetch.h"

#include "core/oauth2/go_json.h"
#include "core/oauth2/token.h"
#include "core/util/datetime.h"

namespace larder::oauth2 {

namespace {

// x/oauth2 treats a token as expired 10 seconds before its expiry.
constexpr int64_t kExpiryDeltaMs = 10'000;

}  // namespace

net::OutResponse authorized_get(net::HttpClient& http, const Token& t, const std::string& url,
                                const std::vector<std::pair<std::string, std::string>>& extra_headers) {
  return authorized_request(http, t, "GET", url, {}, extra_headers);
}

net::OutResponse authorized_request(net::HttpClient& http, const Token& t, std::string method, const std::string& url,
                                    std::string body,
                                    const std::vector<std::pair<std::string, std::string>>& extra_headers) {
  if (t.expires_in != 0 && t.obtained_unix_ms + t.expires_in * 1000 - kExpiryDeltaMs <= util::now_utc().unix_ms) {
    // x/oauth2 would try a refresh here; PocketBase's flow never gets a usable token that way
    // without a refresh token, and a refresh would be one more request to replay, so refuse.
    throw UserError("oauth2: token expired");
  }
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) throw UserError("unsupported user info URL");
  net::OutRequest req;
  req.method = std::move(method);
  req.url = url;
  req.body = std::move(body);
  req.headers.set("Authorization", t.type() + " " + t.access_token);
  req.headers.set("User-Agent", std::string(kUserAgent));
  for (const auto& [k, v] : extra_headers) req.headers.set(k, v);
  return http.fetch(req);
}

std::string fetch_raw_user_info(net::HttpClient& http, const Provider& p, const Token& t,
                                const std::vector<std::pair<std::string, std::string>>& extra_headers) {
  net::OutResponse res = authorized_get(http, t, p.user_info_url, extra_headers);
  // Only >= 400 is an error: Go's client does not treat other statuses as failures.
  if (res.status >= 400) throw UserError("failed to fetch OAuth2 user profile (" + std::to_string(res.status) + ")");
  return std::move(res.body);
}

std::string post_raw_user_info(net::HttpClient& http, const Provider& p, const Token& t, std::string json_body) {
  net::OutResponse res =
      authorized_request(http, t, "POST", p.user_info_url, std::move(json_body), {{"Content-Type", "application/json"}});
  if (res.status >= 400) throw UserError("failed to fetch OAuth2 user profile (" + std::to_string(res.status) + ")");
  return std::move(res.body);
}

AuthUser base_user(json::Value raw_user, const Token& t) {
  AuthUser u;
  u.raw_user = std::move(raw_user);
  u.access_token = t.access_token;
  u.refresh_token = t.refresh_token;
  if (t.expires_in != 0) u.expiry = util::format_datetime(util::DateTime{t.obtained_unix_ms + t.expires_in * 1000});
  return u;
}

AuthUser fetch_auth_user(net::HttpClient& http, const Provider& p, const Token& t) {
  if (!p.spec || !p.spec->map_user) throw UserError("provider has no user mapping");
  try {
    return p.spec->map_user(http, p, t);
  } catch (const gojson::DecodeError& e) {
    throw UserError(e.what());
  }
}

}  // namespace larder::oauth2
