// Purging spent _otps and _mfas rows (see expired.h).
#include "core/auth/expired.h"

#include "core/util/datetime.h"

namespace larder::auth {

namespace {

constexpr const char* kOtps = "DELETE FROM `_otps` WHERE `collectionRef` = ? AND `created` < ?";
constexpr const char* kMfas = "DELETE FROM `_mfas` WHERE `collectionRef` = ? AND `created` < ?";

int64_t purge(db::Connection& conn, const char* sql, const schema::Collection& c, int64_t duration_s, int64_t now_ms) {
  // The same "created < now - duration" cut PocketBase makes; `created` is stored in the
  // fixed-width "2006-01-02 15:04:05.000Z" form, so text order is time order.
  std::string cut = util::format_datetime(util::DateTime{now_ms - duration_s * 1000});
  auto st = conn.prepare(sql);
  st.bind(1, c.id).bind(2, cut);
  st.step();
  return conn.changes();
}

}  // namespace

void purge_expired_otps(db::Connection& conn, const schema::Collection& c, int64_t now_ms) {
  purge(conn, kOtps, c, c.auth.otp_duration, now_ms);
}

void purge_expired_mfas(db::Connection& conn, const schema::Collection& c, int64_t now_ms) {
  purge(conn, kMfas, c, c.auth.mfa_duration, now_ms);
}

int64_t purge_all_expired(db::Connection& conn, const schema::Schema& schema, int64_t now_ms) {
  int64_t n = 0;
  db::Transaction tx(conn);
  for (const auto& c : schema.all()) {
    if (!c->is_auth()) continue;
    n += purge(conn, kOtps, *c, c->auth.otp_duration, now_ms);
    n += purge(conn, kMfas, *c, c->auth.mfa_duration, now_ms);
  }
  tx.commit();
  return n;
}

}  // namespace larder::auth
