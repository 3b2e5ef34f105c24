// Rate limits as data tables: IP/CIDR parsing (Go's net/netip verdicts), PocketBase's rule
// lookup (FindRateLimitRule), the rule label format, the fixed-window counters and which routes
// carry which tags; and, through a whole App, that a request a host replays counts once.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/api/rate_limit.h"
#include "core/app/app.h"
#include "core/ratelimit/limiter.h"
#include "core/ratelimit/rules.h"
#include "core/settings/shape.h"
#include "core/settings/validate.h"
#include "core/util/host_io.h"
#include "core/util/ip.h"
#include "native/fs_store.h"

using namespace larder;

namespace {

// ---- IP addresses and prefixes ------------------------------------------------------------------

struct IpRow {
  const char* text;
  bool ok;
};

TEST(RateLimitIp, ParsesAddressesAsNetip) {
  const IpRow rows[] = {
      {"1.2.3.4", true},           {"0.0.0.0", true},
      {"255.255.255.255", true},   {"01.2.3.4", false},  // leading zero
      {"1.2.3", false},            {"1.2.3.4.5", false},
      {"256.1.1.1", false},        {"1..2.3", false},
      {"1.2.3.4.", false},         {".1.2.3", false},
      {"", false},                 {"localhost", false},
      {"::", true},                {"::1", true},
      {"1:2:3:4:5:6:7:8", true},   {"1:2:3:4:5:6:7::8", false},  // :: must stand for a zero group
      {"1:2:3:4:5:6:7:8:9", false}, {"1::2::3", false},
      {"12345::", false},          {"1:", false},
      {":1", false},               {"::ffff:1.2.3.4", true},
      {"1:2:3:4:5:6:1.2.3.4", true}, {"1:2:3:4:5:1.2.3.4", false},  // IPv4 part must be the last 32 bits
      {"fe80::1%eth0", true},      {"fe80::1%", false},
      {"1.2.3.4%eth0", false},     {"%eth0", false},
      {"FE80::ABCD", true},        {"g::1", false},
      {"2001:db8::1 ", false},
  };
  for (const auto& r : rows) EXPECT_EQ(util::parse_ip(r.text).has_value(), r.ok) << r.text;
}

TEST(RateLimitIp, ParsesPrefixesAsNetip) {
  const IpRow rows[] = {
      {"10.0.0.0/8", true},     {"10.1.2.3/8", true},  // host bits may be set
      {"10.0.0.0/0", true},     {"10.0.0.0/32", true},
      {"10.0.0.0/33", false},   {"10.0.0.0/08", false},
      {"10.0.0.0/+8", false},   {"10.0.0.0/", false},
      {"10.0.0.0/-1", false},   {"10.0.0.0", false},
      {"::/0", true},           {"2001:db8::/129", false},
      {"2001:db8::/128", true}, {"fe80::1%eth0/64", false},  // no zones in prefixes
      {"/8", false},
  };
  for (const auto& r : rows) EXPECT_EQ(util::parse_prefix(r.text).has_value(), r.ok) << r.text;
}

struct ContainsRow {
  const char* prefix;
  const char* ip;
  bool contains;
};

TEST(RateLimitIp, PrefixContainsKeepsFamiliesApart) {
  const ContainsRow rows[] = {
      {"10.0.0.0/8", "10.1.2.3", true},         {"10.0.0.0/8", "11.0.0.1", false},
      {"10.0.0.0/8", "::ffff:10.0.0.1", false},  // a mapped address is IPv6
      {"::ffff:0:0/96", "10.0.0.1", false},     {"0.0.0.0/0", "203.0.113.9", true},
      {"192.168.1.0/25", "192.168.1.127", true}, {"192.168.1.0/25", "192.168.1.128", false},
      {"2001:db8::/32", "2001:db8:ffff::5", true}, {"2001:db8::/32", "2001:db9::5", false},
      {"fe80::/10", "fe80::1%eth0", false},     // zoned addresses match no prefix
      {"::/0", "::1", true},
  };
  for (const auto& r : rows)
    EXPECT_EQ(util::prefix_contains(*util::parse_prefix(r.prefix), *util::parse_ip(r.ip)), r.contains)
        << r.prefix << " ∋ " << r.ip;
}

struct ListRow {
  std::vector<std::string> list;
  const char* ip;
  bool in;
};

TEST(RateLimitIp, IpInListAsPocketBase) {
  const ListRow rows[] = {
      {{"127.0.0.1"}, "127.0.0.1", true},
      {{"127.0.0.1"}, "::ffff:127.0.0.1", false},
      {{"junk", "10.0.0.0/8"}, "10.9.9.9", true},
      {{"10.0.0.0/8"}, "172.16.0.1", false},
      {{"::1"}, "0:0:0:0:0:0:0:1", true},  // compared as addresses, not text
      {{}, "127.0.0.1", false},
      {{"127.0.0.1"}, "", false},
      {{"127.0.0.1"}, "not-an-ip", false},
  };
  for (const auto& r : rows) EXPECT_EQ(util::ip_in_list(r.list, r.ip), r.in) << r.ip;
}

// ---- rule lookup --------------------------------------------------------------------------------

struct FindRow {
  const char* name;
  std::vector<ratelimit::Rule> rules;
  std::vector<std::string> labels;
  bool authenticated;
  std::optional<std::string> want;  // "label|audience" of the chosen rule
};

ratelimit::Rule R(const char* label, const char* audience = "") { return {label, audience, 10, 5}; }

TEST(RateLimitRules, FindsTheFirstRuleAsPocketBase) {
  const std::vector<std::string> password_users = {
      "users:authWithPassword", "users:auth", "*:authWithPassword", "*:auth",
      "POST /api/collections/users/auth-with-password", "/api/collections/users/auth-with-password"};
  const std::vector<std::string> password_clients = {
      "clients:authWithPassword", "clients:auth", "*:authWithPassword", "*:auth",
      "POST /api/collections/clients/auth-with-password", "/api/collections/clients/auth-with-password"};
  const std::vector<ratelimit::Rule> rules = {R("users:auth"), R("*:auth"), R("/api/"),
                                              R("POST /api/collections/", "@guest"), R("GET /api/health", "@auth")};
  const FindRow rows[] = {
      {"collection tag before wildcard", rules, password_users, false, "users:auth|"},
      {"wildcard tag for another collection", rules, password_clients, false, "*:auth|"},
      {"method+path rule for its audience", rules, {"GET /api/health", "/api/health"}, true, "GET /api/health|@auth"},
      {"...else the /api/ prefix", rules, {"GET /api/health", "/api/health"}, false, "/api/|"},
      {"prefix rule on the METHOD label, guest", rules, {"POST /api/x", "/api/x"}, false, "/api/|"},
      {"prefix on METHOD path", rules, {"POST /api/collections/x", "/api/collections/x"}, false,
       "POST /api/collections/|@guest"},
      {"...not for its other audience", rules, {"POST /api/collections/x", "/api/collections/x"}, true, "/api/|"},
      {"a path equal to a prefix without its slash", rules, {"/api"}, false, "/api/|"},
      {"a sibling path is no prefix", rules, {"/apix"}, false, std::nullopt},
      {"nothing for the root", rules, {"/"}, false, std::nullopt},
      {"exact label before prefix", {R("/api/"), R("/api/health")}, {"GET /api/health", "/api/health"}, false,
       "/api/health|"},
      {"prefix rules in rule order, not longest", {R("/api/"), R("/api/collections/")}, {"/api/collections/x"}, false,
       "/api/|"},
      {"audience filters exact matches", {R("tag", "@guest")}, {"tag"}, true, std::nullopt},
      {"audience @auth", {R("tag", "@guest"), R("tag2", "@auth")}, {"tag", "tag2"}, true, "tag2|@auth"},
      {"no labels", rules, {}, false, std::nullopt},
      {"no rules", {}, password_users, false, std::nullopt},
  };
  for (const auto& r : rows) {
    ratelimit::Config cfg;
    cfg.rules = r.rules;
    const ratelimit::Rule* got = cfg.find(r.labels, ratelimit::audiences_for(r.authenticated));
    std::optional<std::string> got_s;
    if (got) got_s = got->label + "|" + got->audience;
    EXPECT_EQ(got_s, r.want) << r.name;
  }
}

TEST(RateLimitRules, DefaultsArePocketBases) {
  ratelimit::Config d = ratelimit::default_config();
  EXPECT_FALSE(d.enabled);
  ASSERT_EQ(d.rules.size(), 4u);
  const std::tuple<const char*, int64_t, int64_t> want[] = {
      {"*:auth", 2, 3}, {"*:create", 20, 5}, {"/api/batch", 3, 1}, {"/api/", 300, 10}};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(d.rules[i].label, std::get<0>(want[i]));
    EXPECT_EQ(d.rules[i].max_requests, std::get<1>(want[i]));
    EXPECT_EQ(d.rules[i].duration, std::get<2>(want[i]));
    EXPECT_EQ(d.rules[i].audience, "");
  }
}

TEST(RateLimitRules, ReadsTheSettingsBlockTolerantly) {
  json::Value v = json::parse(
      R"({"enabled":true,"excludedIPs":["10.0.0.0/8",7],"rules":[{"label":"a","audience":"@auth","duration":60,"maxRequests":3},"x",{"label":"b"}]})");
  ratelimit::Config c = ratelimit::Config::from_json(v);
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.excluded_ips, std::vector<std::string>{"10.0.0.0/8"});
  ASSERT_EQ(c.rules.size(), 2u);
  EXPECT_EQ(c.rules[0].audience, "@auth");
  EXPECT_EQ(c.rules[0].duration, 60);
  EXPECT_EQ(c.rules[0].max_requests, 3);
  EXPECT_EQ(c.rules[1].label, "b");
  EXPECT_EQ(c.rules[1].max_requests, 0);
}

struct LabelRow {
  const char* label;
  bool ok;
};

TEST(RateLimitRules, LabelFormatAsPocketBase) {
  const LabelRow rows[] = {
      {"users:auth", true},    {"*:auth", true},         {"/api/", true},        {"/", true},
      {"/api/health", true},   {"GET /api/health", true}, {"POST /", true},      {"test_a", true},
      {"/api/a-b/c_d", true},  {"", false},               {"users:", false},     {":auth", false},
      {"*:*", false},          {"*", false},              {"GET  /api", false},  {"get/api", false},
      {"/api/?x", false},      {"a b", false},            {"users:auth/", false}, {"/api/x.y", false},
      {"/api/é", false},       {"GET /api/ ", false},     {"users:a:b", false},
  };
  for (const auto& r : rows) EXPECT_EQ(settings::valid_rule_label(r.label), r.ok) << r.label;
}

// ---- the counters -------------------------------------------------------------------------------

struct Hit {
  const char* bucket;
  const char* client;
  int64_t now;
  bool allowed;
};

TEST(RateLimitLimiter, FixedWindowsPerBucketAndClient) {
  // Buckets are created with max 2 per 10 s on first use.
  const Hit hits[] = {
      {"b", "1.1.1.1", 100, true},  {"b", "1.1.1.1", 101, true}, {"b", "1.1.1.1", 102, false},
      {"b", "2.2.2.2", 102, true},  // another client has its own window
      {"c", "1.1.1.1", 102, true},  // another bucket too
      {"b", "1.1.1.1", 109, false},  // the window started at 100 lasts until 110
      {"b", "1.1.1.1", 110, true},  {"b", "1.1.1.1", 115, true}, {"b", "1.1.1.1", 119, false},
      {"b", "1.1.1.1", 500, true},
  };
  ratelimit::Limiter l;
  for (const auto& h : hits)
    EXPECT_EQ(l.allow(h.bucket, h.client, 2, 10, h.now), h.allowed) << h.bucket << " " << h.client << " @" << h.now;
}

TEST(RateLimitLimiter, BucketKeepsItsFirstRuleUntilReset) {
  ratelimit::Limiter l;
  EXPECT_TRUE(l.allow("b", "ip", 1, 60, 0));
  EXPECT_FALSE(l.allow("b", "ip", 100, 60, 1));  // still max 1: the bucket was made with it
  l.reset();
  EXPECT_TRUE(l.allow("b", "ip", 2, 60, 2));
  EXPECT_TRUE(l.allow("b", "ip", 2, 60, 3));
  EXPECT_FALSE(l.allow("b", "ip", 2, 60, 4));
}

TEST(RateLimitLimiter, EndedWindowsAreDroppedInvisibly) {
  ratelimit::Limiter l;
  for (int i = 0; i < 100; ++i) l.allow("b", "10.0.0." + std::to_string(i), 1, 5, 0);
  EXPECT_EQ(l.size(), 100u);
  // A minute later the next request sweeps the ended windows; limits behave as before.
  EXPECT_TRUE(l.allow("b", "10.0.0.1", 1, 5, 60));
  EXPECT_EQ(l.size(), 1u);
  EXPECT_FALSE(l.allow("b", "10.0.0.1", 1, 5, 61));
}

struct RefundRow {
  const char* name;
  int64_t refund_at;  // when the void run is refunded
  int64_t retry_at;   // when the replay comes
  bool replay_allowed;
  bool next_allowed;  // one more request right after the replay
};

TEST(RateLimitLimiter, RefundGivesBackAVoidRun) {
  // max 1 per 10 s, the first run at t=100 is void (refunded), then the host replays it.
  const RefundRow rows[] = {
      {"refund in the same window", 100, 100, true, false},
      {"refund after the window ended does nothing (the replay opens a new one)", 111, 111, true, false},
      {"no refund: the replay is refused", -1, 100, false, false},
  };
  for (const auto& r : rows) {
    ratelimit::Limiter l;
    ratelimit::Charge c;
    ASSERT_TRUE(l.allow("b", "ip", 1, 10, 100, &c)) << r.name;
    EXPECT_EQ(c.window_start, 100) << r.name;
    if (r.refund_at >= 0) l.refund(c);
    EXPECT_EQ(l.allow("b", "ip", 1, 10, r.retry_at), r.replay_allowed) << r.name;
    EXPECT_EQ(l.allow("b", "ip", 1, 10, r.retry_at), r.next_allowed) << r.name;
  }
  // A refund never raises a window above its maximum.
  ratelimit::Limiter l;
  ratelimit::Charge c;
  ASSERT_TRUE(l.allow("b", "ip", 2, 10, 0, &c));
  l.refund(c);
  l.refund(c);
  EXPECT_TRUE(l.allow("b", "ip", 2, 10, 1));
  EXPECT_TRUE(l.allow("b", "ip", 2, 10, 1));
  EXPECT_FALSE(l.allow("b", "ip", 2, 10, 1));
}

// ---- a replayed request counts once -------------------------------------------------------------

// A FileStore like the wasm host's: the first stat/read of a key asks the host for the I/O
// (HostIoNeeded) and the host runs the whole request again; later ones are answered.
class ReplayStore : public files::FileStore {
 public:
  explicit ReplayStore(std::string root) : inner_(std::move(root)) {}
  void put(const std::string& key, std::string_view data, const std::string& type, const std::string& name) override {
    inner_.put(key, data, type, name);
  }
  void remove(const std::string& key) override { inner_.remove(key); }
  void remove_prefix(const std::string& prefix) override { inner_.remove_prefix(prefix); }
  std::optional<files::FileInfo> stat(const std::string& key) override {
    need("stat", key);
    return inner_.stat(key);
  }
  std::optional<std::string> read(const std::string& key, uint64_t offset, uint64_t length) override {
    need("read", key);
    return inner_.read(key, offset, length);
  }
  std::vector<std::string> list(const std::string& prefix) override { return inner_.list(prefix); }

 private:
  void need(const std::string& kind, const std::string& key) {
    if (fetched_.insert(kind + ":" + key).second) throw HostIoNeeded{kind, key};
  }
  native::FsStore inner_;
  std::set<std::string> fetched_;
};

TEST(RateLimitApp, ARequestTheHostReplaysCountsOnce) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("larder-ratelimit-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(fs::path(LARDER_FIXTURES_DIR) / "pocketbase-testdata", dir, fs::copy_options::recursive);
  {
    AppConfig cfg;
    cfg.data_dir = dir.string();
    App app(cfg);
    app.set_file_store(std::make_unique<ReplayStore>((dir / "storage").string()));
    json::Value s = settings::defaults();
    ASSERT_TRUE(settings::decode_into(
        s, json::parse(R"({"rateLimits":{"enabled":true,"rules":[{"label":"*:file","maxRequests":1,"duration":3600}]}})")));
    app.set_settings(settings::Settings::from_value(s));

    http::Request req;
    req.method = "GET";
    req.target = "/api/files/_pb_users_auth_/4q1xlclmfloku33/300_1SEi6Q6U72.png";
    req.remote_ip = "203.0.113.7";
    auto run = [&](int& attempts) {
      for (attempts = 1;; ++attempts) {
        try {
          return app.handle(req).status;
        } catch (const HostIoNeeded&) {
          if (attempts > 10) return -1;
        }
      }
    };
    int attempts = 0;
    EXPECT_EQ(run(attempts), 200);  // one request, however many runs it took
    EXPECT_GE(attempts, 2);
    EXPECT_EQ(run(attempts), 429);  // the limit is 1: the replays were not counted, this one is over
    EXPECT_EQ(attempts, 1);
  }
  fs::remove_all(dir);
}

// ---- which routes carry which tags ------------------------------------------------------------

struct RouteRow {
  const char* method;
  const char* pattern;
  api::RouteRateLimit::Kind kind;
  std::vector<std::string> tags;
};

TEST(RateLimitRoutes, TagsAsPocketBaseBindsThem) {
  using K = api::RouteRateLimit::Kind;
  const RouteRow rows[] = {
      {"POST", "/api/collections/{collection}/auth-with-password", K::Collection, {"authWithPassword", "auth"}},
      {"POST", "/api/collections/{collection}/auth-with-otp", K::Collection, {"authWithOTP", "auth"}},
      {"POST", "/api/collections/{collection}/auth-with-oauth2", K::Collection, {"authWithOAuth2", "auth"}},
      {"POST", "/api/collections/{collection}/request-otp", K::Collection, {"requestOTP"}},
      {"POST", "/api/collections/{collection}/auth-refresh", K::Collection, {"authRefresh"}},
      {"GET", "/api/collections/{collection}/auth-methods", K::Collection, {"listAuthMethods"}},
      {"POST", "/api/collections/{collection}/confirm-email-change", K::Collection, {"confirmEmailChange"}},
      {"GET", "/api/files/{collection}/{recordId}/{filename}", K::Collection, {"file"}},
      {"GET", "/api/collections/{collection}/records", K::Records, {"list"}},
      {"GET", "/api/collections/{collection}/records/{id}", K::Records, {"view"}},
      {"POST", "/api/collections/{collection}/records", K::Records, {"create"}},
      {"PATCH", "/api/collections/{collection}/records/{id}", K::Records, {"update"}},
      {"DELETE", "/api/collections/{collection}/records/{id}", K::Records, {"delete"}},
      {"POST", "/api/collections/{collection}/impersonate/{id}", K::Global, {}},  // no collection middleware
      {"GET", "/api/health", K::Global, {}},
      {"PATCH", "/api/settings", K::Global, {}},
      {"PUT", "/api/collections/{collection}/records", K::Global, {}},  // not a route: global
  };
  for (const auto& r : rows) {
    api::RouteRateLimit got = api::route_rate_limit(r.method, r.pattern);
    EXPECT_EQ(got.kind, r.kind) << r.method << " " << r.pattern;
    EXPECT_EQ(got.tags, r.tags) << r.method << " " << r.pattern;
  }
}

}  // namespace
