// POST /api/collections/{c}/request-otp and auth-with-otp (api.md §7.7,
// auth-realtime-files.md §4.3). One-time passwords live in `_otps` as bcrypt hashes (cost 8, as
// PocketBase's _otps.password field); the plain code only ever exists in the mail.
#include "core/api/auth_flows.h"
#include "core/api/common.h"
#include "core/api/record_auth.h"
#include "core/api/record_write.h"
#include "core/app/app.h"
#include "core/auth/otp.h"
#include "core/crypto/bcrypt.h"
#include "core/crypto/random.h"
#include "core/http/error.h"
#include "core/record/store.h"
#include "core/util/datetime.h"

namespace larder::api {

namespace {

constexpr int kMaxLiveOtpsPerRecord = 9;  // beyond this the newest is reused (no new mail)
constexpr int kMaxAttempts = 5;           // per record and client IP ...
constexpr int64_t kAttemptsWindow = 180;  // ... per this many seconds

void require_otp(const schema::Collection& c) {
  if (!c.auth.otp_enabled)
    throw http::ApiError::forbidden("The collection is not configured to allow OTP authentication.");
}

// `created` values at or after this are within the OTP lifetime (datetimes compare as text).
std::string live_since(const schema::Collection& c) {
  util::DateTime now = util::now_utc();
  return util::format_datetime(util::DateTime{now.unix_ms - c.auth.otp_duration * 1000});
}

http::Response request_otp(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  require_otp(c);
  AuthForm form(ctx);
  std::string email = form.string_field("email");
  json::Object errs;
  if (auto e = flows::email_error(email)) errs.set("email", *e);
  flows::throw_if_invalid(std::move(errs));

  auto conn = ctx.app.data_db().write();
  auto rec = flows::find_by_email(*conn, c, email);
  // An unknown email gets a well-formed but fake id, so the answer does not reveal accounts.
  if (!rec) return json_response(ctx, 200, json::Value(json::Object{{"otpId", crypto::random_lower_alnum(15)}}));

  auto live = conn->prepare(
      "SELECT `id` FROM `_otps` WHERE `collectionRef` = ? AND `recordRef` = ? AND `created` >= ? "
      "ORDER BY `created` DESC, `rowid` DESC");
  live.bind(1, c.id).bind(2, rec->id()).bind(3, live_since(c));
  std::string newest;
  int count = 0;
  while (live.step()) {
    if (count++ == 0) newest = live.get_text(0);
  }
  if (count > kMaxLiveOtpsPerRecord)
    return json_response(ctx, 200, json::Value(json::Object{{"otpId", newest}}));

  auto [id, code] = auth::create_otp(*conn, c, rec->id(), util::now_utc().unix_ms);

  std::string to(rec->get_string("email"));
  try {
    flows::send_record_mail(ctx, *conn, *rec, c.auth.otp_template, {{"{OTP}", code}, {"{OTP_ID}", id}}, to,
                            "Failed to send OTP email.");
    // sentTo records where the code went: auth-with-otp verifies the address only if it matches.
    auto upd = conn->prepare("UPDATE `_otps` SET `sentTo` = ? WHERE `id` = ?");
    upd.bind(1, to).bind(2, id);
    upd.step();
  } catch (const http::ApiError&) {
    // PocketBase sends OTP mails in the background and only logs failures; the id is still
    // the answer (send_record_mail has logged the cause).
  }
  return json_response(ctx, 200, json::Value(json::Object{{"otpId", id}}));
}

http::Response auth_with_otp(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  require_otp(c);
  AuthForm form(ctx);
  std::string otp_id = form.string_field("otpId");
  std::string password = form.string_field("password");
  json::Object errs;
  if (auto e = flows::length_error(otp_id, 1, 255)) errs.set("otpId", *e);
  if (auto e = flows::length_error(password, 1, 71)) errs.set("password", *e);
  flows::throw_if_invalid(std::move(errs));

  const auto invalid = [] { return http::ApiError::bad_request("Invalid or expired OTP."); };
  auto conn = ctx.app.data_db().write();
  auto st = conn->prepare(
      "SELECT `collectionRef`, `recordRef`, `password`, `sentTo`, `created` FROM `_otps` WHERE `id` = ? LIMIT 1");
  st.bind(1, otp_id);
  if (!st.step()) throw invalid();
  std::string collection_ref = st.get_text(0), record_ref = st.get_text(1), hash = st.get_text(2),
              sent_to = st.get_text(3), created = st.get_text(4);
  st.reset();
  if (collection_ref != c.id || created < live_since(c)) throw invalid();
  std::shared_ptr<record::Record> rec = record::find_by_id(*conn, c, record_ref);
  if (!rec) throw invalid();

  // Counted before the check so that guessing is bounded whatever the outcome.
  std::string attempts_key = "otp:" + c.id + ":" + record_ref + ":" + ctx.real_ip;
  if (ctx.app.throttle().hit(attempts_key, flows::now_unix(), kAttemptsWindow) > kMaxAttempts)
    throw http::ApiError(429, "Too many attempts, please try again later with a new OTP.");
  if (!crypto::bcrypt_verify(password, hash)) throw invalid();

  query::RequestInfo info = request_info(ctx);
  info.context = "otp";
  if (!rec->get_bool("verified") && !sent_to.empty() && sent_to == rec->get_string("email")) {
    // The code reached the record's address, which proves it.
    record::UpsertForm upsert(c, rec, record::Access::Superuser);
    json::Object data{{"verified", true}};
    if (!c.auth.mfa_enabled) {
      // A password pre-set by someone who registered the address first must stop working.
      std::string pw = crypto::random_alnum(30);
      data.set("password", pw);
      data.set("passwordConfirm", pw);
    }
    upsert.load(data);
    save_draft(ctx, *conn, upsert, "Failed to authenticate.");
    rec = std::make_shared<record::Record>(upsert.draft().record);
  }
  std::string token = auth::new_token(*rec, auth::TokenType::Auth);
  http::Response res = auth_response(ctx, *conn, rec, token, "otp", info);
  // An MFA answer (401 {"mfaId"}) does not spend the OTP, as in PocketBase.
  if (res.status != 200) return res;
  auto del = conn->prepare("DELETE FROM `_otps` WHERE `id` = ?");
  del.bind(1, otp_id);
  del.step();
  return res;
}

}  // namespace

void bind_record_auth_otp(Routes& routes) {
  routes.add("POST", "/api/collections/{collection}/request-otp", request_otp);
  routes.add("POST", "/api/collections/{collection}/auth-with-otp", auth_with_otp);
}

}  // namespace larder::api
