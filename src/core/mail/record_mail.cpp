// Record mails (see record_mail.h).
#include "core/mail/record_mail.h"

#include "core/json/json.h"

namespace larder::mail {

AppMeta load_app_meta(db::Connection& conn) {
  AppMeta meta;
  try {
    auto st = conn.prepare("SELECT `value` FROM `_params` WHERE `id` = 'settings' LIMIT 1");
    if (!st.step()) return meta;
    json::Value settings = json::parse(st.get_text(0));
    const json::Value* m = settings.find("meta");
    if (!m || !m->is_object()) return meta;
    auto take = [&](std::string_view key, std::string& out) {
      const json::Value* v = m->find(key);
      if (v && v->is_string()) out = v->as_string();
    };
    take("appName", meta.app_name);
    take("appURL", meta.app_url);
    take("senderName", meta.sender_name);
    take("senderAddress", meta.sender_address);
  } catch (const std::exception&) {
    // Encrypted or malformed settings: the defaults still produce a usable mail.
  }
  return meta;
}

Message record_message(const AppMeta& meta, const record::Record& rec, const schema::EmailTemplate& t,
                       Placeholders extra, std::string to) {
  extra.emplace("{APP_NAME}", meta.app_name);
  extra.emplace("{APP_URL}", meta.app_url);
  add_record_placeholders(extra, rec);
  Rendered r = render(t, extra);
  Message msg;
  msg.from = {meta.sender_name, meta.sender_address};
  msg.to = std::move(to);
  msg.subject = std::move(r.subject);
  msg.html = std::move(r.html);
  msg.text = std::move(r.text);
  return msg;
}

}  // namespace larder::mail
