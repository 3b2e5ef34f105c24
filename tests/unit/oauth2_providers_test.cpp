// The built-in OAuth2 providers, one table row each: the defaults auth-methods lists (display
// name, order, PKCE, scopes, URLs) and the raw user → AuthUser mapping, fed with answers shaped
// like each provider's API (per PocketBase's struct tags), including the unverified-email and
// refused-account cases and the extra requests/headers some providers make.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/oauth2/go_json.h"
#include "core/oauth2/provider.h"
#include "core/oauth2/token.h"
#include "core/oauth2/user_fetch.h"
#include "core/util/datetime.h"

using namespace larder;

namespace {

struct Defaults {
  const char* name;
  const char* display_name;
  int order;
  bool pkce;
  std::vector<std::string> scopes;
  const char* auth_url;
  const char* token_url;
  const char* user_info_url;
};

TEST(OAuth2Providers, DefaultsOfTheProvidersAddedLast) {
  const Defaults cases[] = {
      {"instagram2", "Instagram", 6, true, {"instagram_business_basic"}, "https://www.instagram.com/oauth/authorize",
       "https://api.instagram.com/oauth/access_token",
       "https://graph.instagram.com/me?fields=id,username,account_type,user_id,name,profile_picture_url,"
       "followers_count,follows_count,media_count"},
      {"bitbucket", "Bitbucket", 9, false, {"account"}, "https://bitbucket.org/site/oauth2/authorize",
       "https://bitbucket.org/site/oauth2/access_token", "https://api.bitbucket.org/2.0/user"},
      {"gitee", "Gitee", 10, true, {"user_info", "emails"}, "https://gitee.com/oauth/authorize",
       "https://gitee.com/oauth/token", "https://gitee.com/api/v5/user"},
      {"gitea", "Gitea/Forgejo", 11, true, {"read:user", "user:email"}, "https://gitea.com/login/oauth/authorize",
       "https://gitea.com/login/oauth/access_token", "https://gitea.com/api/v1/user"},
      {"twitter", "X/Twitter", 13, true, {"users.read", "users.email", "tweet.read"}, "https://x.com/i/oauth2/authorize",
       "https://api.x.com/2/oauth2/token",
       "https://api.x.com/2/users/me?user.fields=id,name,username,profile_image_url,confirmed_email"},
      {"vk", "ВКонтакте", 15, false, {"email"}, "https://oauth.vk.com/authorize", "https://oauth.vk.com/access_token",
       "https://api.vk.com/method/users.get?fields=photo_max,screen_name&v=5.131"},
      {"linear", "Linear", 16, false, {"read"}, "https://linear.app/oauth/authorize", "https://api.linear.app/oauth/token",
       "https://api.linear.app/graphql"},
      {"notion", "Notion", 17, true, {}, "https://api.notion.com/v1/oauth/authorize", "https://api.notion.com/v1/oauth/token",
       "https://api.notion.com/v1/users/me"},
      {"monday", "monday.com", 18, true, {"me:read"}, "https://auth.monday.com/oauth2/authorize",
       "https://auth.monday.com/oauth2/token", "https://api.monday.com/v2"},
      {"lark", "Lark", 19, true, {}, "https://accounts.feishu.cn/open-apis/authen/v1/authorize",
       "https://open.feishu.cn/open-apis/authen/v2/oauth/token", "https://open.feishu.cn/open-apis/authen/v1/user_info"},
      {"box", "Box", 20, true, {"root_readonly"}, "https://account.box.com/api/oauth2/authorize",
       "https://api.box.com/oauth2/token", "https://api.box.com/2.0/users/me"},
      {"trakt", "Trakt", 22, true, {}, "https://trakt.tv/oauth/authorize", "https://api.trakt.tv/oauth/token",
       "https://api.trakt.tv/users/settings"},
      {"patreon", "Patreon", 24, true, {"identity", "identity[email]"}, "https://www.patreon.com/oauth2/authorize",
       "https://www.patreon.com/api/oauth2/token",
       "https://www.patreon.com/api/oauth2/v2/identity?fields%5Buser%5D=full_name,email,vanity,image_url,is_email_verified"},
      {"strava", "Strava", 25, true, {"profile:read_all"}, "https://www.strava.com/oauth/authorize",
       "https://www.strava.com/api/v3/oauth/token", "https://www.strava.com/api/v3/athlete"},
      {"wakatime", "WakaTime", 26, true, {"email"}, "https://wakatime.com/oauth/authorize",
       "https://wakatime.com/oauth/token", "https://wakatime.com/api/v1/users/current"},
      {"livechat", "LiveChat", 27, true, {}, "https://accounts.livechat.com/", "https://accounts.livechat.com/token",
       "https://accounts.livechat.com/v2/accounts/me"},
      {"mailcow", "mailcow", 28, true, {"profile"}, "", "", ""},
      {"planningcenter", "Planning Center", 29, true, {"people"}, "https://api.planningcenteronline.com/oauth/authorize",
       "https://api.planningcenteronline.com/oauth/token", "https://api.planningcenteronline.com/people/v2/me"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const oauth2::ProviderSpec* spec = oauth2::find_spec(c.name);
    ASSERT_TRUE(spec);
    EXPECT_EQ(spec->order, c.order);
    schema::OAuth2Provider cfg;
    cfg.name = c.name;
    cfg.client_id = "cid";
    auto p = oauth2::init_provider(cfg);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->display_name, c.display_name);
    EXPECT_EQ(p->pkce, c.pkce);
    EXPECT_EQ(p->scopes, c.scopes);
    EXPECT_EQ(p->auth_url, c.auth_url);
    EXPECT_EQ(p->token_url, c.token_url);
    EXPECT_EQ(p->user_info_url, c.user_info_url);
    // No scopes: the authorization URL has no scope parameter at all (x/oauth2).
    std::string url = oauth2::build_auth_url(*p, "st", {});
    EXPECT_EQ(url.find("scope=") == std::string::npos, c.scopes.empty()) << url;
  }
}

// A provider API answering by exact URL; every request is kept.
class ScriptedApi : public net::HttpClient {
 public:
  struct Answer {
    int status;
    std::string body;
  };
  std::map<std::string, Answer> answers;
  std::vector<net::OutRequest> requests;
  net::OutResponse fetch(const net::OutRequest& r) override {
    requests.push_back(r);
    net::OutResponse res;
    auto it = answers.find(r.url);
    if (it == answers.end()) {
      res.status = 404;
      return res;
    }
    res.status = it->second.status;
    res.headers.set("Content-Type", "application/json");
    res.body = it->second.body;
    return res;
  }
};

struct User {
  std::string id, name, username, email, avatar;
};

struct MapCase {
  const char* trace;
  const char* provider;
  std::map<std::string, ScriptedApi::Answer> answers;
  std::optional<User> want;  // nullopt: the fetch fails (UserError)
  const char* token_json = R"({"access_token":"at","token_type":"bearer","expires_in":3600})";
};

oauth2::Token token_from(const char* json_text) {
  net::OutResponse r;
  r.status = 200;
  r.headers.set("Content-Type", "application/json");
  r.body = json_text;
  return oauth2::parse_token_response(r);
}

oauth2::Provider provider(const char* name, const std::string& user_info_url = "") {
  schema::OAuth2Provider cfg;
  cfg.name = name;
  cfg.client_id = "cid";
  cfg.user_info_url = user_info_url;
  auto p = oauth2::init_provider(cfg);
  EXPECT_TRUE(p) << name;
  return p.value_or(oauth2::Provider{});
}

void run(const MapCase& c, ScriptedApi* api_out = nullptr) {
  SCOPED_TRACE(c.trace);
  ScriptedApi api;
  api.answers = c.answers;
  // mailcow has no default URL: the app configures its server.
  oauth2::Provider p = provider(c.provider, std::string(c.provider) == "mailcow" ? "https://mail.test/oauth/profile" : "");
  oauth2::Token t = token_from(c.token_json);
  if (!c.want) {
    EXPECT_THROW(oauth2::fetch_auth_user(api, p, t), oauth2::UserError);
  } else {
    oauth2::AuthUser u;
    try {
      u = oauth2::fetch_auth_user(api, p, t);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "fetch failed: " << e.what();
      return;
    }
    EXPECT_EQ(u.id, c.want->id);
    EXPECT_EQ(u.name, c.want->name);
    EXPECT_EQ(u.username, c.want->username);
    EXPECT_EQ(u.email, c.want->email);
    EXPECT_EQ(u.avatar_url, c.want->avatar);
    EXPECT_EQ(u.access_token, "at");
    EXPECT_FALSE(u.expiry.empty());
    EXPECT_TRUE(u.raw_user.is_object());
  }
  if (api_out) *api_out = std::move(api);
}

const std::string kInsta =
    "https://graph.instagram.com/me?fields=id,username,account_type,user_id,name,profile_picture_url,followers_count,"
    "follows_count,media_count";
const std::string kBitbucket = "https://api.bitbucket.org/2.0/user";
const std::string kGitee = "https://gitee.com/api/v5/user";
const std::string kGiteeEmails = "https://gitee.com/api/v5/emails";
const std::string kGitea = "https://gitea.com/api/v1/user";
const std::string kTwitter = "https://api.x.com/2/users/me?user.fields=id,name,username,profile_image_url,confirmed_email";
const std::string kVk = "https://api.vk.com/method/users.get?fields=photo_max,screen_name&v=5.131";
const std::string kLinear = "https://api.linear.app/graphql";
const std::string kNotion = "https://api.notion.com/v1/users/me";
const std::string kMonday = "https://api.monday.com/v2";
const std::string kLark = "https://open.feishu.cn/open-apis/authen/v1/user_info";
const std::string kBox = "https://api.box.com/2.0/users/me";
const std::string kTrakt = "https://api.trakt.tv/users/settings";
const std::string kPatreon =
    "https://www.patreon.com/api/oauth2/v2/identity?fields%5Buser%5D=full_name,email,vanity,image_url,is_email_verified";
const std::string kStrava = "https://www.strava.com/api/v3/athlete";
const std::string kWakatime = "https://wakatime.com/api/v1/users/current";
const std::string kLivechat = "https://accounts.livechat.com/v2/accounts/me";
const std::string kMailcow = "https://mail.test/oauth/profile";
const std::string kPlanning = "https://api.planningcenteronline.com/people/v2/me";

TEST(OAuth2Providers, RawUserMapping) {
  const MapCase cases[] = {
      // --- instagram2: no email at all.
      {"instagram", "instagram2",
       {{kInsta, {200, R"({"id":"9","user_id":"1789","username":"ann.g","name":"Ann G","account_type":"BUSINESS",
                          "profile_picture_url":"https://cdn.test/a.jpg","email":"ann@example.com"})"}}},
       User{"1789", "Ann G", "ann.g", "", "https://cdn.test/a.jpg"}},
      {"instagram numeric user_id", "instagram2", {{kInsta, {200, R"({"user_id":1789})"}}}, std::nullopt},
      // --- bitbucket: the confirmed primary address from /emails; inactive accounts refused.
      {"bitbucket", "bitbucket",
       {{kBitbucket, {200, R"({"uuid":"{b-1}","username":"bob","display_name":"Bob B","account_status":"active",
                              "links":{"avatar":{"href":"https://bb.test/av.png"}}})"}},
        {kBitbucket + "/emails",
         {200, R"({"values":[{"email":"old@example.com","is_primary":false,"is_confirmed":true},
                             {"email":"bob@example.com","is_primary":true,"is_confirmed":true}]})"}}},
       User{"{b-1}", "Bob B", "bob", "bob@example.com", "https://bb.test/av.png"}},
      {"bitbucket unconfirmed primary", "bitbucket",
       {{kBitbucket, {200, R"({"uuid":"{b-1}","username":"bob","account_status":"active"})"}},
        {kBitbucket + "/emails", {200, R"({"values":[{"email":"bob@example.com","is_primary":true,"is_confirmed":false}]})"}}},
       User{"{b-1}", "", "bob", "", ""}},
      {"bitbucket emails refused", "bitbucket",
       {{kBitbucket, {200, R"({"uuid":"{b-1}","account_status":"active"})"}}, {kBitbucket + "/emails", {403, "{}"}}},
       User{"{b-1}", "", "", "", ""}},
      {"bitbucket emails malformed", "bitbucket",
       {{kBitbucket, {200, R"({"uuid":"{b-1}","account_status":"active"})"}}, {kBitbucket + "/emails", {200, "[]"}}},
       std::nullopt},
      {"bitbucket inactive", "bitbucket", {{kBitbucket, {200, R"({"uuid":"{b-1}","account_status":"closed"})"}}},
       std::nullopt},
      // --- gitee: a well-formed profile email is used as is; else the confirmed primary one.
      {"gitee profile email", "gitee",
       {{kGitee, {200, R"({"id":42,"login":"gee","name":"Gee","email":"gee@example.com","avatar_url":"https://g.test/a"})"}}},
       User{"42", "Gee", "gee", "gee@example.com", "https://g.test/a"}},
      {"gitee emails list", "gitee",
       {{kGitee, {200, R"({"id":42,"login":"gee","email":"not-an-email"})"}},
        {kGiteeEmails, {200, R"([{"email":"x@example.com","state":"unconfirmed","scope":["primary"]},
                                 {"email":"gee@example.com","state":"confirmed","scope":["committed","primary"]}])"}}},
       User{"42", "", "gee", "gee@example.com", ""}},
      {"gitee unconfirmed only", "gitee",
       {{kGitee, {200, R"({"id":42})"}},
        {kGiteeEmails, {200, R"([{"email":"gee@example.com","state":"unconfirmed","scope":["primary"]}])"}}},
       User{"42", "", "", "", ""}},
      {"gitee emails unreadable", "gitee", {{kGitee, {200, R"({"id":42})"}}, {kGiteeEmails, {200, "{"}}},
       User{"42", "", "", "", ""}},
      {"gitee string id", "gitee", {{kGitee, {200, R"({"id":"42"})"}}}, std::nullopt},
      // --- gitea: active accounts only; verified primary from /emails.
      {"gitea", "gitea",
       {{kGitea, {200, R"({"id":7,"login":"tea","full_name":"Tea T","avatar_url":"https://gitea.test/av","active":true,
                          "email":"unverified@example.com"})"}},
        {kGitea + "/emails", {200, R"([{"email":"tea@example.com","verified":true,"primary":true}])"}}},
       User{"7", "Tea T", "tea", "tea@example.com", "https://gitea.test/av"}},
      {"gitea unverified", "gitea",
       {{kGitea, {200, R"({"id":7,"active":true})"}},
        {kGitea + "/emails", {200, R"([{"email":"tea@example.com","verified":false,"primary":true}])"}}},
       User{"7", "", "", "", ""}},
      {"gitea emails 404", "gitea", {{kGitea, {200, R"({"id":7,"active":true})"}}}, User{"7", "", "", "", ""}},
      {"gitea inactive", "gitea", {{kGitea, {200, R"({"id":7,"active":false})"}}}, std::nullopt},
      // --- twitter: confirmed_email only.
      {"twitter", "twitter",
       {{kTwitter, {200, R"({"data":{"id":"2244994945","name":"Dev","username":"XDevs",
                                    "profile_image_url":"https://pbs.test/p.jpg","confirmed_email":"dev@example.com"}})"}}},
       User{"2244994945", "Dev", "XDevs", "dev@example.com", "https://pbs.test/p.jpg"}},
      {"twitter no email", "twitter", {{kTwitter, {200, R"({"data":{"id":"1","name":"N"}})"}}}, User{"1", "N", "", "", ""}},
      // --- vk: the email comes with the token.
      {"vk", "vk",
       {{kVk, {200, R"({"response":[{"id":210700286,"first_name":"Lindsey","last_name":"Stirling",
                                     "screen_name":"lindseystirling","photo_max":"https://vk.test/p.jpg"}]})"}}},
       User{"210700286", "Lindsey Stirling", "lindseystirling", "lindsey@example.com", "https://vk.test/p.jpg"},
       R"({"access_token":"at","expires_in":3600,"user_id":210700286,"email":"lindsey@example.com"})"},
      {"vk no email, one name", "vk", {{kVk, {200, R"({"response":[{"id":1,"first_name":"Solo"}]})"}}},
       User{"1", "Solo", "", "", ""}},
      {"vk empty response", "vk", {{kVk, {200, R"({"response":[]})"}}}, std::nullopt},
      {"vk error answer", "vk", {{kVk, {200, R"({"error":{"error_code":5}})"}}}, std::nullopt},
      // --- linear: active viewers only; its email is trusted.
      {"linear", "linear",
       {{kLinear, {200, R"({"data":{"viewer":{"id":"lin-1","displayName":"lin","name":"Lin L","email":"lin@example.com",
                                              "avatarUrl":"https://linear.test/a","active":true}}})"}}},
       User{"lin-1", "Lin L", "lin", "lin@example.com", "https://linear.test/a"}},
      {"linear inactive", "linear", {{kLinear, {200, R"({"data":{"viewer":{"id":"lin-1","active":false}}})"}}},
       std::nullopt},
      // --- notion: the bot's owner is the user.
      {"notion", "notion",
       {{kNotion, {200, R"({"object":"user","id":"bot-1","type":"bot","name":"My integration","avatar_url":null,
                           "bot":{"owner":{"type":"user","user":{"object":"user","id":"u-9","name":"Nia",
                                  "avatar_url":"https://notion.test/n.png","type":"person",
                                  "person":{"email":"nia@example.com"}}},"workspace_name":"WS"},
                           "request_id":"r"})"}}},
       User{"u-9", "Nia", "", "nia@example.com", "https://notion.test/n.png"}},
      {"notion workspace-owned", "notion",
       {{kNotion, {200, R"({"object":"user","id":"bot-1","type":"bot","bot":{"owner":{"type":"workspace","workspace":true}}})"}}},
       User{"", "", "", "", ""}},
      {"notion wrong type", "notion", {{kNotion, {200, R"({"object":"user","bot":{"workspace_name":5}})"}}}, std::nullopt},
      // --- monday: enabled accounts; email only when verified.
      {"monday", "monday",
       {{kMonday, {200, R"({"data":{"me":{"id":"77","enabled":true,"name":"Mo","email":"mo@example.com","is_verified":true,
                                        "photo_small":"https://monday.test/s.png"}},"account_id":1})"}}},
       User{"77", "Mo", "", "mo@example.com", "https://monday.test/s.png"}},
      {"monday unverified", "monday",
       {{kMonday, {200, R"({"data":{"me":{"id":"77","enabled":true,"email":"mo@example.com","is_verified":false}}})"}}},
       User{"77", "", "", "", ""}},
      {"monday disabled", "monday", {{kMonday, {200, R"({"data":{"me":{"id":"77","enabled":false}}})"}}}, std::nullopt},
      // --- lark: union_id, never an email.
      {"lark", "lark",
       {{kLark, {200, R"({"code":0,"msg":"success","data":{"name":"Lark L","en_name":"Lark","avatar_url":"https://lark.test/a",
                         "open_id":"ou_1","union_id":"on_1","email":"l@example.com","user_id":"5d9"}})"}}},
       User{"on_1", "Lark L", "", "", "https://lark.test/a"}},
      // --- box: the login is a verified email; active users only.
      {"box", "box",
       {{kBox, {200, R"({"type":"user","id":"11446498","name":"Aaron Levie","login":"ceo@example.com","status":"active",
                        "avatar_url":"https://box.test/a"})"}}},
       User{"11446498", "Aaron Levie", "", "ceo@example.com", "https://box.test/a"}},
      {"box inactive", "box", {{kBox, {200, R"({"id":"1","login":"x@example.com","status":"inactive"})"}}}, std::nullopt},
      // --- trakt: the uuid; no email.
      {"trakt", "trakt",
       {{kTrakt, {200, R"({"user":{"username":"sean","private":false,"name":"Sean Rudford","vip":true,
                                  "ids":{"slug":"sean","uuid":"f0b0-uuid"},
                                  "images":{"avatar":{"full":"https://trakt.test/a.jpg"}}},"account":{"timezone":"UTC"}})"}}},
       User{"f0b0-uuid", "Sean Rudford", "sean", "", "https://trakt.test/a.jpg"}},
      // --- patreon: email only when verified.
      {"patreon", "patreon",
       {{kPatreon, {200, R"({"data":{"id":"pat-1","type":"user","attributes":{"email":"pat@example.com","full_name":"Pat P",
                                     "vanity":"patp","image_url":"https://patreon.test/i","is_email_verified":true}}})"}}},
       User{"pat-1", "Pat P", "patp", "pat@example.com", "https://patreon.test/i"}},
      {"patreon unverified", "patreon",
       {{kPatreon, {200, R"({"data":{"id":"pat-1","attributes":{"email":"pat@example.com","is_email_verified":false}}})"}}},
       User{"pat-1", "", "", "", ""}},
      // --- strava: numeric id; no email; the name is not trimmed.
      {"strava", "strava",
       {{kStrava, {200, R"({"id":1234567890987654,"username":"marianne_t","firstname":"Marianne","lastname":"T.",
                            "profile":"https://strava.test/large.jpg"})"}}},
       User{"1234567890987654", "Marianne T.", "marianne_t", "", "https://strava.test/large.jpg"}},
      {"strava no id", "strava", {{kStrava, {200, R"({"firstname":"Solo"})"}}}, User{"", "Solo ", "", "", ""}},
      // --- wakatime: email when confirmed, photo when public.
      {"wakatime", "wakatime",
       {{kWakatime, {200, R"({"data":{"id":"w-1","display_name":"Wak","username":"wak","email":"wak@example.com",
                                     "photo":"https://waka.test/p","photo_public":true,"is_email_confirmed":true}})"}}},
       User{"w-1", "Wak", "wak", "wak@example.com", "https://waka.test/p"}},
      {"wakatime private", "wakatime",
       {{kWakatime, {200, R"({"data":{"id":"w-1","email":"wak@example.com","photo":"https://waka.test/p",
                                     "photo_public":false,"is_email_confirmed":false}})"}}},
       User{"w-1", "", "", "", ""}},
      // --- livechat: email when verified.
      {"livechat", "livechat",
       {{kLivechat, {200, R"({"account_id":"lc-1","name":"Liv","email":"liv@example.com","email_verified":true,
                             "avatar_url":"https://lc.test/a"})"}}},
       User{"lc-1", "Liv", "", "liv@example.com", "https://lc.test/a"}},
      {"livechat unverified", "livechat",
       {{kLivechat, {200, R"({"account_id":"lc-1","email":"liv@example.com","email_verified":false})"}}},
       User{"lc-1", "", "", "", ""}},
      // --- mailcow: active (== 1) mailboxes; the username's local part.
      {"mailcow", "mailcow",
       {{kMailcow, {200, R"({"id":"mc-1","username":"max@mail.test","email":"max@mail.test","full_name":"Max M","active":1})"}}},
       User{"mc-1", "Max M", "max", "max@mail.test", ""}},
      {"mailcow inactive", "mailcow", {{kMailcow, {200, R"({"id":"mc-1","active":0})"}}}, std::nullopt},
      {"mailcow active as text", "mailcow", {{kMailcow, {200, R"({"id":"mc-1","active":"1"})"}}}, std::nullopt},
      // --- planningcenter: untagged Go fields, so keys match in any case.
      {"planningcenter", "planningcenter",
       {{kPlanning, {200, R"({"data":{"type":"Person","id":"pc-1","attributes":{"status":"active","name":"Pam",
                                     "avatar":"https://pco.test/a.png"}}})"}}},
       User{"pc-1", "Pam", "", "", "https://pco.test/a.png"}},
      {"planningcenter other case", "planningcenter",
       {{kPlanning, {200, R"({"Data":{"ID":"pc-1","Attributes":{"Status":"active"}}})"}}}, User{"pc-1", "", "", "", ""}},
      {"planningcenter inactive", "planningcenter",
       {{kPlanning, {200, R"({"data":{"id":"pc-1","attributes":{"status":"inactive"}}})"}}}, std::nullopt},
      // Any provider: an error status or a non-object answer fails the fetch.
      {"box 401", "box", {{kBox, {401, R"({"type":"error"})"}}}, std::nullopt},
      {"lark not an object", "lark", {{kLark, {200, "[]"}}}, std::nullopt},
  };
  for (const auto& c : cases) run(c);
}

TEST(OAuth2Providers, ExtraRequestDetails) {
  // linear and monday POST a GraphQL query as JSON.
  for (const char* name : {"linear", "monday"}) {
    SCOPED_TRACE(name);
    ScriptedApi api;
    run({"post", name,
         {{std::string(name) == "linear" ? kLinear : kMonday,
           {200, R"({"data":{"viewer":{"id":"1","active":true},"me":{"id":"1","enabled":true}}})"}}},
         User{"1", "", "", "", ""}},
        &api);
    ASSERT_EQ(api.requests.size(), 1u);
    EXPECT_EQ(api.requests[0].method, "POST");
    EXPECT_EQ(api.requests[0].headers.get("Content-Type"), "application/json");
    EXPECT_EQ(api.requests[0].headers.get("Authorization"), "Bearer at");
    EXPECT_NE(api.requests[0].body.find(R"({"query": "query )"), std::string::npos) << api.requests[0].body;
  }
  ScriptedApi notion;
  run({"notion", "notion", {{kNotion, {200, "{}"}}}, User{}}, &notion);
  ASSERT_EQ(notion.requests.size(), 1u);
  EXPECT_EQ(notion.requests[0].headers.get("Notion-Version"), "2022-06-28");
  ScriptedApi trakt;
  run({"trakt", "trakt", {{kTrakt, {200, "{}"}}}, User{}}, &trakt);
  ASSERT_EQ(trakt.requests.size(), 1u);
  EXPECT_EQ(trakt.requests[0].headers.get("trakt-api-key"), "cid");
  EXPECT_EQ(trakt.requests[0].headers.get("trakt-api-version"), "2");
  // gitee asks its fixed emails endpoint whatever the configured user-info URL.
  ScriptedApi gitee;
  gitee.answers[std::string("https://gitee.example/api/v5/user")] = {200, R"({"id":1})"};
  oauth2::Token t = token_from(R"({"access_token":"at"})");
  (void)oauth2::fetch_auth_user(gitee, provider("gitee", "https://gitee.example/api/v5/user"), t);
  ASSERT_EQ(gitee.requests.size(), 2u);
  EXPECT_EQ(gitee.requests[1].url, kGiteeEmails);
}

TEST(OAuth2Providers, TokenExtrasAsGoReadsThem) {
  // vk's email goes through fmt.Sprint; instagram copies the granted permissions to rawUser.
  auto vk_email = [](const char* token_json) {
    ScriptedApi api;
    api.answers[kVk] = {200, R"({"response":[{"id":1}]})"};
    return oauth2::fetch_auth_user(api, provider("vk"), token_from(token_json)).email;
  };
  EXPECT_EQ(vk_email(R"({"access_token":"at","email":null})"), "");
  EXPECT_EQ(vk_email(R"({"access_token":"at","email":1000000})"), "1e+06");
  EXPECT_EQ(vk_email(R"({"access_token":"at","email":true})"), "true");
  EXPECT_EQ(oauth2::gojson::sprint(json::parse("[1, 0.5, \"a\", {\"b\":1,\"a\":null}]")), "[1 0.5 a map[a:<nil> b:1]]");
  EXPECT_EQ(oauth2::gojson::sprint(json::parse("123456")), "123456");
  EXPECT_EQ(oauth2::gojson::sprint(json::parse("0.00001")), "1e-05");
  EXPECT_EQ(oauth2::gojson::sprint(json::parse("0.0001")), "0.0001");
  // A form answer: numeric text turns into Go numbers, a missing key into "".
  net::OutResponse form;
  form.status = 200;
  form.headers.set("Content-Type", "application/x-www-form-urlencoded");
  form.body = "access_token=at&email=12345678&perm=1.50";
  oauth2::Token ft = oauth2::parse_token_response(form);
  bool go_int = false;
  auto email = ft.extra("email", &go_int);
  ASSERT_TRUE(email);
  EXPECT_TRUE(go_int);
  EXPECT_EQ(oauth2::gojson::sprint(*email, go_int), "12345678");
  auto perm = ft.extra("perm", &go_int);
  ASSERT_TRUE(perm);
  EXPECT_FALSE(go_int);
  EXPECT_EQ(oauth2::gojson::sprint(*perm), "1.5");
  auto missing = ft.extra("nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->as_string(), "");

  ScriptedApi api;
  api.answers[kInsta] = {200, R"({"user_id":"1"})"};
  auto u = oauth2::fetch_auth_user(api, provider("instagram2"),
                                   token_from(R"({"access_token":"at","permissions":"instagram_business_basic"})"));
  ASSERT_TRUE(u.raw_user.find("permissions"));
  EXPECT_EQ(u.raw_user.find("permissions")->as_string(), "instagram_business_basic");
  api.answers[kInsta] = {200, R"({"user_id":"1","permissions":["x"]})"};
  u = oauth2::fetch_auth_user(api, provider("instagram2"), token_from(R"({"access_token":"at","permissions":"y"})"));
  EXPECT_TRUE(u.raw_user.find("permissions")->is_array());
}

}  // namespace
