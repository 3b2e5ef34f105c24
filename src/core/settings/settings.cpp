// Reading and writing the settings row (see settings.h).
#include "core/settings/settings.h"

#include <cstdio>

#include "core/settings/shape.h"
#include "core/util/datetime.h"

namespace larder::settings {

std::shared_ptr<const Settings> Settings::from_value(json::Value v, bool readable) {
  auto s = std::make_shared<Settings>();
  if (const json::Value* rl = v.find("rateLimits")) s->rate_limits = ratelimit::Config::from_json(*rl);
  auto strings = [](const json::Value* list, std::vector<std::string>& out) {
    if (list && list->is_array())
      for (const auto& e : list->as_array())
        if (e.is_string()) out.push_back(e.as_string());
  };
  if (const json::Value* proxy = v.find("trustedProxy"); proxy && proxy->is_object()) {
    strings(proxy->find("headers"), s->trusted_proxy_headers);
    const json::Value* leftmost = proxy->find("useLeftmostIP");
    s->use_leftmost_ip = leftmost && leftmost->is_bool() && leftmost->as_bool();
  }
  strings(v.find("superuserIPs"), s->superuser_ips);
  s->value = std::move(v);
  s->readable = readable;
  return s;
}

std::shared_ptr<const Settings> Settings::load(db::Connection& conn) {
  json::Value v = defaults();
  auto st = conn.prepare("SELECT `value` FROM `_params` WHERE `id` = 'settings' LIMIT 1");
  if (!st.step()) return from_value(std::move(v));
  try {
    json::Value stored = json::parse(st.get_text(0));
    if (!decode_into(v, stored)) throw std::runtime_error("a member has the wrong type");
    return from_value(std::move(v));
  } catch (const std::exception& e) {
    // Encrypted (--encryptionEnv) or malformed settings: PocketBase would refuse to start; the
    // defaults keep the API usable, and the row is left untouched.
    std::fprintf(stderr, "larder: cannot read the stored settings, using the defaults: %s\n", e.what());
    return from_value(defaults(), false);
  }
}

void save(db::Connection& conn, const json::Value& value) {
  std::string now = util::format_datetime(util::now_utc());
  auto st = conn.prepare(
      "INSERT INTO `_params` (`id`, `value`, `created`, `updated`) VALUES ('settings', ?, ?, ?) "
      "ON CONFLICT (`id`) DO UPDATE SET `value` = excluded.`value`, `updated` = excluded.`updated`");
  st.bind_blob(1, json::dump(stored_form(value)));
  st.bind(2, std::string_view(now)).bind(3, std::string_view(now));
  st.step();
}

}  // namespace larder::settings
