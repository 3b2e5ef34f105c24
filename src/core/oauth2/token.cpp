// Token exchange (see token.h).
#include "core/oauth2/token.h"

#include <climits>
#include <cmath>

#include "core/crypto/base64.h"
#include "core/http/url.h"
#include "core/json/json.h"
#include "core/oauth2/go_json.h"
#include "core/util/datetime.h"

namespace larder::oauth2 {

namespace {

// x/oauth2 reads at most 1 MiB of a token answer (a longer one is cut, and then fails to parse).
constexpr size_t kMaxTokenBody = 1 << 20;

// The media type of a Content-Type value, lower-cased, parameters dropped.
std::string media_type(std::string_view ct) {
  std::string_view t = ct.substr(0, ct.find(';'));
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  std::string out(t);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

// expires_in as x/oauth2 reads it from JSON: a number or a numeric string, integral, capped at
// MaxInt32 (a fraction or any other type fails the decode).
int64_t json_expires_in(const json::Value& v) {
  double d = 0;
  if (v.is_null()) return 0;
  if (v.is_number()) {
    d = v.as_number();
  } else if (v.is_string()) {
    const std::string& s = v.as_string();
    try {
      json::Value n = json::parse(s);
      if (!n.is_number()) throw TokenError("expires_in: not a number");
      d = n.as_number();
    } catch (const json::ParseError&) {
      throw TokenError("expires_in: not a number");
    }
  } else {
    throw TokenError("expires_in: not a number");
  }
  if (!std::isfinite(d) || d != std::floor(d)) throw TokenError("expires_in: not an integer");
  if (d > INT32_MAX) return INT32_MAX;
  if (d < -9.2e18) throw TokenError("expires_in: out of range");
  return static_cast<int64_t>(d);
}

net::OutRequest token_request(const Provider& p, const std::vector<std::pair<std::string, std::string>>& values,
                              bool credentials_in_header) {
  net::OutRequest req;
  req.method = "POST";
  req.url = p.token_url;
  auto v = values;
  if (credentials_in_header) {
    req.headers.set("Authorization", "Basic " + crypto::base64_encode(query_escape(p.client_id) + ":" +
                                                                        query_escape(p.client_secret)));
  } else {
    v.emplace_back("client_id", p.client_id);
    if (!p.client_secret.empty()) v.emplace_back("client_secret", p.client_secret);
  }
  req.headers.set("Content-Type", "application/x-www-form-urlencoded");
  req.headers.set("User-Agent", std::string(kUserAgent));
  req.body = form_encode(std::move(v));
  return req;
}

}  // namespace

Token parse_token_response(const net::OutResponse& res) {
  const bool failure_status = res.status < 200 || res.status > 299;
  std::string_view body = res.body;
  if (body.size() > kMaxTokenBody) body = body.substr(0, kMaxTokenBody);
  Token t;
  t.obtained_unix_ms = util::now_utc().unix_ms;
  std::string error_code;
  std::string type = media_type(res.headers.get("Content-Type"));
  if (type == "application/x-www-form-urlencoded" || type == "text/plain") {
    http::QueryParams q(body);
    t.form_encoded = true;
    error_code = std::string(q.get("error"));
    t.access_token = std::string(q.get("access_token"));
    t.token_type = std::string(q.get("token_type"));
    t.refresh_token = std::string(q.get("refresh_token"));
    // strconv.Atoi failures count as "no expiry", as in x/oauth2.
    std::string_view e = q.get("expires_in");
    int64_t expires = 0;
    bool ok = !e.empty() && e.size() <= 18;
    for (size_t i = (e.size() > 0 && (e[0] == '-' || e[0] == '+')) ? 1 : 0; ok && i < e.size(); ++i)
      ok = e[i] >= '0' && e[i] <= '9';
    if (ok) expires = std::stoll(std::string(e));
    t.expires_in = expires;
    for (const auto& [k, v] : q.entries())
      if (!t.raw.contains(k)) t.raw.set(k, v);
  } else {
    json::Value v;
    try {
      v = json::parse(body);
    } catch (const json::ParseError& e) {
      throw TokenError(failure_status ? "token endpoint answered " + std::to_string(res.status)
                                      : std::string("cannot parse token JSON: ") + e.what());
    }
    if (!v.is_object() && !v.is_null()) {
      if (failure_status) throw TokenError("token endpoint answered " + std::to_string(res.status));
      throw TokenError("token answer is not a JSON object");
    }
    if (v.is_object()) {
      // Decoded like Go decodes into x/oauth2's tokenJSON struct (case-insensitive keys, a
      // wrongly typed field fails the whole answer).
      try {
        error_code = gojson::str(v, "error");
        (void)gojson::str(v, "error_description");
        (void)gojson::str(v, "error_uri");
        t.access_token = gojson::str(v, "access_token");
        t.token_type = gojson::str(v, "token_type");
        t.refresh_token = gojson::str(v, "refresh_token");
        if (const json::Value* e = gojson::member(v, "expires_in")) t.expires_in = json_expires_in(*e);
      } catch (const std::runtime_error& e) {  // gojson::DecodeError or TokenError, both ours
        if (failure_status) throw TokenError("token endpoint answered " + std::to_string(res.status));
        throw TokenError(e.what());
      }
      t.raw = v.as_object();
    }
  }
  // RFC 6749 §5.2 says 400 for errors, but some servers answer 200 with an "error" field.
  if (failure_status || !error_code.empty())
    throw TokenError("token endpoint error (" + std::to_string(res.status) + ") " + error_code);
  if (t.access_token.empty()) throw TokenError("server response missing access_token");
  return t;
}

Token exchange_code(net::HttpClient& http, const Provider& p, std::string_view code, std::string_view redirect_url,
                    std::string_view code_verifier) {
  std::vector<std::pair<std::string, std::string>> values{{"grant_type", "authorization_code"},
                                                          {"code", std::string(code)}};
  if (!redirect_url.empty()) values.emplace_back("redirect_uri", std::string(redirect_url));
  if (p.pkce) values.emplace_back("code_verifier", std::string(code_verifier));
  // A token URL that is not http(s) would never reach a server; fail like a refused request.
  if (p.token_url.rfind("https://", 0) != 0 && p.token_url.rfind("http://", 0) != 0)
    throw TokenError("unsupported token URL");
  try {
    return parse_token_response(http.fetch(token_request(p, values, true)));
  } catch (const TokenError&) {
    // Only an error answer leads to the second style; transport failures propagate.
  }
  return parse_token_response(http.fetch(token_request(p, values, false)));
}

}  // namespace larder::oauth2
