// The `rateLimits` block of the settings (PocketBase's RateLimitsConfig): the rules, how a
// request's candidate labels pick one, and PocketBase's defaults.
//
// A rule's label is a tag ("users:auth", "*:create", a plain word), an exact path
// ("/api/health"), a method and path ("POST /api/batch"), or a path prefix ending in "/"
// ("/api/"). Its audience limits it to guests ("@guest"), authenticated requests ("@auth") or
// everyone (""). Requests are counted per rule bucket and client IP in a fixed window of
// `duration` seconds (limiter.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json/json.h"

namespace larder::ratelimit {

struct Rule {
  std::string label;
  std::string audience;  // "", "@guest" or "@auth"
  int64_t duration = 0;  // seconds
  int64_t max_requests = 0;
};

struct Config {
  std::vector<Rule> rules;
  std::vector<std::string> excluded_ips;  // IPs and CIDR subnets that are never limited
  bool enabled = false;

  // FindRateLimitRule: for each candidate label in order, the first rule with exactly that
  // label, else the first rule whose label ends in "/" and is a prefix of "<candidate>/";
  // only rules whose audience is in `audiences` count. nullptr when none applies.
  const Rule* find(const std::vector<std::string>& labels, const std::vector<std::string_view>& audiences) const;

  // Reads the settings' `rateLimits` object (missing or mistyped members keep their zero value).
  static Config from_json(const json::Value& v);
};

// PocketBase's default rules: *:auth 2/3s, *:create 20/5s, /api/batch 3/1s, /api/ 300/10s
// (disabled until the settings enable them).
Config default_config();

// The audiences a request can match: ["", "@auth"] with auth, ["", "@guest"] without.
const std::vector<std::string_view>& audiences_for(bool authenticated);

}  // namespace larder::ratelimit
