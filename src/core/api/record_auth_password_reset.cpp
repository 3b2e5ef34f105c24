// POST /api/collections/{c}/request-password-reset and confirm-password-reset (api.md §7.9).
// The new password goes through the normal record save, which replaces the record's tokenKey:
// every auth token and the reset token itself stop working at once (no reuse).
#include "core/api/auth_flows.h"
#include "core/api/record_auth.h"
#include "core/api/record_write.h"
#include "core/app/app.h"
#include "core/auth/installer.h"
#include "core/http/error.h"

namespace larder::api {

namespace {

using flows::field_error;

std::string resend_key(const record::Record& rec) {
  return "passwordReset:" + rec.collection->id + ":" + std::string(rec.id());
}

http::Response request_password_reset(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  if (!c.auth.password_enabled)
    throw http::ApiError::bad_request("The collection is not configured to allow password authentication.");
  AuthForm form(ctx);
  std::string email = form.string_field("email");
  json::Object errs;
  if (auto e = flows::email_error(email)) errs.set("email", *e);
  flows::throw_if_invalid(std::move(errs));

  auto conn = ctx.app.data_db().write();
  auto rec = flows::find_by_email(*conn, c, email);
  // Unknown emails and throttled resends answer the same 204 (no enumeration). The installer
  // superuser never gets a reset mail (its password must stay unknown); PocketBase's mail hook
  // fails in the background, so the answer is the same 204.
  if (!rec) return http::Response::no_content();
  if (c.name == "_superusers" && rec->get_string("email") == auth::kInstallerEmail) return http::Response::no_content();
  int64_t now = flows::now_unix();
  if (ctx.app.throttle().active(resend_key(*rec), now)) return http::Response::no_content();

  std::string token = auth::new_token(*rec, auth::TokenType::PasswordReset);
  flows::send_record_mail(ctx, *conn, *rec, c.auth.reset_password_template, {{"{TOKEN}", token}},
                          std::string(rec->get_string("email")), "Failed to send password reset email.");
  ctx.app.throttle().hit(resend_key(*rec), now, 120);
  return http::Response::no_content();
}

http::Response confirm_password_reset(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  AuthForm form(ctx);
  std::string token = form.string_field("token");
  std::string password = form.string_field("password");
  std::string confirm = form.string_field("passwordConfirm");

  auto conn = ctx.app.data_db().write();
  std::shared_ptr<const record::Record> rec;
  json::Object errs;
  if (token.empty()) {
    errs.set("token", field_error("validation_required", "Cannot be blank."));
  } else if (!(rec = flows::token_record(ctx, *conn, token, auth::TokenType::PasswordReset))) {
    errs.set("token", field_error("validation_invalid_token", "Invalid or expired token."));
  } else if (rec->collection->id != c.id) {
    errs.set("token", field_error("validation_token_collection_mismatch",
                                  "The provided token is for different auth collection."));
  }
  size_t min = 0;
  if (const schema::Field* f = c.field("password"); f && f->min > 0) min = static_cast<size_t>(f->min);
  if (auto e = flows::length_error(password, min, 255)) errs.set("password", *e);  // 255: bcrypt's input cap
  if (confirm.empty()) errs.set("passwordConfirm", field_error("validation_required", "Cannot be blank."));
  else if (confirm != password)
    errs.set("passwordConfirm", field_error("validation_values_mismatch", "Values don't match."));
  flows::throw_if_invalid(std::move(errs));

  record::UpsertForm upsert(c, rec, record::Access::Superuser);
  json::Object data{{"password", password}, {"passwordConfirm", confirm}};
  // The mail reached the record's current address, which proves it.
  if (!rec->get_bool("verified") && rec->get_string("email") == flows::unverified_claim(token, "email"))
    data.set("verified", true);
  upsert.load(data);
  save_draft(ctx, *conn, upsert, "Failed to set new password.");
  ctx.app.throttle().remove(resend_key(*rec));
  return http::Response::no_content();
}

}  // namespace

void bind_record_auth_password_reset(Routes& routes) {
  routes.add("POST", "/api/collections/{collection}/request-password-reset", request_password_reset);
  routes.add("POST", "/api/collections/{collection}/confirm-password-reset", confirm_password_reset);
}

}  // namespace larder::api
