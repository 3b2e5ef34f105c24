// Client IPs as PocketBase's RemoteIP/RealIP compute them (api/client_ip.h), and netip's
// StringExpanded form: tables of (settings, headers, peer) -> IP.
#include <gtest/gtest.h>

#include "core/api/client_ip.h"
#include "core/util/ip.h"

namespace larder {
namespace {

TEST(ClientIp, StringExpandedAsNetip) {
  const std::pair<const char*, const char*> rows[] = {
      {"127.0.0.1", "127.0.0.1"},
      {"::1", "0000:0000:0000:0000:0000:0000:0000:0001"},
      {"2001:DB8::ab", "2001:0db8:0000:0000:0000:0000:0000:00ab"},
      {"::ffff:10.0.0.1", "0000:0000:0000:0000:0000:ffff:0a00:0001"},
      {"fe80::1%eth0", "fe80:0000:0000:0000:0000:0000:0000:0001%eth0"},
  };
  for (const auto& [in, want] : rows) {
    auto ip = util::parse_ip(in);
    ASSERT_TRUE(ip) << in;
    EXPECT_EQ(util::to_string_expanded(*ip), want) << in;
  }
}

struct RealIpRow {
  const char* name;
  const char* trusted;  // settings.trustedProxy as JSON
  std::vector<std::pair<std::string, std::string>> headers;
  const char* peer;
  const char* want;
};

TEST(ClientIp, RealIpAsPocketBase) {
  const char* none = R"({"headers":[],"useLeftmostIP":false})";
  const char* xff = R"({"headers":["X-Forwarded-For"],"useLeftmostIP":false})";
  const char* xff_left = R"({"headers":["X-Forwarded-For"],"useLeftmostIP":true})";
  const char* two = R"({"headers":["CF-Connecting-IP","X-Real-Ip"],"useLeftmostIP":false})";
  const RealIpRow rows[] = {
      {"no trusted headers: the peer", none, {{"X-Forwarded-For", "1.2.3.4"}}, "10.0.0.1", "10.0.0.1"},
      {"the peer in expanded form", none, {}, "::1", "0000:0000:0000:0000:0000:0000:0000:0001"},
      {"rightmost valid", xff, {{"X-Forwarded-For", "1.1.1.1, 2.2.2.2"}}, "10.0.0.1", "2.2.2.2"},
      {"rightmost skips junk", xff, {{"X-Forwarded-For", "1.1.1.1, 2.2.2.2,junk"}}, "10.0.0.1", "2.2.2.2"},
      {"leftmost valid", xff_left, {{"X-Forwarded-For", "junk , 1.1.1.1, 2.2.2.2"}}, "10.0.0.1", "1.1.1.1"},
      {"the last of repeated headers (the nearest proxy's)", xff,
       {{"X-Forwarded-For", "6.6.6.6"}, {"x-forwarded-for", "3.3.3.3"}}, "10.0.0.1", "3.3.3.3"},
      {"an empty last value is skipped, not the earlier ones", xff,
       {{"X-Forwarded-For", "6.6.6.6"}, {"X-Forwarded-For", ""}}, "10.0.0.1", "10.0.0.1"},
      {"no valid address: the peer", xff, {{"X-Forwarded-For", "unknown, "}}, "10.0.0.1", "10.0.0.1"},
      {"headers in the configured order", two, {{"X-Real-Ip", "4.4.4.4"}, {"CF-Connecting-IP", "5.5.5.5"}}, "10.0.0.1",
       "5.5.5.5"},
      {"... falling through to the next", two, {{"X-Real-Ip", "4.4.4.4"}}, "10.0.0.1", "4.4.4.4"},
      {"IPv6 from a header, expanded", xff, {{"X-Forwarded-For", "2001:db8::1"}}, "10.0.0.1",
       "2001:0db8:0000:0000:0000:0000:0000:0001"},
      {"a bracketed IPv6 is not an IP", xff, {{"X-Forwarded-For", "[2001:db8::1]"}}, "10.0.0.1", "10.0.0.1"},
      {"no peer at all", none, {}, "", ""},
  };
  for (const auto& r : rows) {
    auto settings = settings::Settings::from_value(
        json::Value(json::Object{{"trustedProxy", json::parse(r.trusted)}, {"superuserIPs", json::Value::array()}}));
    http::Request req;
    req.remote_ip = r.peer;
    for (const auto& [k, v] : r.headers) req.headers.add(k, v);
    EXPECT_EQ(api::real_ip(req, *settings), r.want) << r.name;
  }
}

TEST(ClientIp, SuperuserWhitelist) {
  auto with = [](const char* list) {
    return settings::Settings::from_value(json::Value(json::Object{{"superuserIPs", json::parse(list)}}));
  };
  EXPECT_TRUE(api::superuser_ip_allowed(*with("[]"), "1.2.3.4"));
  EXPECT_TRUE(api::superuser_ip_allowed(*with(R"(["10.0.0.0/8"])"), "10.2.3.4"));
  EXPECT_FALSE(api::superuser_ip_allowed(*with(R"(["10.0.0.0/8"])"), "11.2.3.4"));
  EXPECT_FALSE(api::superuser_ip_allowed(*with(R"(["10.0.0.0/8"])"), ""));
  EXPECT_TRUE(api::superuser_ip_allowed(*with(R"(["junk","::1"])"), "0000:0000:0000:0000:0000:0000:0000:0001"));
}

}  // namespace
}  // namespace larder
