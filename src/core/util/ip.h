// IP addresses and CIDR prefixes with Go's net/netip semantics, for the IP lists of the settings
// (`rateLimits.excludedIPs`, `superuserIPs`): what ParseAddr/ParsePrefix accept, and how
// PocketBase's isIPInList compares a client IP with a list of IPs and subnets.
//
// As in netip, an IPv4 address and its IPv4-mapped IPv6 form ("::ffff:1.2.3.4") are different
// addresses, an IPv4 address never matches an IPv6 prefix (nor the reverse), and an address
// with a zone ("fe80::1%eth0") matches no prefix.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace larder::util {

struct IpAddr {
  std::array<uint8_t, 16> bytes{};  // IPv4 in the last 4 bytes (the IPv4-mapped layout)
  bool is4 = false;                 // a plain IPv4 address (not a mapped IPv6 one)
  std::string zone;                 // IPv6 zone, without the '%'

  bool operator==(const IpAddr& o) const { return bytes == o.bytes && is4 == o.is4 && zone == o.zone; }
};

struct IpPrefix {
  IpAddr addr;
  int bits = 0;  // 0..32 for IPv4, 0..128 for IPv6
};

// netip.ParseAddr: dotted IPv4 (no leading zeros), IPv6 with "::" and an optional trailing
// dotted IPv4 part, an optional "%zone" on IPv6.
std::optional<IpAddr> parse_ip(std::string_view s);
// netip.ParsePrefix: "<addr>/<bits>", no zone, bits without sign or leading zeros.
std::optional<IpPrefix> parse_prefix(std::string_view s);
// netip.Prefix.Contains.
bool prefix_contains(const IpPrefix& p, const IpAddr& ip);

// PocketBase's isIPInList: `ip` equals one of the listed IPs or lies in one of the listed
// subnets; unparsable entries are skipped, and an empty or unparsable `ip` is in no list.
bool ip_in_list(const std::vector<std::string>& list, std::string_view ip);

// Not loopback, private, link-local (unicast or multicast), multicast or unspecified: the
// addresses PocketBase's safe HTTP client may connect to for OAuth2 avatars (Go's net.IP
// predicates; an IPv4-mapped IPv6 address is judged as its IPv4 address, as Go does).
bool is_public_address(const IpAddr& ip);

// netip.Addr.StringExpanded: IPv4 dotted, IPv6 as eight 4-digit lower-case hex groups (no "::"),
// then "%zone". PocketBase reports client IPs in this form (RemoteIP, RealIP).
std::string to_string_expanded(const IpAddr& ip);

}  // namespace larder::util
