// Rule lookup and the rateLimits settings block (see rules.h).
#include "core/ratelimit/rules.h"

#include <algorithm>
#include <cmath>

namespace larder::ratelimit {

namespace {

bool audience_fits(const Rule& r, const std::vector<std::string_view>& audiences) {
  return std::find(audiences.begin(), audiences.end(), std::string_view(r.audience)) != audiences.end();
}

int64_t int_member(const json::Value& obj, std::string_view key) {
  const json::Value* v = obj.find(key);
  if (!v || !v->is_number() || !std::isfinite(v->as_number())) return 0;
  return static_cast<int64_t>(v->as_number());
}

std::string string_member(const json::Value& obj, std::string_view key) {
  const json::Value* v = obj.find(key);
  return v && v->is_string() ? v->as_string() : std::string();
}

}  // namespace

const Rule* Config::find(const std::vector<std::string>& labels, const std::vector<std::string_view>& audiences) const {
  for (const auto& label : labels) {
    for (const auto& r : rules)
      if (r.label == label && audience_fits(r, audiences)) return &r;
    // Prefix rules ("/api/", "POST /api/collections/") match the candidate and everything
    // below it: "/api/health" + "/" starts with "/api/".
    const std::string with_slash = label + "/";
    for (const auto& r : rules) {
      if (r.label.empty() || r.label.back() != '/') continue;
      if (with_slash.compare(0, r.label.size(), r.label) == 0 && audience_fits(r, audiences)) return &r;
    }
  }
  return nullptr;
}

Config Config::from_json(const json::Value& v) {
  Config c;
  if (!v.is_object()) return c;
  if (const json::Value* e = v.find("enabled"); e && e->is_bool()) c.enabled = e->as_bool();
  if (const json::Value* rules = v.find("rules"); rules && rules->is_array()) {
    for (const auto& r : rules->as_array()) {
      if (!r.is_object()) continue;
      c.rules.push_back(Rule{string_member(r, "label"), string_member(r, "audience"), int_member(r, "duration"),
                             int_member(r, "maxRequests")});
    }
  }
  if (const json::Value* ips = v.find("excludedIPs"); ips && ips->is_array())
    for (const auto& ip : ips->as_array())
      if (ip.is_string()) c.excluded_ips.push_back(ip.as_string());
  return c;
}

Config default_config() {
  Config c;
  c.rules = {{"*:auth", "", 3, 2}, {"*:create", "", 5, 20}, {"/api/batch", "", 1, 3}, {"/api/", "", 10, 300}};
  return c;
}

const std::vector<std::string_view>& audiences_for(bool authenticated) {
  static const std::vector<std::string_view> auth{"", "@auth"};
  static const std::vector<std::string_view> guest{"", "@guest"};
  return authenticated ? auth : guest;
}

}  // namespace larder::ratelimit
