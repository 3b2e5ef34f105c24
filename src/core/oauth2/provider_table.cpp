// The built-in providers: endpoints and scopes (PocketBase's tools/auth/*.go and the
// golang.org/x/oauth2 endpoint constants they use) and each provider's user-info mapping.
//
// Every provider PocketBase v0.39 ships: oidc/oidc2/oidc3, apple, google, microsoft, yandex,
// facebook, instagram2, github, gitlab, bitbucket, gitee, gitea, discord, twitter, kakao, vk,
// linear, notion, monday, lark, box, spotify, trakt, twitch, patreon, strava, wakatime, livechat,
// mailcow, planningcenter. Extra requests some make: bitbucket/gitea/gitee emails lists, github's
// too; headers: twitch Client-Id, notion Notion-Version, trakt API key/version; linear and monday
// POST a GraphQL query.
#include <string>

#include "core/crypto/compare.h"
#include "core/oauth2/go_json.h"
#include "core/oauth2/id_token.h"
#include "core/oauth2/jwks.h"
#include "core/oauth2/provider.h"
#include "core/oauth2/user_fetch.h"
#include "core/record/fields/common.h"
#include "core/util/datetime.h"

namespace larder::oauth2 {

namespace {

namespace gj = gojson;

int64_t now_unix() { return util::now_utc().unix_ms / 1000; }

// The user-info answer as PocketBase reads it twice: into map[string]any (rawUser) and into the
// provider's struct (the same JSON object here).
json::Value user_info_object(net::HttpClient& http, const Provider& p, const Token& t,
                             const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  return gj::parse_object(fetch_raw_user_info(http, p, t, headers));
}

// --- OIDC --------------------------------------------------------------------------------------

// cast.ToStringSlice: an array's elements as strings, or a string split on whitespace.
std::vector<std::string> string_slice(const json::Value* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_array()) {
    for (const auto& e : v->as_array()) {
      if (e.is_string()) out.push_back(e.as_string());
      else if (e.is_number()) out.push_back(json::format_number(e.as_number()));
      else if (e.is_bool()) out.push_back(e.as_bool() ? "true" : "false");
    }
  } else if (v->is_string()) {
    std::string cur;
    for (char c : v->as_string()) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        if (!cur.empty()) out.push_back(std::move(cur));
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
  }
  return out;
}

json::Value oidc_claims(net::HttpClient& http, const Provider& p, const Token& t) {
  // PocketBase reads the id_token with a type assertion that panics when it is absent or not a
  // string (a 500); here that is an ordinary user-fetch failure.
  auto id_token = t.extra_string("id_token");
  if (!id_token) throw UserError("missing id_token");
  json::Value claims = id_token_claims(*id_token, p.client_id, now_unix());
  const json::Value* extra_issuers = p.extra.is_object() ? p.extra.find("issuers") : nullptr;
  std::vector<std::string> issuers = string_slice(extra_issuers);
  if (!issuers.empty()) {
    const json::Value* iss = claims.find("iss");
    std::string claim = iss && iss->is_string() ? iss->as_string() : std::string();
    bool ok = false;
    for (const auto& i : issuers) ok = crypto::constant_time_equals(claim, i) || ok;
    if (!ok) throw UserError("id_token: unexpected iss");
  }
  // extra.jwksURL (cast.ToString: strings, numbers and bools count) asks for the signature check.
  const json::Value* jwks = p.extra.is_object() ? p.extra.find("jwksURL") : nullptr;
  std::string jwks_url;
  if (jwks && jwks->is_string()) jwks_url = jwks->as_string();
  else if (jwks && jwks->is_number()) jwks_url = json::format_number(jwks->as_number());
  else if (jwks && jwks->is_bool()) jwks_url = jwks->as_bool() ? "true" : "false";
  if (!jwks_url.empty()) validate_token_signature(http, *id_token, jwks_url, now_unix());
  return claims;
}

AuthUser map_oidc(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = p.user_info_url.empty() ? oidc_claims(http, p, t) : user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "sub");
  u.name = gj::str(raw, "name");
  u.username = gj::str(raw, "preferred_username");
  u.avatar_url = gj::str(raw, "picture");
  std::string email = gj::str(raw, "email");
  // email_verified is read loosely: some providers send "true" as a string.
  if (gj::cast_to_bool(gj::member(raw, "email_verified"))) u.email = email;
  return u;
}

// --- Apple ---------------------------------------------------------------------------------------

constexpr std::string_view kAppleIssuer = "https://appleid.apple.com";
constexpr std::string_view kAppleJwksUrl = "https://appleid.apple.com/auth/keys";

// Apple's key set. PocketBase has no way to point it elsewhere; Larder reads extra.jwksURL for
// apple only when it is a loopback http(s) URL, so the SDK tests can sign id_tokens with a local
// provider while a production config can never swap Apple's keys for remote ones.
std::string apple_jwks_url(const Provider& p) {
  const json::Value* v = p.extra.is_object() ? p.extra.find("jwksURL") : nullptr;
  if (!v || !v->is_string()) return std::string(kAppleJwksUrl);
  const std::string& url = v->as_string();
  // No userinfo or backslash tricks ("http://127.0.0.1:@evil.example/" is evil.example).
  if (url.find_first_of("@\\") != std::string::npos) return std::string(kAppleJwksUrl);
  for (std::string_view prefix : {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/",
                                   "http://[::1]:", "http://[::1]/", "https://127.0.0.1:", "https://127.0.0.1/",
                                   "https://localhost:", "https://localhost/", "https://[::1]:", "https://[::1]/"}) {
    if (url.rfind(prefix, 0) == 0) return url;
  }
  return std::string(kAppleJwksUrl);
}

// Apple has no user-info endpoint: the user is the id_token's claims (validated as Apple
// documents: exp required, iss Apple's, aud the client id, then the JWKS signature).
json::Value apple_claims(net::HttpClient& http, const Provider& p, const Token& t) {
  std::string id_token = t.extra_string("id_token").value_or("");
  if (id_token.empty()) throw UserError("empty id_token");
  json::Value claims = id_token_claims(id_token, p.client_id, now_unix());
  const json::Value* exp = claims.find("exp");
  if (!exp || exp->is_null()) throw UserError("id_token: exp claim is required");
  const json::Value* iss = claims.find("iss");
  std::string claim = iss && iss->is_string() ? iss->as_string() : std::string();
  if (iss && !iss->is_null() && !iss->is_string()) throw UserError("id_token: invalid type for claim iss");
  if (!crypto::constant_time_equals(claim, kAppleIssuer)) throw UserError("id_token has invalid issuer");
  validate_token_signature(http, id_token, apple_jwks_url(p), now_unix());
  return claims;
}

AuthUser map_apple(net::HttpClient& http, const Provider& p, const Token& t) {
  // The claims go through json.Marshal and back in PocketBase; the object is the same here.
  json::Value raw = apple_claims(http, p, t);
  AuthUser u = base_user(raw, t);
  std::string email = gj::str(raw, "email");
  u.id = gj::str(raw, "sub");
  // Not in the id_token today; the redirect's `user` form field supplies it (api layer).
  u.name = gj::str(raw, "name");
  if (gj::cast_to_bool(gj::member(raw, "email_verified"))) u.email = email;
  return u;
}

// --- Google --------------------------------------------------------------------------------------

AuthUser map_google(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "sub");
  u.name = gj::str(raw, "name");
  u.avatar_url = gj::str(raw, "picture");
  std::string email = gj::str(raw, "email");
  if (gj::boolean(raw, "email_verified")) u.email = email;
  return u;
}

// --- GitHub --------------------------------------------------------------------------------------

// The verified primary address from /user/emails. Missing scope answers (401/403/404) mean
// "no email", not a failure.
std::string github_primary_email(net::HttpClient& http, const Provider& p, const Token& t) {
  net::OutResponse res = authorized_get(http, t, p.user_info_url + "/emails");
  if (res.status == 401 || res.status == 403 || res.status == 404) return {};
  json::Value list;
  try {
    list = json::parse(res.body);
  } catch (const json::ParseError& e) {
    throw UserError(std::string("emails: invalid JSON: ") + e.what());
  }
  if (list.is_null()) return {};
  if (!list.is_array()) throw UserError("emails: not a list");
  for (const auto& e : list.as_array()) {
    std::string email = gj::str(e, "email");
    bool verified = gj::boolean(e, "verified");
    bool primary = gj::boolean(e, "primary");
    if (verified && primary) return email;
  }
  return {};
}

AuthUser map_github(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.name = gj::str(raw, "name");
  u.username = gj::str(raw, "login");
  u.avatar_url = gj::str(raw, "avatar_url");
  u.id = gj::int64_text(raw, "id");
  // Always asked separately: the profile's email may be unverified on enterprise setups.
  u.email = github_primary_email(http, p, t);
  return u;
}

// --- GitLab --------------------------------------------------------------------------------------

// time.Parse(time.RFC3339, s) succeeding with a non-zero time.
bool rfc3339_non_zero(const std::string& s) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
  char z = s.back();
  bool zone = z == 'Z' || (s.size() >= 25 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-') && s[s.size() - 3] == ':');
  if (!zone) return false;
  auto dt = util::parse_datetime(s);
  return dt && s.rfind("0001-01-01T00:00:00", 0) != 0;
}

AuthUser map_gitlab(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.name = gj::str(raw, "name");
  u.username = gj::str(raw, "username");
  std::string email = gj::str(raw, "email");
  u.avatar_url = gj::str(raw, "avatar_url");
  std::string confirmed_at = gj::str(raw, "confirmed_at");
  u.id = gj::int64_text(raw, "id");
  if (rfc3339_non_zero(confirmed_at)) u.email = email;
  return u;
}

// --- Discord -------------------------------------------------------------------------------------

AuthUser map_discord(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  std::string id = gj::str(raw, "id"), global_name = gj::str(raw, "global_name"),
              username = gj::str(raw, "username"), discriminator = gj::str(raw, "discriminator"),
              avatar = gj::str(raw, "avatar"), email = gj::str(raw, "email");
  bool verified = gj::boolean(raw, "verified");
  u.id = id;
  u.username = username;
  if (!avatar.empty()) u.avatar_url = "https://cdn.discordapp.com/avatars/" + id + "/" + avatar + ".png";
  u.name = global_name;
  if (u.name.empty()) {
    // Legacy accounts still carry a discriminator ("name#1234").
    u.name = username;
    if (!discriminator.empty() && discriminator != "0") u.name += "#" + discriminator;
  }
  if (verified) u.email = email;
  return u;
}

// --- Microsoft -----------------------------------------------------------------------------------

// The id_token claims, or null when there is none or it does not validate (PocketBase ignores
// those errors and simply finds no email).
json::Value microsoft_claims(const Token& t) {
  auto id_token = t.extra_string("id_token");
  if (!id_token || id_token->empty()) return json::Value();
  try {
    return id_token_claims(*id_token, "", now_unix());
  } catch (const UserError&) {
    return json::Value();
  }
}

std::string claim_string(const json::Value& claims, std::string_view key) {
  const json::Value* v = claims.is_object() ? claims.find(key) : nullptr;
  return v && v->is_string() ? v->as_string() : std::string();
}

std::string microsoft_xms_edov_email(const Token& t) {
  json::Value claims = microsoft_claims(t);
  if (!gj::cast_to_bool(claims.is_object() ? claims.find("xms_edov") : nullptr)) return {};
  return claim_string(claims, "email");
}

AuthUser map_microsoft(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "id");
  u.name = gj::str(raw, "displayName");
  std::string mail = gj::str(raw, "mail");
  // Which email to trust is the app's choice (extra.idTokenEmailClaim); the default keeps the
  // Graph `mail`, as PocketBase does for single-tenant apps.
  const json::Value* mode_v = p.extra.is_object() ? p.extra.find("idTokenEmailClaim") : nullptr;
  // A non-string setting matches no mode (Go compares the raw value with strings).
  std::string mode = mode_v && mode_v->is_string() ? mode_v->as_string() : std::string();
  if (mode == "any_verified") {
    u.email = claim_string(microsoft_claims(t), "verified_primary_email");
    if (u.email.empty()) u.email = microsoft_xms_edov_email(t);
  } else if (mode == "verified_primary_email") {
    u.email = claim_string(microsoft_claims(t), "verified_primary_email");
  } else if (mode == "email_and_xms_edov") {
    u.email = microsoft_xms_edov_email(t);
  } else if (mode == "email") {
    u.email = claim_string(microsoft_claims(t), "email");
  } else {
    u.email = mail;
  }
  return u;
}

// --- Facebook ------------------------------------------------------------------------------------

AuthUser map_facebook(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "id");
  u.name = gj::str(raw, "name");
  u.email = gj::str(raw, "email");
  const json::Value& picture = gj::object(raw, "picture");
  u.avatar_url = gj::str(gj::object(picture, "data"), "url");
  return u;
}

// --- Spotify -------------------------------------------------------------------------------------

AuthUser map_spotify(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "id");
  u.name = gj::str(raw, "display_name");
  const json::Array& images = gj::array(raw, "images");
  std::vector<std::string> urls;
  for (const auto& img : images) urls.push_back(gj::str(img, "url"));
  if (!urls.empty()) u.avatar_url = urls.front();
  return u;
}

// --- Yandex --------------------------------------------------------------------------------------

AuthUser map_yandex(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "id");
  u.name = gj::str(raw, "real_name");
  u.username = gj::str(raw, "login");
  u.email = gj::str(raw, "default_email");
  bool no_avatar = gj::boolean(raw, "is_avatar_empty");
  std::string avatar_id = gj::str(raw, "default_avatar_id");
  if (!no_avatar) u.avatar_url = "https://avatars.yandex.net/get-yapic/" + avatar_id + "/islands-200";
  return u;
}

// --- Kakao ---------------------------------------------------------------------------------------

AuthUser map_kakao(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  const json::Value& profile = gj::object(raw, "properties");
  const json::Value& account = gj::object(raw, "kakao_account");
  u.username = gj::str(profile, "nickname");
  u.avatar_url = gj::str(profile, "profile_image");
  std::string email = gj::str(account, "email");
  bool verified = gj::boolean(account, "is_email_verified");
  bool valid = gj::boolean(account, "is_email_valid");
  u.id = gj::int64_text(raw, "id");
  if (valid && verified) u.email = email;
  return u;
}

// --- Twitch --------------------------------------------------------------------------------------

AuthUser map_twitch(net::HttpClient& http, const Provider& p, const Token& t) {
  // Helix wants the app's client id next to the token.
  json::Value raw = user_info_object(http, p, t, {{"Client-Id", p.client_id}});
  const json::Array& data = gj::array(raw, "data");
  std::vector<AuthUser> users;
  for (const auto& d : data) {
    AuthUser u = base_user(raw, t);
    u.id = gj::str(d, "id");
    u.username = gj::str(d, "login");
    u.name = gj::str(d, "display_name");
    u.email = gj::str(d, "email");
    u.avatar_url = gj::str(d, "profile_image_url");
    users.push_back(std::move(u));
  }
  if (users.empty()) throw UserError("failed to fetch AuthUser data");
  return users.front();
}

// --- Instagram -----------------------------------------------------------------------------------

AuthUser map_instagram(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  // The granted permissions come with the token, not the profile: rawUser gets them when the
  // profile has none.
  if (!raw.find("permissions")) {
    if (auto perms = t.extra("permissions")) raw.as_object().set("permissions", std::move(*perms));
  }
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "user_id");
  u.name = gj::str(raw, "name");
  u.username = gj::str(raw, "username");
  u.avatar_url = gj::str(raw, "profile_picture_url");
  return u;
}

// --- Bitbucket -----------------------------------------------------------------------------------

// The primary confirmed address from <user info>/emails; any error status means "no email".
std::string bitbucket_primary_email(net::HttpClient& http, const Provider& p, const Token& t) {
  net::OutResponse res = authorized_get(http, t, p.user_info_url + "/emails");
  if (res.status >= 400) return {};
  json::Value list = gj::parse_any(res.body);
  for (const auto& v : gj::array(list, "values")) {
    std::string email = gj::str(v, "email");
    bool primary = gj::boolean(v, "is_primary"), confirmed = gj::boolean(v, "is_confirmed");
    if (primary && confirmed) return email;
  }
  return {};
}

AuthUser map_bitbucket(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "uuid");
  u.username = gj::str(raw, "username");
  u.name = gj::str(raw, "display_name");
  std::string status = gj::str(raw, "account_status");
  u.avatar_url = gj::str(gj::object(gj::object(raw, "links"), "avatar"), "href");
  if (status != "active") throw UserError("the Bitbucket user is not active");
  u.email = bitbucket_primary_email(http, p, t);
  return u;
}

// --- Gitee ---------------------------------------------------------------------------------------

// Gitee's own emails endpoint (fixed, whatever the user-info URL): a confirmed primary address in
// email format. Unreadable answers mean "no email" here, unlike the profile itself.
std::string gitee_primary_email(net::HttpClient& http, const Token& t) {
  net::OutResponse res = authorized_get(http, t, "https://gitee.com/api/v5/emails");
  if (res.status == 401 || res.status == 403 || res.status == 404) return {};
  try {
    json::Value list = gj::parse_any(res.body);
    if (!list.is_null() && !list.is_array()) return {};
    std::string found;
    bool have = false;
    for (const auto& e : list.is_array() ? list.as_array() : json::Array{}) {
      std::string email = gj::str(e, "email"), state = gj::str(e, "state");
      for (const auto& scope : gj::array(e, "scope")) {
        if (!scope.is_string() && !scope.is_null()) throw gj::DecodeError("scope: not a string");
        bool primary = scope.is_string() && scope.as_string() == "primary";
        if (!have && state == "confirmed" && primary && (email.empty() || record::fields::is_email_format(email))) {
          found = email;
          have = true;
        }
      }
    }
    return found;
  } catch (const gj::DecodeError&) {
    return {};
  }
}

AuthUser map_gitee(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.username = gj::str(raw, "login");
  u.name = gj::str(raw, "name");
  std::string email = gj::str(raw, "email");
  u.avatar_url = gj::str(raw, "avatar_url");
  u.id = gj::int64_text(raw, "id");
  // A well-formed profile email is taken as it is (as PocketBase does); otherwise the list.
  if (!email.empty() && record::fields::is_email_format(email)) u.email = email;
  else u.email = gitee_primary_email(http, t);
  return u;
}

// --- Gitea / Forgejo -----------------------------------------------------------------------------

std::string gitea_primary_email(net::HttpClient& http, const Provider& p, const Token& t) {
  net::OutResponse res = authorized_get(http, t, p.user_info_url + "/emails");
  if (res.status == 401 || res.status == 403 || res.status == 404) return {};
  json::Value list = gj::parse_any(res.body);
  if (list.is_null()) return {};
  if (!list.is_array()) throw UserError("emails: not a list");
  std::string found;
  bool have = false;
  for (const auto& e : list.as_array()) {
    std::string email = gj::str(e, "email");
    bool verified = gj::boolean(e, "verified"), primary = gj::boolean(e, "primary");
    if (!have && verified && primary) {
      found = email;
      have = true;
    }
  }
  return found;
}

AuthUser map_gitea(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.name = gj::str(raw, "full_name");
  u.username = gj::str(raw, "login");
  u.avatar_url = gj::str(raw, "avatar_url");
  u.id = gj::int64_text(raw, "id");
  if (!gj::boolean(raw, "active")) throw UserError("user account is not active");
  u.email = gitea_primary_email(http, p, t);
  return u;
}

// --- X/Twitter -----------------------------------------------------------------------------------

AuthUser map_twitter(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  const json::Value& d = gj::object(raw, "data");
  u.id = gj::str(d, "id");
  u.name = gj::str(d, "name");
  u.username = gj::str(d, "username");
  // Only asked for confirmed_email: X answers it for confirmed addresses alone.
  u.email = gj::str(d, "confirmed_email");
  u.avatar_url = gj::str(d, "profile_image_url");
  return u;
}

// --- VK ------------------------------------------------------------------------------------------

std::string trim_space(std::string s) {
  const char* ws = " \t\n\r\v\f";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

AuthUser map_vk(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  struct Entry {
    std::string id, first, last, username, avatar;
  };
  std::vector<Entry> entries;
  for (const auto& r : gj::array(raw, "response")) {
    Entry e;
    e.id = gj::int64_text(r, "id");
    e.first = gj::str(r, "first_name");
    e.last = gj::str(r, "last_name");
    e.username = gj::str(r, "screen_name");
    e.avatar = gj::str(r, "photo_max");
    entries.push_back(std::move(e));
  }
  if (entries.empty()) throw UserError("missing response entry");
  AuthUser u = base_user(raw, t);
  u.id = entries[0].id;
  u.name = trim_space(entries[0].first + " " + entries[0].last);
  u.username = entries[0].username;
  u.avatar_url = entries[0].avatar;
  // VK hands the (verified) email out with the token, not the profile.
  bool go_int = false;
  if (auto email = t.extra("email", &go_int)) u.email = gj::sprint(*email, go_int);
  return u;
}

// --- Linear --------------------------------------------------------------------------------------

AuthUser map_linear(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = gj::parse_object(
      post_raw_user_info(http, p, t, R"({"query": "query Me { viewer { id displayName name email avatarUrl active } }"})"));
  AuthUser u = base_user(raw, t);
  const json::Value& v = gj::object(gj::object(raw, "data"), "viewer");
  u.id = gj::str(v, "id");
  u.username = gj::str(v, "displayName");
  u.name = gj::str(v, "name");
  u.email = gj::str(v, "email");
  u.avatar_url = gj::str(v, "avatarUrl");
  if (!gj::boolean(v, "active")) throw UserError("the Linear user account is not active");
  return u;
}

// --- Notion --------------------------------------------------------------------------------------

AuthUser map_notion(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t, {{"Notion-Version", "2022-06-28"}});
  AuthUser u = base_user(raw, t);
  // Every field of the struct PocketBase decodes into, so a wrongly typed one fails alike.
  (void)gj::str(raw, "avatar_url");
  (void)gj::str(raw, "id");
  (void)gj::str(raw, "name");
  (void)gj::str(raw, "object");
  (void)gj::str(raw, "request_id");
  (void)gj::str(raw, "type");
  const json::Value& bot = gj::object(raw, "bot");
  (void)gj::str(bot, "workspace_name");
  const json::Value& owner = gj::object(bot, "owner");
  (void)gj::str(owner, "type");
  // The integration's owner is the signing-in person.
  const json::Value& user = gj::object(owner, "user");
  u.avatar_url = gj::str(user, "avatar_url");
  u.id = gj::str(user, "id");
  u.name = gj::str(user, "name");
  u.email = gj::str(gj::object(user, "person"), "email");
  return u;
}

// --- monday.com ----------------------------------------------------------------------------------

AuthUser map_monday(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw =
      gj::parse_object(post_raw_user_info(http, p, t, R"({"query": "query { me { id enabled name email is_verified photo_small }}"})"));
  AuthUser u = base_user(raw, t);
  const json::Value& me = gj::object(gj::object(raw, "data"), "me");
  u.id = gj::str(me, "id");
  bool enabled = gj::boolean(me, "enabled");
  u.name = gj::str(me, "name");
  std::string email = gj::str(me, "email");
  bool verified = gj::boolean(me, "is_verified");
  u.avatar_url = gj::str(me, "photo_small");
  if (!enabled) throw UserError("the monday.com user account is not enabled");
  if (verified) u.email = email;
  return u;
}

// --- Lark ----------------------------------------------------------------------------------------

AuthUser map_lark(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  const json::Value& d = gj::object(raw, "data");
  // union_id: the same person across the developer's apps. No email: Lark does not vouch for it.
  u.id = gj::str(d, "union_id");
  u.name = gj::str(d, "name");
  u.avatar_url = gj::str(d, "avatar_url");
  return u;
}

// --- Box -----------------------------------------------------------------------------------------

AuthUser map_box(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "id");
  u.name = gj::str(raw, "name");
  std::string login = gj::str(raw, "login");
  u.avatar_url = gj::str(raw, "avatar_url");
  std::string status = gj::str(raw, "status");
  if (status != "active") throw UserError("Box user account is not active (status: \"" + status + "\")");
  // Box lets only verified addresses authorise, so the login is the email.
  u.email = login;
  return u;
}

// --- Trakt ---------------------------------------------------------------------------------------

AuthUser map_trakt(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(
      http, p, t, {{"Content-Type", "application/json"}, {"trakt-api-key", p.client_id}, {"trakt-api-version", "2"}});
  AuthUser u = base_user(raw, t);
  const json::Value& user = gj::object(raw, "user");
  u.username = gj::str(user, "username");
  u.name = gj::str(user, "name");
  const json::Value& ids = gj::object(user, "ids");
  (void)gj::str(ids, "slug");
  u.id = gj::str(ids, "uuid");
  u.avatar_url = gj::str(gj::object(gj::object(user, "images"), "avatar"), "full");
  return u;
}

// --- Patreon -------------------------------------------------------------------------------------

AuthUser map_patreon(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  const json::Value& d = gj::object(raw, "data");
  u.id = gj::str(d, "id");
  const json::Value& a = gj::object(d, "attributes");
  std::string email = gj::str(a, "email");
  u.name = gj::str(a, "full_name");
  u.username = gj::str(a, "vanity");
  u.avatar_url = gj::str(a, "image_url");
  if (gj::boolean(a, "is_email_verified")) u.email = email;
  return u;
}

// --- Strava --------------------------------------------------------------------------------------

AuthUser map_strava(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  std::string id = gj::int64_text(raw, "id");
  // No trimming: a missing last name leaves the trailing space, as in PocketBase.
  u.name = gj::str(raw, "firstname") + " " + gj::str(raw, "lastname");
  u.username = gj::str(raw, "username");
  u.avatar_url = gj::str(raw, "profile");
  if (id != "0") u.id = id;
  return u;
}

// --- WakaTime ------------------------------------------------------------------------------------

AuthUser map_wakatime(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  const json::Value& d = gj::object(raw, "data");
  u.id = gj::str(d, "id");
  u.name = gj::str(d, "display_name");
  u.username = gj::str(d, "username");
  std::string email = gj::str(d, "email"), photo = gj::str(d, "photo");
  bool photo_public = gj::boolean(d, "photo_public"), confirmed = gj::boolean(d, "is_email_confirmed");
  if (confirmed) u.email = email;
  if (photo_public) u.avatar_url = photo;
  return u;
}

// --- LiveChat ------------------------------------------------------------------------------------

AuthUser map_livechat(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "account_id");
  u.name = gj::str(raw, "name");
  std::string email = gj::str(raw, "email");
  bool verified = gj::boolean(raw, "email_verified");
  u.avatar_url = gj::str(raw, "avatar_url");
  if (verified) u.email = email;
  return u;
}

// --- mailcow -------------------------------------------------------------------------------------

AuthUser map_mailcow(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  u.id = gj::str(raw, "id");
  u.username = gj::str(raw, "username");
  // A mailbox server: its addresses are its own, hence trusted as they are.
  u.email = gj::str(raw, "email");
  u.name = gj::str(raw, "full_name");
  if (gj::int64_text(raw, "active") != "1") throw UserError("the mailcow user is not active");
  // The username is the mailbox address; its local part is the username.
  if (size_t at = u.username.find('@'); at != std::string::npos) u.username.resize(at);
  return u;
}

// --- Planning Center -----------------------------------------------------------------------------

AuthUser map_planningcenter(net::HttpClient& http, const Provider& p, const Token& t) {
  json::Value raw = user_info_object(http, p, t);
  AuthUser u = base_user(raw, t);
  const json::Value& d = gj::object(raw, "data");
  u.id = gj::str(d, "id");
  const json::Value& a = gj::object(d, "attributes");
  std::string status = gj::str(a, "status");
  u.name = gj::str(a, "name");
  u.avatar_url = gj::str(a, "avatar");
  if (status != "active") throw UserError("the user is not active");
  return u;
}

// Name, display name, order, PKCE, scopes, auth URL, token URL, user-info URL, mapping.
const ProviderSpec kProviders[] = {
    // No user-info endpoint: the id_token is the user (map_apple).
    {"apple", "Apple", 1, true, "name email", "https://appleid.apple.com/auth/authorize",
     "https://appleid.apple.com/auth/token", "", map_apple},
    {"google", "Google", 2, true,
     "https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/userinfo.email",
     "https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
     "https://www.googleapis.com/oauth2/v3/userinfo", map_google},
    {"microsoft", "Microsoft", 3, true, "User.Read",
     "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
     "https://login.microsoftonline.com/common/oauth2/v2.0/token", "https://graph.microsoft.com/v1.0/me",
     map_microsoft},
    {"yandex", "Yandex", 4, true, "login:email login:avatar login:info", "https://oauth.yandex.com/authorize",
     "https://oauth.yandex.com/token", "https://login.yandex.ru/info", map_yandex},
    {"facebook", "Facebook", 5, true, "email", "https://www.facebook.com/v3.2/dialog/oauth",
     "https://graph.facebook.com/v3.2/oauth/access_token",
     "https://graph.facebook.com/me?fields=name,email,picture.type(large)", map_facebook},
    {"instagram2", "Instagram", 6, true, "instagram_business_basic", "https://www.instagram.com/oauth/authorize",
     "https://api.instagram.com/oauth/access_token",
     "https://graph.instagram.com/me?fields=id,username,account_type,user_id,name,profile_picture_url,followers_count,"
     "follows_count,media_count",
     map_instagram},
    {"github", "GitHub", 7, true, "read:user user:email", "https://github.com/login/oauth/authorize",
     "https://github.com/login/oauth/access_token", "https://api.github.com/user", map_github},
    {"gitlab", "GitLab", 8, true, "read_user", "https://gitlab.com/oauth/authorize", "https://gitlab.com/oauth/token",
     "https://gitlab.com/api/v4/user", map_gitlab},
    {"bitbucket", "Bitbucket", 9, false, "account", "https://bitbucket.org/site/oauth2/authorize",
     "https://bitbucket.org/site/oauth2/access_token", "https://api.bitbucket.org/2.0/user", map_bitbucket},
    {"gitee", "Gitee", 10, true, "user_info emails", "https://gitee.com/oauth/authorize", "https://gitee.com/oauth/token",
     "https://gitee.com/api/v5/user", map_gitee},
    {"gitea", "Gitea/Forgejo", 11, true, "read:user user:email", "https://gitea.com/login/oauth/authorize",
     "https://gitea.com/login/oauth/access_token", "https://gitea.com/api/v1/user", map_gitea},
    {"discord", "Discord", 12, true, "identify email", "https://discord.com/api/oauth2/authorize",
     "https://discord.com/api/oauth2/token", "https://discord.com/api/users/@me", map_discord},
    {"twitter", "X/Twitter", 13, true, "users.read users.email tweet.read", "https://x.com/i/oauth2/authorize",
     "https://api.x.com/2/oauth2/token",
     "https://api.x.com/2/users/me?user.fields=id,name,username,profile_image_url,confirmed_email", map_twitter},
    {"kakao", "Kakao", 14, true, "account_email profile_nickname profile_image",
     "https://kauth.kakao.com/oauth/authorize", "https://kauth.kakao.com/oauth/token",
     "https://kapi.kakao.com/v2/user/me", map_kakao},
    // VK and Linear refuse requests carrying PKCE parameters.
    {"vk", "ВКонтакте", 15, false, "email", "https://oauth.vk.com/authorize", "https://oauth.vk.com/access_token",
     "https://api.vk.com/method/users.get?fields=photo_max,screen_name&v=5.131", map_vk},
    {"linear", "Linear", 16, false, "read", "https://linear.app/oauth/authorize", "https://api.linear.app/oauth/token",
     "https://api.linear.app/graphql", map_linear},
    {"notion", "Notion", 17, true, "", "https://api.notion.com/v1/oauth/authorize",
     "https://api.notion.com/v1/oauth/token", "https://api.notion.com/v1/users/me", map_notion},
    {"monday", "monday.com", 18, true, "me:read", "https://auth.monday.com/oauth2/authorize",
     "https://auth.monday.com/oauth2/token", "https://api.monday.com/v2", map_monday},
    {"lark", "Lark", 19, true, "", "https://accounts.feishu.cn/open-apis/authen/v1/authorize",
     "https://open.feishu.cn/open-apis/authen/v2/oauth/token", "https://open.feishu.cn/open-apis/authen/v1/user_info",
     map_lark},
    {"box", "Box", 20, true, "root_readonly", "https://account.box.com/api/oauth2/authorize",
     "https://api.box.com/oauth2/token", "https://api.box.com/2.0/users/me", map_box},
    {"spotify", "Spotify", 21, true, "user-read-private", "https://accounts.spotify.com/authorize",
     "https://accounts.spotify.com/api/token", "https://api.spotify.com/v1/me", map_spotify},
    {"trakt", "Trakt", 22, true, "", "https://trakt.tv/oauth/authorize", "https://api.trakt.tv/oauth/token",
     "https://api.trakt.tv/users/settings", map_trakt},
    {"twitch", "Twitch", 23, true, "user:read:email", "https://id.twitch.tv/oauth2/authorize",
     "https://id.twitch.tv/oauth2/token", "https://api.twitch.tv/helix/users", map_twitch},
    {"patreon", "Patreon", 24, true, "identity identity[email]", "https://www.patreon.com/oauth2/authorize",
     "https://www.patreon.com/api/oauth2/token",
     "https://www.patreon.com/api/oauth2/v2/identity?fields%5Buser%5D=full_name,email,vanity,image_url,is_email_verified",
     map_patreon},
    {"strava", "Strava", 25, true, "profile:read_all", "https://www.strava.com/oauth/authorize",
     "https://www.strava.com/api/v3/oauth/token", "https://www.strava.com/api/v3/athlete", map_strava},
    {"wakatime", "WakaTime", 26, true, "email", "https://wakatime.com/oauth/authorize", "https://wakatime.com/oauth/token",
     "https://wakatime.com/api/v1/users/current", map_wakatime},
    // LiveChat's scopes are chosen in its dashboard, so none are asked for.
    {"livechat", "LiveChat", 27, true, "", "https://accounts.livechat.com/", "https://accounts.livechat.com/token",
     "https://accounts.livechat.com/v2/accounts/me", map_livechat},
    // Self-hosted: every URL comes from the collection config.
    {"mailcow", "mailcow", 28, true, "profile", "", "", "", map_mailcow},
    {"planningcenter", "Planning Center", 29, true, "people", "https://api.planningcenteronline.com/oauth/authorize",
     "https://api.planningcenteronline.com/oauth/token", "https://api.planningcenteronline.com/people/v2/me",
     map_planningcenter},
    // Generic OpenID Connect: every URL comes from the collection config.
    {"oidc", "OIDC", 99, true, "openid email profile", "", "", "", map_oidc},
    {"oidc2", "OIDC", 99, true, "openid email profile", "", "", "", map_oidc},
    {"oidc3", "OIDC", 99, true, "openid email profile", "", "", "", map_oidc},
};

}  // namespace

const ProviderSpec* find_spec(std::string_view name) {
  for (const auto& s : kProviders)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace larder::oauth2
