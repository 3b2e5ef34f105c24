// IP and CIDR parsing as Go's net/netip (see ip.h). Written as a single forward scan over the
// text, like netip's parser, so that exactly the same strings are accepted.
#include "core/util/ip.h"

namespace larder::util {

namespace {

// netip's parseIPv4Fields: four decimal fields 0..255, no leading zeros, no empty fields.
bool parse_ipv4_fields(std::string_view s, uint8_t* out) {
  int val = 0, pos = 0, digits = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits == 1 && val == 0) return false;  // leading zero
      val = val * 10 + (c - '0');
      ++digits;
      if (val > 255) return false;
    } else if (c == '.') {
      if (i == 0 || i == s.size() - 1 || s[i - 1] == '.') return false;
      if (pos == 3) return false;  // more than four fields
      out[pos++] = static_cast<uint8_t>(val);
      val = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (pos < 3) return false;
  out[3] = static_cast<uint8_t>(val);
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<IpAddr> parse_ipv6(std::string_view s) {
  IpAddr out;
  if (size_t pct = s.find('%'); pct != std::string_view::npos) {
    out.zone = std::string(s.substr(pct + 1));
    if (out.zone.empty()) return std::nullopt;
    s = s.substr(0, pct);
  }
  auto& ip = out.bytes;
  int ellipsis = -1;  // byte index where "::" stands
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    s.remove_prefix(2);
    if (s.empty()) return out;  // "::"
  }
  int i = 0;
  while (i < 16) {
    size_t off = 0;
    uint32_t acc = 0;
    for (; off < s.size(); ++off) {
      int h = hex_value(s[off]);
      if (h < 0) break;
      acc = (acc << 4) + static_cast<uint32_t>(h);
      if (off > 3) return std::nullopt;  // more than 4 hex digits in a group
    }
    if (off == 0) return std::nullopt;  // a group needs at least one digit
    if (off < s.size() && s[off] == '.') {
      // The trailing dotted IPv4 part: only as the last 32 bits.
      if (ellipsis < 0 && i != 12) return std::nullopt;
      if (i + 4 > 16) return std::nullopt;
      if (!parse_ipv4_fields(s, &ip[static_cast<size_t>(i)])) return std::nullopt;
      s = {};
      i += 4;
      break;
    }
    ip[static_cast<size_t>(i)] = static_cast<uint8_t>(acc >> 8);
    ip[static_cast<size_t>(i) + 1] = static_cast<uint8_t>(acc);
    i += 2;
    s.remove_prefix(off);
    if (s.empty()) break;
    if (s[0] != ':' || s.size() == 1) return std::nullopt;
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (ellipsis >= 0) return std::nullopt;  // a second "::"
      ellipsis = i;
      s.remove_prefix(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) return std::nullopt;  // trailing garbage
  if (i < 16) {
    if (ellipsis < 0) return std::nullopt;  // too short
    int n = 16 - i;
    for (int j = i - 1; j >= ellipsis; --j) ip[static_cast<size_t>(j + n)] = ip[static_cast<size_t>(j)];
    for (int j = ellipsis; j < ellipsis + n; ++j) ip[static_cast<size_t>(j)] = 0;
  } else if (ellipsis >= 0) {
    return std::nullopt;  // "::" must stand for at least one zero group
  }
  return out;
}

}  // namespace

std::optional<IpAddr> parse_ip(std::string_view s) {
  for (char c : s) {
    if (c == '.') {
      IpAddr out;
      out.is4 = true;
      out.bytes[10] = out.bytes[11] = 0xff;
      if (!parse_ipv4_fields(s, &out.bytes[12])) return std::nullopt;
      return out;
    }
    if (c == ':') return parse_ipv6(s);
    if (c == '%') return std::nullopt;  // a zone without an IPv6 address
  }
  return std::nullopt;
}

std::optional<IpPrefix> parse_prefix(std::string_view s) {
  size_t slash = s.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto addr = parse_ip(s.substr(0, slash));
  if (!addr || !addr->zone.empty()) return std::nullopt;
  std::string_view bits = s.substr(slash + 1);
  // Go's Atoi would accept a sign and leading zeros; netip refuses both.
  if (bits.empty() || bits.size() > 3) return std::nullopt;
  if (bits.size() > 1 && (bits[0] < '1' || bits[0] > '9')) return std::nullopt;
  int n = 0;
  for (char c : bits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n > (addr->is4 ? 32 : 128)) return std::nullopt;
  return IpPrefix{std::move(*addr), n};
}

bool prefix_contains(const IpPrefix& p, const IpAddr& ip) {
  if (!ip.zone.empty() || p.addr.is4 != ip.is4) return false;
  // Compare the leading `bits` bits of the address (IPv4 lives in the last four bytes).
  int bits = p.bits + (p.addr.is4 ? 96 : 0);
  for (size_t byte = 0; bits > 0; ++byte, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((p.addr.bytes[byte] ^ ip.bytes[byte]) & mask) return false;
  }
  return true;
}

bool ip_in_list(const std::vector<std::string>& list, std::string_view ip) {
  if (list.empty() || ip.empty()) return false;
  auto addr = parse_ip(ip);
  if (!addr) return false;
  for (const auto& item : list) {
    if (auto prefix = parse_prefix(item)) {
      if (prefix_contains(*prefix, *addr)) return true;
      continue;
    }
    if (auto other = parse_ip(item); other && *other == *addr) return true;
  }
  return false;
}

bool is_public_address(const IpAddr& ip) {
  const auto& b = ip.bytes;
  bool mapped = ip.is4;
  if (!mapped) {
    mapped = b[10] == 0xff && b[11] == 0xff;
    for (size_t i = 0; i < 10 && mapped; ++i) mapped = b[i] == 0;
  }
  if (mapped) {
    const uint8_t a = b[12], c = b[13];
    if (a == 0 && c == 0 && b[14] == 0 && b[15] == 0) return false;  // unspecified
    if (a == 127) return false;                                     // loopback
    if (a == 10 || (a == 172 && (c & 0xf0) == 16) || (a == 192 && c == 168)) return false;  // private
    if (a == 169 && c == 254) return false;                         // link-local unicast
    if (a >= 224 && a <= 239) return false;                         // multicast (link-local included)
    return true;
  }
  bool zero = true;
  for (size_t i = 0; i < 15 && zero; ++i) zero = b[i] == 0;
  if (zero && (b[15] == 0 || b[15] == 1)) return false;  // :: and ::1
  if ((b[0] & 0xfe) == 0xfc) return false;                // fc00::/7 private
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;  // fe80::/10 link-local unicast
  if (b[0] == 0xff) return false;                         // ff00::/8 multicast
  return true;
}

std::string to_string_expanded(const IpAddr& ip) {
  std::string out;
  if (ip.is4) {
    for (size_t i = 12; i < 16; ++i) {
      if (i > 12) out += '.';
      out += std::to_string(ip.bytes[i]);
    }
    return out;
  }
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < 16; ++i) {
    if (i > 0 && i % 2 == 0) out += ':';
    out += kHex[ip.bytes[i] >> 4];
    out += kHex[ip.bytes[i] & 0xf];
  }
  if (!ip.zone.empty()) out += "%" + ip.zone;
  return out;
}

}  // namespace larder::util
