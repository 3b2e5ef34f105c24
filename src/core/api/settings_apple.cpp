// POST /api/settings/apple/generate-client-secret (api.md §5): a superuser turns the pieces of a
// "Sign in with Apple" key (team id, key id, the .p8 private key) into the ES256 JWT Apple takes
// as the OAuth2 client secret. Validation, claims and errors follow PocketBase's
// forms.AppleClientSecretCreate and apis.settingsGenerateAppleClientSecret. The private key is
// never echoed: not in validation errors, not in the parse error, not in logs.
#include <charconv>
#include <cmath>
#include <string>

#include "core/api/auth_flows.h"
#include "core/api/common.h"
#include "core/api/context.h"
#include "core/api/record_auth.h"
#include "core/auth/jwt.h"
#include "core/crypto/ec_private_key.h"
#include "core/http/error.h"

namespace larder::api {

namespace {

// ozzo's error params (the length bounds, the min/max threshold), as PocketBase answers them.
json::Value with_params(json::Value error, json::Object params) {
  error.as_object().set("params", json::Value(std::move(params)));
  return error;
}

constexpr const char* kInvalid = "Invalid client secret data.";
constexpr const char* kLoadFailed = "An error occurred while loading the submitted data.";
constexpr int64_t kMaxDuration = 15777000;  // ~6 months, Apple's limit

size_t code_points(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// ozzo Required + Length(10, 10), as for teamId and keyId.
std::optional<json::Value> ten_chars_error(const std::string& s) {
  if (s.empty()) return flows::field_error("validation_required", "Cannot be blank.");
  if (code_points(s) != 10)
    return with_params(flows::field_error("validation_length_invalid", "The length must be exactly 10."),
                       json::Object{{"max", 10}, {"min", 10}});
  return std::nullopt;
}

// PocketBase's regex `-----BEGIN PRIVATE KEY----[\s\S]+-----END PRIVATE KEY-----`, unanchored:
// the begin marker, at least one character, then the end marker.
bool looks_like_private_key(const std::string& s) {
  constexpr std::string_view kBegin = "-----BEGIN PRIVATE KEY----";
  constexpr std::string_view kEnd = "-----END PRIVATE KEY-----";
  size_t begin = s.find(kBegin);
  size_t end = s.rfind(kEnd);
  return begin != std::string::npos && end != std::string::npos && end >= begin + kBegin.size() + 1;
}

// Go binds `duration` into an int: JSON must give a whole number, a form field a decimal integer.
int64_t read_duration(const AuthForm& form) {
  if (form.is_json()) {
    double d = form.number_field("duration").value_or(0);
    if (d != std::floor(d) || std::fabs(d) > 9.2e18) throw http::ApiError::bad_request(kLoadFailed);
    return static_cast<int64_t>(d);
  }
  std::string s = form.string_field("duration");
  if (s.empty()) return 0;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) throw http::ApiError::bad_request(kLoadFailed);
  return v;
}

http::Response generate_client_secret(RequestContext& ctx) {
  flows::require_superuser(ctx);
  AuthForm form(ctx);
  std::string client_id = form.string_field("clientId");
  std::string team_id = form.string_field("teamId");
  std::string key_id = form.string_field("keyId");
  std::string private_key = form.string_field("privateKey");
  int64_t duration = read_duration(form);

  json::Object errs;
  if (client_id.empty()) errs.set("clientId", flows::field_error("validation_required", "Cannot be blank."));
  if (auto e = ten_chars_error(team_id)) errs.set("teamId", *e);
  if (auto e = ten_chars_error(key_id)) errs.set("keyId", *e);
  if (private_key.empty()) {
    errs.set("privateKey", flows::field_error("validation_required", "Cannot be blank."));
  } else if (!looks_like_private_key(private_key)) {
    errs.set("privateKey", flows::field_error("validation_match_invalid", "Must be in a valid format."));
  }
  if (duration == 0) {
    errs.set("duration", flows::field_error("validation_required", "Cannot be blank."));
  } else if (duration < 1) {
    errs.set("duration", with_params(flows::field_error("validation_min_greater_equal_than_required", "Must be no less than 1."),
                                     json::Object{{"threshold", 1}}));
  } else if (duration > kMaxDuration) {
    errs.set("duration", with_params(flows::field_error("validation_max_less_equal_than_required",
                                                        "Must be no greater than " + std::to_string(kMaxDuration) + "."),
                                     json::Object{{"threshold", static_cast<double>(kMaxDuration)}}));
  }
  if (!errs.empty()) throw http::ApiError::bad_request(kInvalid, json::Value(std::move(errs)));

  crypto::EcPrivateKeyResult key = crypto::parse_p256_private_key_pem(private_key);
  if (!key.ok()) throw http::ApiError::bad_request("Failed to generate client secret. Raw error: \n" + key.error);

  // golang-jwt: the header is a Go map (keys sorted), the claims jwt.RegisteredClaims (field order).
  int64_t now = flows::now_unix();
  json::Object header{{"alg", "ES256"}, {"kid", key_id}, {"typ", "JWT"}};
  json::Object claims{{"iss", team_id},
                      {"sub", client_id},
                      {"aud", json::Array{json::Value("https://appleid.apple.com")}},
                      {"exp", static_cast<double>(now + duration)},
                      {"iat", static_cast<double>(now)}};
  std::string secret = jwt::sign_es256(json::Value(std::move(header)), json::Value(std::move(claims)), key.scalar);
  return json_response(ctx, 200, json::Object{{"secret", secret}});
}

}  // namespace

void bind_settings_apple(Routes& routes) {
  routes.add("POST", "/api/settings/apple/generate-client-secret", generate_client_secret);
}

}  // namespace larder::api
