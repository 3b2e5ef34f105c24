// Reading and writing the settings row (see settings.h).
#include "core/settings/settings.h"

#include <cstdio>

#include "core/settings/shape.h"
#include "core/util/datetime.h"

namespace larder::settings {

std::shared_ptr<const Settings> Settings::from_value(json::Value v, bool readable) {
  auto s = std::make_shared<Settings>();
  if (const json::Value* rl = v.find("rateLimits")) s->rate_limits = ratelimit::Config::from_json(*rl);
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
