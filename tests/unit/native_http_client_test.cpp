// The native HTTP client's URL handling and address policy (native/http_client.h), and the
// public-address predicate behind net::OutRequest::public_only (util/ip.h): tables.
#include <gtest/gtest.h>

#include "core/util/ip.h"
#include "native/http_client.h"

namespace larder {
namespace {

TEST(PublicAddress, AsGoNetIpPredicates) {
  const std::pair<const char*, bool> rows[] = {
      {"8.8.8.8", true},         {"93.184.216.34", true},   {"127.0.0.1", false},     {"127.255.0.9", false},
      {"0.0.0.0", false},        {"10.1.2.3", false},       {"172.16.0.1", false},    {"172.31.255.255", false},
      {"172.32.0.1", true},      {"192.168.1.1", false},    {"169.254.169.254", false}, {"224.0.0.251", false},
      {"239.1.1.1", false},      {"100.64.0.1", true},  // carrier-grade NAT is not "private" in Go either
      {"::1", false},            {"::", false},             {"fc00::1", false},       {"fd12::1", false},
      {"fe80::1", false},        {"ff02::1", false},        {"2001:db8::1", true},    {"2606:4700::1111", true},
      {"::ffff:127.0.0.1", false}, {"::ffff:10.0.0.1", false}, {"::ffff:8.8.8.8", true},
  };
  for (const auto& [text, want] : rows) {
    auto ip = util::parse_ip(text);
    ASSERT_TRUE(ip) << text;
    EXPECT_EQ(util::is_public_address(*ip), want) << text;
  }
}

TEST(NativeHttpClient, ResolvesRedirectLocations) {
  const char* base = "https://cdn.example.com/a/b/pic.png?size=2";
  const std::pair<const char*, const char*> rows[] = {
      {"https://other.example/x.png", "https://other.example/x.png"},
      {"http://plain.example/", "http://plain.example/"},
      {"//img.example/y.png", "https://img.example/y.png"},
      {"/root.png", "https://cdn.example.com/root.png"},
      {"sibling.png", "https://cdn.example.com/a/b/sibling.png"},
      {"?size=3", "https://cdn.example.com/a/b/pic.png?size=3"},
  };
  for (const auto& [loc, want] : rows) EXPECT_EQ(native::resolve_location(base, loc), want) << loc;
}

TEST(NativeHttpClient, PublicOnlyRefusesInwardAddressesBeforeConnecting) {
  native::BeastHttpClient client;
  for (const char* url : {"http://127.0.0.1:9/x", "http://[::1]:9/x", "http://10.0.0.1:9/x", "http://169.254.169.254/latest"}) {
    net::OutRequest req;
    req.method = "GET";
    req.url = url;
    req.public_only = true;
    req.timeout_ms = 2000;
    try {
      client.fetch(req);
      ADD_FAILURE() << url << " was fetched";
    } catch (const net::FetchError& e) {
      EXPECT_STREQ(e.what(), "the host resolves to no public address") << url;
    }
  }
}

}  // namespace
}  // namespace larder
