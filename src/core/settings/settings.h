// The app settings (`_params` row "settings", api.md §5) as the core holds them: an immutable
// snapshot read at startup and replaced after every save, like the schema snapshot, so a request
// reads them without touching the database.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/db/sqlite.h"
#include "core/json/json.h"
#include "core/ratelimit/rules.h"

namespace larder::settings {

struct Settings {
  json::Value value;             // every member in struct order, secrets included
  ratelimit::Config rate_limits;  // value.rateLimits, typed
  // What every request reads, typed once per snapshot (value.trustedProxy, value.superuserIPs).
  std::vector<std::string> trusted_proxy_headers;
  bool use_leftmost_ip = false;
  std::vector<std::string> superuser_ips;
  // False when the stored row could not be decoded (encrypted with --encryptionEnv, or
  // malformed): the defaults are in effect and PATCH refuses to overwrite the row.
  bool readable = true;

  static std::shared_ptr<const Settings> from_value(json::Value v, bool readable = true);
  // The stored row decoded onto PocketBase's defaults (as its ReloadSettings does).
  static std::shared_ptr<const Settings> load(db::Connection& conn);
};

// Writes `value` as the settings row (stored form; creates the row if it is missing).
void save(db::Connection& conn, const json::Value& value);

}  // namespace larder::settings
