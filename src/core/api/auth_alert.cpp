// Auth origins and the new-location alert (see auth_alert.h).
#include "core/api/auth_alert.h"

#include <cstdio>
#include <string>
#include <vector>

#include "core/api/auth_flows.h"
#include "core/app/app.h"
#include "core/crypto/md5.h"
#include "core/crypto/random.h"
#include "core/crypto/sha256.h"
#include "core/mail/record_mail.h"
#include "core/mail/template.h"
#include "core/util/datetime.h"

namespace larder::api {

namespace {

constexpr size_t kMaxAuthOrigins = 5;     // per record; the least recently used are dropped
constexpr size_t kMaxUserAgent = 200;     // longer agents are cut (and marked) before hashing

struct Origin {
  std::string id;
  std::string fingerprint;
};

void send_alert(RequestContext& ctx, db::Connection& conn, const record::Record& rec, const std::string& info) {
  const schema::Collection& c = *rec.collection;
  std::string to(rec.get_string("email"));
  mail::Message msg = mail::record_message(mail::load_app_meta(conn), rec, c.auth.auth_alert_template,
                                           {{"{ALERT_INFO}", mail::html_escape(info)}}, to);
  ctx.app.mailer().send(msg);
}

}  // namespace

void record_auth_origin(RequestContext& ctx, db::Connection& conn, const record::Record& rec) {
  const schema::Collection& c = *rec.collection;
  try {
    std::string agent(ctx.req.headers.get("User-Agent"));
    if (agent.size() > kMaxUserAgent) agent = agent.substr(0, kMaxUserAgent) + "...";
    const std::string& ip = ctx.real_ip;
    std::string fingerprint = crypto::hex(crypto::md5(ip + agent));

    // Most recently used first, so the tail is what gets evicted.
    std::vector<Origin> origins;
    auto st = conn.prepare(
        "SELECT `id`, `fingerprint` FROM `_authOrigins` WHERE `collectionRef` = ? AND `recordRef` = ? "
        "ORDER BY `updated` DESC, `rowid` DESC");
    st.bind(1, c.id).bind(2, rec.id());
    while (st.step()) origins.push_back({st.get_text(0), st.get_text(1)});
    st.reset();

    const Origin* current = nullptr;
    for (const auto& o : origins)
      if (o.fingerprint == fingerprint) current = &o;
    std::string now = util::format_datetime(util::now_utc());
    if (current) {
      auto upd = conn.prepare("UPDATE `_authOrigins` SET `updated` = ? WHERE `id` = ?");
      upd.bind(1, now).bind(2, current->id);
      upd.step();
      return;
    }

    // A first sign-in ever is not "a new location": there is nothing to compare with.
    if (!origins.empty() && !rec.get_string("email").empty()) {
      try {
        send_alert(ctx, conn, rec, ip + " " + agent);
      } catch (const std::exception& e) {
        // As PocketBase: the sign-in still succeeds, but the origin is not remembered, so the
        // next sign-in from here tries the alert again.
        std::fprintf(stderr, "larder: failed to send the auth alert mail: %s\n", e.what());
        return;
      }
    }

    if (origins.size() >= kMaxAuthOrigins) {
      auto del = conn.prepare("DELETE FROM `_authOrigins` WHERE `id` = ?");
      for (size_t i = kMaxAuthOrigins - 1; i < origins.size(); ++i) {
        del.bind(1, origins[i].id);
        del.step();
        del.reset();
      }
    }
    auto ins = conn.prepare(
        "INSERT INTO `_authOrigins` (`id`, `collectionRef`, `recordRef`, `fingerprint`, `created`, `updated`) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, crypto::random_lower_alnum(15)).bind(2, c.id).bind(3, rec.id()).bind(4, fingerprint);
    ins.bind(5, now).bind(6, now);
    ins.step();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "larder: failed to record the auth origin: %s\n", e.what());
  }
}

}  // namespace larder::api
