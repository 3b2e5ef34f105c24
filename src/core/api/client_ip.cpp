// Client IPs as PocketBase computes them (see client_ip.h).
#include "core/api/client_ip.h"

#include <vector>

#include "core/util/ip.h"
#include "core/util/trim.h"

namespace larder::api {

namespace {

// PocketBase's RemoteIP.
std::string remote_ip(const http::Request& req) {
  auto addr = util::parse_ip(req.remote_ip);
  return addr ? util::to_string_expanded(*addr) : req.remote_ip;
}

}  // namespace

std::string real_ip(const http::Request& req, const settings::Settings& settings) {
  for (const std::string& name : settings.trusted_proxy_headers) {
    auto values = req.headers.all(name);
    if (values.empty() || values.back().empty()) continue;
    std::vector<std::string_view> ips;
    std::string_view list = values.back();
    for (size_t start = 0;;) {
      size_t comma = list.find(',', start);
      size_t len = comma == std::string_view::npos ? std::string_view::npos : comma - start;
      ips.push_back(util::trim(list.substr(start, len)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    for (size_t k = 0; k < ips.size(); ++k) {
      std::string_view candidate = settings.use_leftmost_ip ? ips[k] : ips[ips.size() - 1 - k];
      if (auto addr = util::parse_ip(candidate)) return util::to_string_expanded(*addr);
    }
  }
  return remote_ip(req);
}

bool superuser_ip_allowed(const settings::Settings& settings, std::string_view ip) {
  return settings.superuser_ips.empty() || util::ip_in_list(settings.superuser_ips, ip);
}

}  // namespace larder::api
