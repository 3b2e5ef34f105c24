// Provider initialisation, the authorization URL and the shared Token/AuthUser pieces
// (see provider.h).
#include "core/oauth2/provider.h"

#include <algorithm>
#include <charconv>

#include "core/http/headers.h"

namespace larder::oauth2 {

std::string Token::type() const {
  if (http::iequals(token_type, "bearer")) return "Bearer";
  if (http::iequals(token_type, "mac")) return "MAC";
  if (http::iequals(token_type, "basic")) return "Basic";
  return token_type.empty() ? "Bearer" : token_type;
}

std::optional<std::string> Token::extra_string(std::string_view key) const {
  const json::Value* v = raw.find(key);
  if (!v || !v->is_string()) return std::nullopt;
  return v->as_string();
}

std::optional<json::Value> Token::extra(std::string_view key, bool* go_int) const {
  if (go_int) *go_int = false;
  const json::Value* v = raw.find(key);
  if (!form_encoded) {
    if (!v || v->is_null()) return std::nullopt;
    return *v;
  }
  std::string s = v && v->is_string() ? v->as_string() : std::string();
  // x/oauth2 trims the text before its number parses, but keeps the untrimmed text otherwise.
  size_t b = s.find_first_not_of(" \t\n\r\v\f"), e = s.find_last_not_of(" \t\n\r\v\f");
  std::string t = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  auto dots = std::count(t.begin(), t.end(), '.');
  if (dots == 0 && !t.empty()) {
    // strconv.ParseInt(t, 10, 64): an optional sign, digits, in range.
    std::string_view d = t;
    if (d[0] == '+') d.remove_prefix(1);
    int64_t n = 0;
    auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), n);
    bool ok = !d.empty() && d[0] != '+' && !(d[0] == '-' && t[0] == '+') && ec == std::errc() &&
              end == d.data() + d.size();
    if (ok) {
      if (go_int) *go_int = true;
      return json::Value(static_cast<long long>(n));
    }
  } else if (dots == 1 && !t.empty()) {
    // strconv.ParseFloat: plain decimal text (exponents and the like stay strings here).
    size_t i = (t[0] == '+' || t[0] == '-') ? 1 : 0;
    bool ok = i < t.size() && t.size() - i > 1 && std::all_of(t.begin() + static_cast<std::ptrdiff_t>(i), t.end(),
                                                              [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    if (ok) return json::Value(std::stod(t));
  }
  return json::Value(s);
}

json::Value AuthUser::to_meta(bool is_new) const {
  // Key order is a Go map's (sorted): PocketBase round-trips the struct through map[string]any.
  json::Object m{
      {"accessToken", access_token},
      {"avatarURL", avatar_url},
      {"avatarUrl", avatar_url},
      {"email", email},
      {"expiry", expiry},
      {"id", id},
      {"isNew", is_new},
      {"name", name},
      {"rawUser", json::go_map_copy(raw_user)},
      {"refreshToken", refresh_token},
      {"username", username},
  };
  return json::Value(std::move(m));
}

std::optional<Provider> init_provider(const schema::OAuth2Provider& cfg) {
  const ProviderSpec* spec = find_spec(cfg.name);
  if (!spec) return std::nullopt;
  Provider p;
  p.spec = spec;
  p.name = cfg.name;
  p.display_name = std::string(spec->display_name);
  p.pkce = spec->pkce;
  p.auth_url = std::string(spec->auth_url);
  p.token_url = std::string(spec->token_url);
  p.user_info_url = std::string(spec->user_info_url);
  std::string_view scopes = spec->scopes;
  while (!scopes.empty()) {
    size_t sp = scopes.find(' ');
    p.scopes.emplace_back(scopes.substr(0, sp));
    scopes = sp == std::string_view::npos ? std::string_view{} : scopes.substr(sp + 1);
  }
  // Empty config values keep the provider defaults (InitProvider only sets non-empty ones).
  p.client_id = cfg.client_id;
  p.client_secret = cfg.client_secret;
  if (!cfg.auth_url.empty()) p.auth_url = cfg.auth_url;
  if (!cfg.token_url.empty()) p.token_url = cfg.token_url;
  if (!cfg.user_info_url.empty()) p.user_info_url = cfg.user_info_url;
  if (!cfg.display_name.empty()) p.display_name = cfg.display_name;
  if (cfg.pkce) p.pkce = *cfg.pkce;
  if (cfg.extra.is_object()) {
    p.extra = cfg.extra;
    // Microsoft asks for an id_token (scope "openid") once an id_token email claim is chosen.
    if (p.name == "microsoft") {
      const json::Value* claim = p.extra.find("idTokenEmailClaim");
      bool wanted = claim && ((claim->is_string() && !claim->as_string().empty()) || claim->is_number() ||
                              claim->is_bool());
      if (wanted && std::find(p.scopes.begin(), p.scopes.end(), "openid") == p.scopes.end())
        p.scopes.emplace_back("openid");
    }
  }
  return p;
}

std::string query_escape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '_' || c == '.' || c == '~';
    if (keep) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string form_encode(std::vector<std::pair<std::string, std::string>> values) {
  // url.Values keeps the values of one key in insertion order; keys are sorted.
  std::stable_sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [k, v] : values) {
    if (!out.empty()) out += '&';
    out += query_escape(k);
    out += '=';
    out += query_escape(v);
  }
  return out;
}

std::string build_auth_url(const Provider& p, std::string_view state,
                           const std::vector<std::pair<std::string, std::string>>& extra_params) {
  std::vector<std::pair<std::string, std::string>> v{{"response_type", "code"}, {"client_id", p.client_id}};
  auto set = [&](const std::string& key, std::string value) {
    for (auto& kv : v)
      if (kv.first == key) {
        kv.second = std::move(value);
        return;
      }
    v.emplace_back(key, std::move(value));
  };
  if (!p.scopes.empty()) {
    std::string joined;
    for (const auto& s : p.scopes) joined += (joined.empty() ? "" : " ") + s;
    set("scope", joined);
  }
  if (!state.empty()) set("state", std::string(state));
  for (const auto& [k, val] : extra_params) set(k, val);
  std::string url = p.auth_url;
  url += p.auth_url.find('?') == std::string::npos ? '?' : '&';
  url += form_encode(std::move(v));
  return url;
}

std::string provider_logo(std::string_view display_name) {
  size_t len = 1;
  if (!display_name.empty()) {
    unsigned char b = static_cast<unsigned char>(display_name[0]);
    len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  }
  std::string initial(display_name.substr(0, std::min(len, display_name.size())));
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"32\" height=\"32\" viewBox=\"0 0 32 32\">"
         "<rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#4b5563\"/>"
         "<text x=\"16\" y=\"21\" font-family=\"sans-serif\" font-size=\"15\" fill=\"#fff\" text-anchor=\"middle\">" +
         initial + "</text></svg>";
}

}  // namespace larder::oauth2
