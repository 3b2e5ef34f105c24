// OAuth2 providers as PocketBase defines them (tools/auth/*.go): a table of built-in defaults
// (display name, order, PKCE, scopes, endpoints, how the user info maps to an AuthUser) merged
// with a collection's provider config (clientId/secret, URL and display-name overrides, pkce,
// extra), plus the pieces every provider shares: the authorization URL and the Token/AuthUser
// shapes.
//
// Only providers whose differences are data (URLs, scopes, a user-info mapping) are here; see
// provider_table.cpp for the list. A configured provider that is not in the table cannot be
// initialised: auth-methods leaves it out and auth-with-oauth2 answers 500, as PocketBase does
// for an unknown provider name.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json/json.h"
#include "core/net/http_client.h"
#include "core/schema/collection.h"

namespace larder::oauth2 {

// The code exchange failed (PocketBase: "Failed to fetch OAuth2 token.").
struct TokenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The user info could not be fetched or read (PocketBase: "Failed to fetch OAuth2 user.").
struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What the token endpoint answered (golang.org/x/oauth2's Token).
struct Token {
  std::string access_token, token_type, refresh_token;
  int64_t expires_in = 0;  // seconds from the exchange; 0 = no expiry given
  int64_t obtained_unix_ms = 0;
  json::Object raw;        // every field of the response (id_token lives here)
  bool form_encoded = false;  // the answer was a form (raw holds strings), not JSON

  // "Bearer" unless the server said otherwise (oauth2.Token.Type).
  std::string type() const;
  // Token.Extra(key) for a string value; nullopt when absent or not a string.
  std::optional<std::string> extra_string(std::string_view key) const;
  bool has_extra(std::string_view key) const { return raw.find(key) != nullptr; }
  // Token.Extra(key) as Go sees it: nullopt for nil (absent or JSON null). A form answer always
  // has a value (its first, "" when absent), numeric text read as int64 or float64: then
  // `go_int` says whether Go holds an int64 (fmt prints those differently).
  std::optional<json::Value> extra(std::string_view key, bool* go_int = nullptr) const;
};

// PocketBase's normalised OAuth2 user. `email` is set only when the provider vouches for it.
struct AuthUser {
  std::string id, name, username, email, avatar_url, access_token, refresh_token;
  std::string expiry;  // PocketBase datetime or ""
  json::Value raw_user = json::Value::object();

  // The response `meta`: the AuthUser marshalled and read back into a Go map (sorted keys,
  // `avatarUrl` duplicating `avatarURL`), plus isNew.
  json::Value to_meta(bool is_new) const;
};

struct Provider;
// Turns a token into an AuthUser, making whatever requests the provider needs.
using UserMapper = AuthUser (*)(net::HttpClient& http, const Provider& p, const Token& t);

struct ProviderSpec {
  std::string_view name;
  std::string_view display_name;
  int order;
  bool pkce;
  std::string_view scopes;  // space-separated
  std::string_view auth_url, token_url, user_info_url;
  UserMapper map_user;
};

// A provider ready to use: the spec with the collection's config applied (InitProvider).
struct Provider {
  const ProviderSpec* spec = nullptr;
  std::string name, display_name, client_id, client_secret, auth_url, token_url, user_info_url;
  bool pkce = false;
  std::vector<std::string> scopes;
  json::Value extra;  // null or object
};

// The built-in table entry for `name`, or nullptr.
const ProviderSpec* find_spec(std::string_view name);
// InitProvider: nullopt when the name is not a provider this build knows.
std::optional<Provider> init_provider(const schema::OAuth2Provider& cfg);

// oauth2.Config.AuthCodeURL with PocketBase's options: sorted query of client_id, the extra
// params, response_type=code, scope, state (no redirect_uri: the caller appends its own).
std::string build_auth_url(const Provider& p, std::string_view state,
                           const std::vector<std::pair<std::string, std::string>>& extra_params);

// Go's url.Values.Encode: keys sorted, QueryEscape'd pairs joined with '&'.
std::string form_encode(std::vector<std::pair<std::string, std::string>> values);
std::string query_escape(std::string_view s);

// A small initial-letter SVG used as every provider's logo (PocketBase ships vendor artwork,
// which Larder does not copy).
std::string provider_logo(std::string_view display_name);

}  // namespace larder::oauth2
