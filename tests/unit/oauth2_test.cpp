// OAuth2: the provider pieces (authorization URL, token answers, Go-style provider JSON,
// id_token claims) as tables, and the whole auth-with-oauth2 request through App::handle with a
// scripted HttpClient — including a replaying host that cannot block, to hold the core to its
// promise of fetching everything before writing anything, with identical requests each run.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/app/app.h"
#include "core/auth/jwt.h"
#include "core/auth/token_auth.h"
#include "core/crypto/base64.h"
#include "core/db/sqlite.h"
#include "core/oauth2/go_json.h"
#include "core/oauth2/id_token.h"
#include "core/oauth2/provider.h"
#include "core/oauth2/token.h"
#include "core/record/form.h"
#include "core/util/datetime.h"
#include "core/util/host_io.h"

using namespace larder;

namespace {

#include "jwks_vectors.inc"

net::OutResponse answer(int status, std::string content_type, std::string body) {
  net::OutResponse r;
  r.status = status;
  if (!content_type.empty()) r.headers.set("Content-Type", content_type);
  r.body = std::move(body);
  return r;
}

TEST(OAuth2AuthUrl, SortedQueryLikeGoAndPkceParams) {
  schema::OAuth2Provider cfg;
  cfg.name = "oidc";
  cfg.client_id = "my app";
  cfg.auth_url = "https://idp.example/auth?tenant=x";
  auto p = oauth2::init_provider(cfg);
  ASSERT_TRUE(p);
  EXPECT_EQ(oauth2::build_auth_url(*p, "st", {{"code_challenge", "abc"}, {"code_challenge_method", "S256"}}),
            "https://idp.example/auth?tenant=x&client_id=my+app&code_challenge=abc&code_challenge_method=S256"
            "&response_type=code&scope=openid+email+profile&state=st");
}

TEST(OAuth2Provider, ConfigOverridesDefaultsAndUnknownNamesDoNotInit) {
  schema::OAuth2Provider cfg;
  cfg.name = "github";
  cfg.pkce = false;
  cfg.display_name = "Code";
  cfg.token_url = "https://ghe.example/token";
  auto p = oauth2::init_provider(cfg);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->pkce);
  EXPECT_EQ(p->display_name, "Code");
  EXPECT_EQ(p->auth_url, "https://github.com/login/oauth/authorize");
  EXPECT_EQ(p->token_url, "https://ghe.example/token");
  cfg.name = "myspace";  // no such provider
  EXPECT_FALSE(oauth2::init_provider(cfg));
  cfg.name = "apple";
  auto apple = oauth2::init_provider(cfg);
  ASSERT_TRUE(apple);
  EXPECT_EQ(apple->auth_url, "https://appleid.apple.com/auth/authorize");
  EXPECT_EQ(apple->token_url, "https://ghe.example/token");
  EXPECT_EQ(apple->scopes, (std::vector<std::string>{"name", "email"}));
  cfg.name = "microsoft";
  cfg.extra = json::parse(R"({"idTokenEmailClaim":"email"})");
  EXPECT_EQ(oauth2::init_provider(cfg)->scopes, (std::vector<std::string>{"User.Read", "openid"}));
}

struct TokenCase {
  const char* name;
  int status;
  const char* content_type;
  const char* body;
  bool ok;
  const char* access_token;
  int64_t expires_in;
};

TEST(OAuth2Token, AnswersAsXOAuth2ReadsThem) {
  const TokenCase cases[] = {
      {"json", 200, "application/json", R"({"access_token":"a","token_type":"bearer","expires_in":60})", true, "a", 60},
      {"json keys fold case", 200, "application/json", R"({"Access_Token":"a"})", true, "a", 0},
      {"expires_in as string", 200, "application/json", R"({"access_token":"a","expires_in":"30"})", true, "a", 30},
      {"expires_in fraction", 200, "application/json", R"({"access_token":"a","expires_in":1.5})", false, "", 0},
      {"urlencoded", 200, "application/x-www-form-urlencoded", "access_token=b&expires_in=x", true, "b", 0},
      {"text/plain is a form too", 200, "text/plain; charset=utf-8", "access_token=c&expires_in=5", true, "c", 5},
      {"error in a 200", 200, "application/json", R"({"access_token":"a","error":"nope"})", false, "", 0},
      {"4xx", 400, "application/json", R"({"error":"invalid_grant"})", false, "", 0},
      {"missing token", 200, "application/json", R"({"token_type":"bearer"})", false, "", 0},
      {"wrong type", 200, "application/json", R"({"access_token":5})", false, "", 0},
      {"not an object", 200, "application/json", "[1,2]", false, "", 0},
      {"malformed", 200, "", R"({"access_token":)", false, "", 0},
      {"null", 200, "application/json", "null", false, "", 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    net::OutResponse r = answer(c.status, c.content_type, c.body);
    if (!c.ok) {
      EXPECT_THROW(oauth2::parse_token_response(r), oauth2::TokenError);
      continue;
    }
    oauth2::Token t = oauth2::parse_token_response(r);
    EXPECT_EQ(t.access_token, c.access_token);
    EXPECT_EQ(t.expires_in, c.expires_in);
  }
}

TEST(OAuth2GoJson, StructDecodingRules) {
  json::Value v = json::parse(R"({"Sub":"x","sub":"y","n":5,"b":"true","id":12.0,"big":1.5,"nested":{"url":"u"}})");
  EXPECT_EQ(oauth2::gojson::str(v, "sub"), "y");  // the last matching key wins
  EXPECT_THROW(oauth2::gojson::str(v, "n"), oauth2::gojson::DecodeError);
  EXPECT_THROW(oauth2::gojson::boolean(v, "b"), oauth2::gojson::DecodeError);
  EXPECT_TRUE(oauth2::gojson::cast_to_bool(v.find("b")));
  EXPECT_EQ(oauth2::gojson::int64_text(v, "id"), "12");
  EXPECT_THROW(oauth2::gojson::int64_text(v, "big"), oauth2::gojson::DecodeError);
  EXPECT_EQ(oauth2::gojson::str(oauth2::gojson::object(v, "nested"), "URL"), "u");
  EXPECT_EQ(oauth2::gojson::str(oauth2::gojson::object(v, "absent"), "url"), "");
  EXPECT_THROW(oauth2::gojson::parse_object("[]"), oauth2::gojson::DecodeError);
  EXPECT_TRUE(oauth2::gojson::parse_object("null").is_object());
}

std::string unsigned_jwt(const json::Value& claims) {
  return crypto::base64url_encode(R"({"alg":"RS256","typ":"JWT"})") + "." +
         crypto::base64url_encode(json::dump(claims)) + ".c2ln";
}

TEST(OAuth2IdToken, TimeAndAudienceClaims) {
  const int64_t now = 1'800'000'000;
  auto claims = [&](const char* extra) { return json::parse(std::string(R"({"sub":"s")") + extra + "}"); };
  EXPECT_NO_THROW(oauth2::id_token_claims(unsigned_jwt(claims(R"(,"aud":"app","exp":1800000100)")), "app", now));
  EXPECT_NO_THROW(oauth2::id_token_claims(unsigned_jwt(claims(R"(,"aud":["x","app"])")), "app", now));
  // Within the 5-minute leeway.
  EXPECT_NO_THROW(oauth2::id_token_claims(unsigned_jwt(claims(R"(,"aud":"app","exp":1799999800)")), "app", now));
  EXPECT_THROW(oauth2::id_token_claims(unsigned_jwt(claims(R"(,"aud":"app","exp":1799999000)")), "app", now),
               oauth2::UserError);
  EXPECT_THROW(oauth2::id_token_claims(unsigned_jwt(claims(R"(,"aud":"other")")), "app", now), oauth2::UserError);
  EXPECT_THROW(oauth2::id_token_claims(unsigned_jwt(claims("")), "app", now), oauth2::UserError);
  EXPECT_THROW(oauth2::id_token_claims(unsigned_jwt(claims(R"(,"aud":"app","iat":"soon")")), "app", now),
               oauth2::UserError);
  EXPECT_THROW(oauth2::id_token_claims("not.a.jwt", "app", now), oauth2::UserError);
  EXPECT_THROW(oauth2::id_token_claims("", "app", now), oauth2::UserError);
}

TEST(OAuth2IdToken, LeewayIsTheHostsSetting) {
  const int64_t now = 1'800'000'000;
  const std::string expired_200s_ago =
      unsigned_jwt(json::parse(R"({"sub":"s","aud":"app","exp":1799999800})"));
  EXPECT_EQ(oauth2::id_token_leeway_seconds(), 300);
  EXPECT_NO_THROW(oauth2::id_token_claims(expired_200s_ago, "app", now));
  oauth2::set_id_token_leeway_seconds(60);  // PB_ID_TOKEN_LEEWAY=60
  EXPECT_THROW(oauth2::id_token_claims(expired_200s_ago, "app", now), oauth2::UserError);
  oauth2::set_id_token_leeway_seconds(300);
  EXPECT_NO_THROW(oauth2::id_token_claims(expired_200s_ago, "app", now));
}

// ---- the endpoint through App::handle ----------------------------------------------------------

// A scripted identity provider: answers by URL path.
struct ScriptedIdp {
  std::string token_body = R"({"access_token":"at-1","token_type":"Bearer","expires_in":3600})";
  std::string user_body = R"({"sub":"u-1","email":"ann@example.com","email_verified":true,"name":"Ann"})";
  std::string jwks_body;
  int token_status = 200;
  net::OutResponse operator()(const net::OutRequest& r) const {
    if (r.url.find("/jwks") != std::string::npos) return answer(200, "application/json", jwks_body);
    if (r.url.find("/token") != std::string::npos) return answer(token_status, "application/json", token_body);
    if (r.url.find("/userinfo") != std::string::npos) return answer(200, "application/json", user_body);
    return answer(404, "", "");
  }
};

// A host that cannot block: an unknown request throws HostIoNeeded; the "host" then fetches
// it and replays the whole core request with the answer cached.
class ReplayClient : public net::HttpClient {
 public:
  explicit ReplayClient(const ScriptedIdp* idp) : idp_(idp) {}
  net::OutResponse fetch(const net::OutRequest& r) override {
    std::string key = r.method + " " + r.url + "\n" + r.body;
    for (const auto& [k, v] : r.headers.entries()) key += "\n" + k + ": " + v;
    seen.push_back(key);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    pending = r;
    throw HostIoNeeded{"fetch", r.url};
  }
  void resolve() { cache[seen.back()] = (*idp_)(pending); }
  const ScriptedIdp* idp_;
  net::OutRequest pending;
  std::map<std::string, net::OutResponse> cache;
  std::vector<std::string> seen;
};

class OAuth2App : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("larder-oauth2-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    AppConfig cfg;
    cfg.data_dir = dir_.string();
    app_ = std::make_unique<App>(cfg);
    // A superuser, written directly (no API can create the first one).
    auto schema = app_->schema();
    const schema::Collection* su = schema->find("_superusers");
    record::UpsertForm form(*su, nullptr, record::Access::Superuser);
    form.load(json::Object{{"email", "root@example.com"}, {"password", "1234567890"}, {"passwordConfirm", "1234567890"}});
    {
      auto conn = app_->data_db().write();
      db::Transaction tx(*conn);
      ASSERT_TRUE(form.validate(*conn, *schema).empty());
      form.save(*conn, util::format_datetime(util::now_utc()));
      tx.commit();
    }
    su_token_ = auth::new_token(form.draft().record, auth::TokenType::Auth);
    auto res = call("PATCH", "/api/collections/users",
                    R"({"oauth2":{"enabled":true,"providers":[{"name":"oidc","clientId":"app","clientSecret":"secret",
                        "authURL":"http://idp.test/auth","tokenURL":"http://idp.test/token",
                        "userInfoURL":"http://idp.test/userinfo"}]}})",
                    su_token_);
    ASSERT_EQ(res.status, 200) << res.body;
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  http::Response call(const std::string& method, const std::string& target, const std::string& body,
                      const std::string& token = "") {
    http::Request r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.remote_ip = "127.0.0.1";
    if (!body.empty()) r.headers.set("Content-Type", "application/json");
    if (!token.empty()) r.headers.set("Authorization", token);
    return app_->handle(r);
  }

  int64_t count(const std::string& table) {
    auto conn = app_->data_db().read();
    auto st = conn->prepare("SELECT COUNT(*) FROM `" + table + "`");
    st.step();
    return st.get_int(0);
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
  std::string su_token_;
};

constexpr const char* kSignIn =
    R"({"provider":"oidc","code":"c0de","codeVerifier":"v","redirectURL":"http://app.test/cb"})";

TEST_F(OAuth2App, ReplayingHostSeesAllFetchesBeforeAnyWrite) {
  ScriptedIdp idp;
  auto client = std::make_unique<ReplayClient>(&idp);
  ReplayClient* rc = client.get();
  app_->set_http_client(std::move(client));
  const int64_t users = count("users");
  http::Response res;
  int runs = 0;
  for (;;) {
    ++runs;
    ASSERT_LT(runs, 10);
    try {
      res = call("POST", "/api/collections/users/auth-with-oauth2", kSignIn);
      break;
    } catch (const HostIoNeeded&) {
      // Nothing may have been written while a fetch was still outstanding.
      EXPECT_EQ(count("users"), users);
      EXPECT_EQ(count("_externalAuths"), 0);
      rc->resolve();
    }
  }
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(runs, 3);  // token, user info, then the real run
  // Every run asked the same questions: 1 + 2 + 2 fetches, 2 distinct ones.
  ASSERT_EQ(rc->seen.size(), 5u);
  EXPECT_EQ(rc->seen[0], rc->seen[1]);
  EXPECT_EQ(rc->seen[1], rc->seen[3]);
  EXPECT_EQ(rc->seen[2], rc->seen[4]);
  EXPECT_EQ(count("users"), users + 1);
  EXPECT_EQ(count("_externalAuths"), 1);
  json::Value body = json::parse(res.body);
  EXPECT_EQ(body.find("meta")->find("isNew")->as_bool(), true);
  EXPECT_EQ(body.find("record")->find("email")->as_string(), "ann@example.com");
}

// A blocking client for the error paths.
class DirectClient : public net::HttpClient {
 public:
  explicit DirectClient(ScriptedIdp idp) : idp_(std::move(idp)) {}
  net::OutResponse fetch(const net::OutRequest& r) override {
    if (fail_transport) throw net::FetchError("connection refused");
    requests.push_back(r);
    return idp_(r);
  }
  ScriptedIdp idp_;
  bool fail_transport = false;
  std::vector<net::OutRequest> requests;
};

struct ErrorCase {
  const char* name;
  const char* body;
  int status;
  const char* message;
};

TEST_F(OAuth2App, ErrorAnswers) {
  ScriptedIdp idp;
  idp.token_status = 400;
  app_->set_http_client(std::make_unique<DirectClient>(idp));
  const ErrorCase cases[] = {
      {"unknown provider", R"({"provider":"google","code":"x"})", 400,
       "An error occurred while loading the submitted data."},
      {"missing code", R"({"provider":"oidc"})", 400, "An error occurred while loading the submitted data."},
      {"wrong type", R"({"provider":5,"code":"x"})", 400, "An error occurred while loading the submitted data."},
      {"createData not an object", R"({"provider":"oidc","code":"x","createData":"x"})", 400,
       "An error occurred while loading the submitted data."},
      {"token refused", kSignIn, 400, "Failed to fetch OAuth2 token."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = call("POST", "/api/collections/users/auth-with-oauth2", c.body);
    EXPECT_EQ(res.status, c.status) << res.body;
    EXPECT_EQ(json::parse(res.body).find("message")->as_string(), c.message);
  }
  // Credentials went in a Basic header first, then as form fields.
  auto* dc = static_cast<DirectClient*>(app_->http_client());
  ASSERT_EQ(dc->requests.size(), 2u);
  EXPECT_EQ(dc->requests[0].headers.get("Authorization"), "Basic " + crypto::base64_encode("app:secret"));
  EXPECT_EQ(dc->requests[0].body, "code=c0de&code_verifier=v&grant_type=authorization_code&redirect_uri=http%3A%2F%2Fapp.test%2Fcb");
  EXPECT_EQ(dc->requests[1].body,
            "client_id=app&client_secret=secret&code=c0de&code_verifier=v&grant_type=authorization_code"
            "&redirect_uri=http%3A%2F%2Fapp.test%2Fcb");

  dc->fail_transport = true;
  auto res = call("POST", "/api/collections/users/auth-with-oauth2", kSignIn);
  EXPECT_EQ(json::parse(res.body).find("message")->as_string(), "Failed to fetch OAuth2 token.");

  app_->set_http_client(nullptr);
  res = call("POST", "/api/collections/users/auth-with-oauth2", kSignIn);
  EXPECT_EQ(json::parse(res.body).find("message")->as_string(), "Failed to fetch OAuth2 token.");
}

TEST_F(OAuth2App, AuthMethodsListsTheProvider) {
  auto res = call("GET", "/api/collections/users/auth-methods", "");
  ASSERT_EQ(res.status, 200);
  json::Value v = json::parse(res.body);
  const json::Value& p = v.find("oauth2")->find("providers")->as_array().at(0);
  EXPECT_EQ(p.find("name")->as_string(), "oidc");
  EXPECT_EQ(p.find("displayName")->as_string(), "OIDC");
  std::string verifier = p.find("codeVerifier")->as_string();
  EXPECT_EQ(verifier.size(), 43u);
  std::string url = p.find("authURL")->as_string();
  EXPECT_EQ(url.rfind("http://idp.test/auth?client_id=app&code_challenge=", 0), 0u) << url;
  EXPECT_NE(url.find("&state=" + p.find("state")->as_string() + "&redirect_uri="), std::string::npos);
  EXPECT_EQ(v.find("authProviders")->as_array().at(0).find("logo")->as_string(), "");
}

// id_tokens checked against a JWKS (OIDC extra.jwksURL, apple): the key set is one more fetch of
// the fetch-first phase, and Apple's redirect name is taken only by the run that completes.
TEST_F(OAuth2App, SignedIdTokensReplayAndAppleTakesTheRedirectName) {
  // userInfoURL "" on purpose: the PATCH decodes into the existing provider list like Go's
  // json.Unmarshal, so element 0 would keep the fixture's userInfoURL otherwise.
  auto res = call("PATCH", "/api/collections/users",
                  R"({"oauth2":{"enabled":true,"providers":[
                      {"name":"oidc2","clientId":"app","clientSecret":"secret","authURL":"http://idp.test/auth",
                       "tokenURL":"http://idp.test/token","userInfoURL":"","extra":{"jwksURL":"http://idp.test/jwks"}},
                      {"name":"apple","clientId":"app","clientSecret":"secret","tokenURL":"http://idp.test/token",
                       "extra":{"jwksURL":"http://127.0.0.1:1/jwks"}}]}})",
                  su_token_);
  ASSERT_EQ(res.status, 200) << res.body;
  const std::string jwk = R"({"keys":[{"kty":"RSA","kid":"rsa1","alg":"RS256","n":")" + std::string(kJwksRsaN) +
                          R"(","e":")" + std::string(kJwksRsaE) + R"("}]})";
  auto sign_in = [&](const std::string& provider, const std::string& id_token, int& runs) {
    ScriptedIdp idp;
    idp.token_body = R"({"access_token":"at-1","token_type":"Bearer","expires_in":3600,"id_token":")" + id_token + "\"}";
    idp.jwks_body = jwk;
    auto client = std::make_unique<ReplayClient>(&idp);
    ReplayClient* rc = client.get();
    app_->set_http_client(std::move(client));
    const std::string body =
        R"({"provider":")" + provider + R"(","code":"c0de","codeVerifier":"v","redirectURL":"http://app.test/cb"})";
    for (runs = 1; runs < 10; ++runs) {
      try {
        return call("POST", "/api/collections/users/auth-with-oauth2", body);
      } catch (const HostIoNeeded&) {
        rc->resolve();
      }
    }
    return http::Response{};
  };

  int runs = 0;
  res = sign_in("oidc2", std::string(kTokOidcFar), runs);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(runs, 3);  // token, key set, then the real run
  EXPECT_EQ(json::parse(res.body).find("meta")->find("name")->as_string(), "Olly") << res.body;

  // Without extra.issuers any iss will do for OIDC.
  res = sign_in("oidc2", std::string(kTokAppleFar), runs);
  EXPECT_EQ(res.status, 200) << res.body;

  ASSERT_TRUE(app_->oauth2_redirect_names().put_from_user_json(
      "c0de", R"({"name":{"firstName":"Ann","lastName":"Apple"}})", util::now_utc().unix_ms / 1000));
  res = sign_in("apple", std::string(kTokAppleFar), runs);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(runs, 3);  // the name survived the two replays: only the completing run takes it
  json::Value meta = *json::parse(res.body).find("meta");
  EXPECT_EQ(meta.find("name")->as_string(), "Ann Apple");
  EXPECT_EQ(meta.find("email")->as_string(), "ann@apple.example");  // email_verified "true"
  EXPECT_FALSE(app_->oauth2_redirect_names().take("c0de", util::now_utc().unix_ms / 1000));

  // Apple with an OIDC issuer, or with a tampered token: "Failed to fetch OAuth2 user."
  res = sign_in("apple", std::string(kTokOidcFar), runs);
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(json::parse(res.body).find("message")->as_string(), "Failed to fetch OAuth2 user.");
  std::string tampered(kTokAppleFar);
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  res = sign_in("apple", tampered, runs);
  EXPECT_EQ(res.status, 400) << res.body;
}

}  // namespace


namespace {

// Apple's extra.jwksURL is a loopback-only test seam: anything else keeps Apple's own key set.
TEST_F(OAuth2App, AppleJwksUrlOverrideIsLoopbackOnly) {
  for (const char* url : {"https://keys.example/jwks", "http://127.0.0.1:1@evil.example/jwks",
                          "http://localhost.evil.example/jwks", "http://127.0.0.1\\@evil.example/jwks"}) {
    auto res = call("PATCH", "/api/collections/users",
                    std::string(R"({"oauth2":{"enabled":true,"providers":[{"name":"apple","clientId":"app",
                        "clientSecret":"secret","tokenURL":"http://idp.test/token","userInfoURL":"",
                        "extra":{"jwksURL":)") + json::dump(json::Value(std::string(url))) + R"(}}]}})",
                    su_token_);
    ASSERT_EQ(res.status, 200) << res.body;
    ScriptedIdp idp;
    idp.token_body = R"({"access_token":"at-1","token_type":"Bearer","id_token":")" + std::string(kTokAppleFar) + "\"}";
    auto client = std::make_unique<DirectClient>(idp);
    DirectClient* dc = client.get();
    app_->set_http_client(std::move(client));
    res = call("POST", "/api/collections/users/auth-with-oauth2",
               R"({"provider":"apple","code":"c","codeVerifier":"v","redirectURL":"http://app.test/cb"})");
    EXPECT_EQ(res.status, 400) << url;  // Apple's real keys are not reachable here (404)
    ASSERT_EQ(dc->requests.size(), 2u) << url;
    EXPECT_EQ(dc->requests[1].url, "https://appleid.apple.com/auth/keys") << url;
  }
}

}  // namespace
