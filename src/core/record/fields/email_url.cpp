// email and url fields (PocketBase's field_email.go / field_url.go). PocketBase delegates the
// format checks to govalidator's IsEmail/IsURL, which combine Go's net/url parser with two large
// regular expressions; an address accepted here must be exactly one PocketBase accepts, so both
// are reproduced: the expressions verbatim (they are the behaviour, run on our RE2-style engine)
// and the URL parser re-expressed for the parts IsURL and the domain checks look at.
#include <algorithm>

#include "core/record/fields/common.h"

namespace larder::record::fields {

namespace {

// govalidator's email expression (MIT, github.com/asaskevich/govalidator, patterns.go).
constexpr std::string_view kEmailPattern =
    "^(((([a-zA-Z]|\\d|[!#\\$%&'\\*\\+\\-\\/=\\?\\^_`{\\|}~]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-"
    "\\x{FFEF}])+(\\.([a-zA-Z]|\\d|[!#\\$%&'\\*\\+\\-\\/=\\?\\^_`{\\|}~]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}"
    "\\x{FDF0}-\\x{FFEF}])+)*)|((\\x22)((((\\x20|\\x09)*(\\x0d\\x0a))?(\\x20|\\x09)+)?(([\\x01-\\x08\\x0b\\x0c"
    "\\x0e-\\x1f\\x7f]|\\x21|[\\x23-\\x5b]|[\\x5d-\\x7e]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])|"
    "(\\([\\x01-\\x09\\x0b\\x0c\\x0d-\\x7f]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}]))))*(((\\x20|"
    "\\x09)*(\\x0d\\x0a))?(\\x20|\\x09)+)?(\\x22)))@((([a-zA-Z]|\\d|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-"
    "\\x{FFEF}])|(([a-zA-Z]|\\d|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])([a-zA-Z]|\\d|-|\\.|_|~|"
    "[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])*([a-zA-Z]|\\d|[\\x{00A0}-\\x{D7FF}\\x{F900}-"
    "\\x{FDCF}\\x{FDF0}-\\x{FFEF}])))\\.)+(([a-zA-Z]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])|(("
    "[a-zA-Z]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])([a-zA-Z]|\\d|-|_|~|[\\x{00A0}-\\x{D7FF}"
    "\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])*([a-zA-Z]|[\\x{00A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}])))"
    "\\.?$";

// govalidator's URL expression, assembled from the same file's URLSchema, URLUsername, URLIP,
// IP, URLSubdomain, URLPort and URLPath parts.
#define LARDER_URL_IP                                                                                                 \
  "(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|"   \
  "([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]"    \
  "{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-" \
  "fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4})" \
  "{0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-"   \
  "fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))"
constexpr std::string_view kUrlPattern =
    "^((ftp|tcp|udp|wss?|https?):\\/\\/)?(\\S+(:\\S*)?@)?((([1-9]\\d?|1\\d\\d|2[01]\\d|22[0-3]|24\\d|25[0-5])(\\.(\\d{"
    "1,2}|1\\d\\d|2[0-4]\\d|25[0-5])){2}(?:\\.([0-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-5]))|(\\[" LARDER_URL_IP
    "\\])|(([a-zA-Z0-9]([a-zA-Z0-9-_]+)?[a-zA-Z0-9]([-\\.][a-zA-Z0-9]+)*)|(((www\\.)|([a-zA-Z0-9]+([-_\\.]?[a-zA-Z0-9]"
    ")*[a-zA-Z0-9]\\.[a-zA-Z0-9]+))?))?(([a-zA-Z\\x{00a1}-\\x{ffff}0-9]+-?-?)*[a-zA-Z\\x{00a1}-\\x{ffff}0-9]+)(?:\\.(["
    "a-zA-Z\\x{00a1}-\\x{ffff}]{1,}))?))\\.?(:(\\d{1,5}))?((\\/|\\?|#)[^\\s]*)?$";
#undef LARDER_URL_IP

constexpr size_t kMaxUrlRunes = 2083;  // govalidator's limit (the classic IE one)

// ---- Go net/url (Parse), as far as IsURL and the domain checks need it ------------------------

enum class Part { Path, Fragment, Host, Zone, UserPassword };

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
bool is_alnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Whether a byte would need escaping in a host (the only part whose raw bytes Parse checks).
bool host_needs_escape(unsigned char c) {
  if (is_alnum(c)) return false;
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',': case ';':
    case '=': case ':': case '[': case ']': case '<': case '>': case '"': case '-': case '_': case '.':
    case '~':
      return false;
    default:
      return true;
  }
}

// url.unescape: the decoded bytes, or nullopt for a malformed escape / a byte not allowed in a
// host.
std::optional<std::string> unescape(std::string_view s, Part part) {
  const bool hostish = part == Part::Host || part == Part::Zone;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return std::nullopt;
      const bool pct25 = s.substr(i, 3) == "%25";
      const unsigned char v = static_cast<unsigned char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
      // Hosts may only %-encode non-ASCII bytes (and "%25" before an IPv6 zone).
      if (part == Part::Host && unhex(s[i + 1]) < 8 && !pct25) return std::nullopt;
      if (part == Part::Zone && !pct25 && v != ' ' && host_needs_escape(v)) return std::nullopt;
      out += static_cast<char>(v);
      i += 3;
      continue;
    }
    if (hostish && c < 0x80 && host_needs_escape(c)) return std::nullopt;
    out += static_cast<char>(c);
    ++i;
  }
  return out;
}

bool valid_optional_port(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  return std::all_of(port.begin() + 1, port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// netip.ParseAddr's IPv4 fields: exactly four decimal 0..255 without leading zeros.
bool parse_ipv4_fields(std::string_view s) {
  int fields = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    int val = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (i > start && s[start] == '0') return false;
      val = val * 10 + (s[i] - '0');
      if (val > 255) return false;
      ++i;
    }
    if (i == start) return false;
    ++fields;
    if (i == s.size()) break;
    if (s[i] != '.' || fields == 4) return false;
    ++i;
  }
  return fields == 4;
}

// netip.ParseAddr restricted to what a bracketed URL host needs: true for a valid IPv6
// address (zone allowed).
bool is_ipv6_addr(std::string_view in) {
  size_t special = in.find_first_of(".:%");
  if (special == std::string_view::npos || in[special] != ':') return false;
  std::string_view s = in;
  if (size_t pct = s.find('%'); pct != std::string_view::npos) {
    if (pct + 1 == s.size()) return false;  // an explicit zone must not be empty
    s = s.substr(0, pct);
  }
  int groups = 0;  // 16-bit groups parsed (an embedded IPv4 counts two)
  bool ellipsis = false;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = true;
    s.remove_prefix(2);
    if (s.empty()) return true;
  }
  while (groups < 8) {
    size_t off = 0;
    unsigned acc = 0;
    for (; off < s.size() && is_hex(s[off]); ++off) {
      acc = (acc << 4) + static_cast<unsigned>(unhex(s[off]));
      if (off > 3 || acc > 0xFFFF) return false;
    }
    if (off == 0) return false;
    if (off < s.size() && s[off] == '.') {
      if ((!ellipsis && groups != 6) || groups + 2 > 8) return false;
      if (!parse_ipv4_fields(s)) return false;
      groups += 2;
      s = {};
      break;
    }
    ++groups;
    s.remove_prefix(off);
    if (s.empty()) break;
    if (s[0] != ':' || s.size() == 1) return false;
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (ellipsis) return false;
      ellipsis = true;
      s.remove_prefix(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) return false;
  if (groups < 8) return ellipsis;
  return !ellipsis;  // "::" must stand for at least one zero group
}

std::optional<std::string> parse_host(std::string_view host) {
  size_t open = host.rfind('[');
  if (open != std::string_view::npos && open > 0) return std::nullopt;
  if (open == 0) {
    size_t close = host.rfind(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view colon_port = host.substr(close + 1);
    if (!valid_optional_port(colon_port)) return std::nullopt;
    auto port = unescape(colon_port, Part::Host);
    if (!port) return std::nullopt;
    std::string_view name = host.substr(1, close - 1);
    std::string decoded;
    if (size_t zone = name.find("%25"); zone != std::string_view::npos) {
      auto a = unescape(name.substr(0, zone), Part::Host);
      auto b = unescape(name.substr(zone), Part::Zone);
      if (!a || !b) return std::nullopt;
      decoded = *a + *b;
    } else {
      auto a = unescape(name, Part::Host);
      if (!a) return std::nullopt;
      decoded = *a;
    }
    // Only IPv6 addresses may be bracketed (IPv4 fails here too).
    if (!is_ipv6_addr(decoded)) return std::nullopt;
    return "[" + decoded + "]" + *port;
  }
  // PocketBase's build keeps Go's pre-1.26 leniency: the port starts at the last colon.
  if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    if (!valid_optional_port(host.substr(colon))) return std::nullopt;
  }
  return unescape(host, Part::Host);
}

bool valid_userinfo(std::string_view s) {
  for (unsigned char c : s) {
    if (is_alnum(c)) continue;
    switch (c) {
      case '-': case '.': case '_': case ':': case '~': case '!': case '$': case '&': case '\'': case '(':
      case ')': case '*': case '+': case ',': case ';': case '=': case '%': case '@':
        continue;
      default:
        return false;  // includes every non-ASCII byte (Go rejects non-ASCII runes)
    }
  }
  return true;
}

struct ParsedUrl {
  std::string host;
  std::string path;
};

// Go's url.Parse(raw): nullopt where it returns an error.
std::optional<ParsedUrl> go_url_parse(std::string_view raw) {
  std::string_view frag;
  if (size_t hash = raw.find('#'); hash != std::string_view::npos) {
    frag = raw.substr(hash + 1);
    raw = raw.substr(0, hash);
  }
  for (unsigned char c : raw)
    if (c < 0x20 || c == 0x7F) return std::nullopt;

  ParsedUrl u;
  if (raw == "*") {
    u.path = "*";
  } else {
    // Scheme: letters, then letters/digits/+-. up to ':'.
    std::string_view scheme, rest = raw;
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        if (i == 0) break;
        continue;
      }
      if (c == ':') {
        if (i == 0) return std::nullopt;  // missing protocol scheme
        scheme = raw.substr(0, i);
        rest = raw.substr(i + 1);
      }
      break;
    }
    if (rest.size() >= 1 && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
      rest.remove_suffix(1);
    } else if (size_t q = rest.find('?'); q != std::string_view::npos) {
      rest = rest.substr(0, q);
    }
    bool opaque = false;
    if (rest.empty() || rest[0] != '/') {
      if (!scheme.empty()) {
        opaque = true;  // "mailto:x": no host, no path
      } else if (rest.substr(0, rest.find('/')).find(':') != std::string_view::npos) {
        return std::nullopt;  // first path segment in URL cannot contain colon
      }
    }
    if (!opaque) {
      if ((!scheme.empty() || rest.substr(0, 3) != "///") && rest.substr(0, 2) == "//") {
        std::string_view authority = rest.substr(2);
        rest = {};
        if (size_t slash = authority.find('/'); slash != std::string_view::npos) {
          rest = authority.substr(slash);
          authority = authority.substr(0, slash);
        }
        size_t at = authority.rfind('@');
        auto host = parse_host(at == std::string_view::npos ? authority : authority.substr(at + 1));
        if (!host) return std::nullopt;
        if (at != std::string_view::npos) {
          std::string_view userinfo = authority.substr(0, at);
          if (!valid_userinfo(userinfo)) return std::nullopt;
          size_t colon = userinfo.find(':');
          if (!unescape(userinfo.substr(0, colon), Part::UserPassword)) return std::nullopt;
          if (colon != std::string_view::npos && !unescape(userinfo.substr(colon + 1), Part::UserPassword))
            return std::nullopt;
        }
        u.host = std::move(*host);
      }
      auto path = unescape(rest, Part::Path);
      if (!path) return std::nullopt;
      u.path = std::move(*path);
    }
  }
  if (!frag.empty() && !unescape(frag, Part::Fragment)) return std::nullopt;
  return u;
}

bool listed(const std::optional<std::vector<std::string>>& list, std::string_view v) {
  return list && std::find(list->begin(), list->end(), v) != list->end();
}
bool has_items(const std::optional<std::vector<std::string>>& list) { return list && !list->empty(); }

}  // namespace

std::optional<std::string> url_host(std::string_view s) {
  auto u = go_url_parse(s);
  if (!u) return std::nullopt;
  return u->host;
}

bool is_email_format(std::string_view s) { return regex_match(kEmailPattern, s); }

bool is_url_format(std::string_view s) {
  if (s.empty() || rune_count(s) >= kMaxUrlRunes || s.size() <= 3 || s[0] == '.') return false;
  std::string probe(s);
  // A colon without "://" reads as host:port, so the parser gets a scheme to lean on.
  if (s.find(':') != std::string_view::npos && s.find("://") == std::string_view::npos) probe = "http://" + probe;
  auto u = go_url_parse(probe);
  if (!u) return false;
  if (!u->host.empty() && u->host[0] == '.') return false;
  if (u->host.empty() && !u->path.empty() && u->path.find('.') == std::string::npos) return false;
  return regex_match(kUrlPattern, s);
}

std::optional<FieldError> validate_email(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  if (!v || !v->is_string()) return unsupported_type_error();
  const std::string& val = v->as_string();
  if (f.required && val.empty()) return required_error();
  if (val.empty()) return std::nullopt;
  if (!is_email_format(val)) return make_error("validation_is_email", "must be a valid email address");
  std::string_view domain = std::string_view(val).substr(val.rfind('@') + 1);
  if ((has_items(f.only_domains) && !listed(f.only_domains, domain)) ||
      (has_items(f.except_domains) && listed(f.except_domains, domain)))
    return make_error("validation_email_domain_not_allowed", "Email domain is not allowed");
  return std::nullopt;
}

std::optional<FieldError> validate_url(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  if (!v || !v->is_string()) return unsupported_type_error();
  const std::string& val = v->as_string();
  if (f.required && val.empty()) return required_error();
  if (val.empty()) return std::nullopt;
  if (!is_url_format(val)) return make_error("validation_invalid_url", "Must be a valid url");
  if (!has_items(f.only_domains) && !has_items(f.except_domains)) return std::nullopt;
  // A value IsURL accepts may still fail Parse on its own ("1ab.com:80": a scheme-less first
  // segment with a colon); PocketBase crashes there (500). Refusing the domain is the safe answer.
  auto host = url_host(val);
  if (!host || (has_items(f.only_domains) && !listed(f.only_domains, *host)) ||
      (has_items(f.except_domains) && listed(f.except_domains, *host)))
    return make_error("validation_url_domain_not_allowed", "Url domain is not allowed");
  return std::nullopt;
}

}  // namespace larder::record::fields
