// POST /api/collections/{c}/request-email-change and confirm-email-change (api.md §7.10).
// The token (type "emailChange") carries the new address in `newEmail`; confirming needs the
// current password, sets the email and verified = true, and — the email having changed — the
// save replaces tokenKey, ending every existing session.
#include "core/api/auth_flows.h"
#include "core/api/record_auth.h"
#include "core/api/record_write.h"
#include "core/app/app.h"
#include "core/crypto/bcrypt.h"
#include "core/http/error.h"

namespace larder::api {

namespace {

using flows::field_error;

http::Response request_email_change(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  flows::require_same_collection_auth(ctx, c);
  if (c.name == "_superusers") throw http::ApiError::bad_request("All superusers can change their emails directly.");
  AuthForm form(ctx);
  std::string new_email = form.string_field("newEmail");

  auto conn = ctx.app.data_db().write();
  json::Object errs;
  if (auto e = flows::email_error(new_email)) {
    errs.set("newEmail", *e);
  } else if (new_email == ctx.auth->get_string("email")) {
    errs.set("newEmail", field_error("validation_not_in_invalid", "Must not be in list."));
  } else if (auto other = flows::find_by_email(*conn, c, new_email); other && other->id() != ctx.auth->id()) {
    errs.set("newEmail", field_error("validation_invalid_new_email", "Invalid new email address."));
  }
  flows::throw_if_invalid(std::move(errs));

  // The token is signed for the record as it is now; the mail goes to the *new* address, so
  // only its owner can confirm.
  record::Record rec = *ctx.auth;
  std::string token = auth::new_email_change_token(rec, new_email);
  flows::send_record_mail(ctx, *conn, rec, c.auth.confirm_email_change_template, {{"{TOKEN}", token}}, new_email,
                          "Failed to request email change.");
  return http::Response::no_content();
}

http::Response confirm_email_change(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  AuthForm form(ctx);
  std::string token = form.string_field("token");
  std::string password = form.string_field("password");

  auto conn = ctx.app.data_db().write();
  std::shared_ptr<const record::Record> rec;
  std::string new_email;
  json::Object errs;
  if (token.empty()) {
    errs.set("token", field_error("validation_required", "Cannot be blank."));
  } else if ((new_email = flows::unverified_claim(token, "newEmail")).empty()) {
    errs.set("token", field_error("validation_invalid_token_payload", "Invalid token payload - newEmail must be set."));
  } else if (flows::find_by_email(*conn, c, new_email)) {
    errs.set("token", field_error("validation_invalid_token_email",
                                  "The new email address is already registered: " + new_email));
  } else if (!(rec = flows::token_record(ctx, *conn, token, auth::TokenType::EmailChange))) {
    errs.set("token", field_error("validation_invalid_token", "Invalid or expired token."));
  } else if (rec->collection->id != c.id) {
    errs.set("token", field_error("validation_token_collection_mismatch",
                                  "The provided token is for different auth collection."));
  }
  if (auto e = flows::length_error(password, 1, 100)) errs.set("password", *e);
  else if (!rec || !crypto::bcrypt_verify(password, rec->get_string("password")))
    errs.set("password", field_error("validation_invalid_password", "Missing or invalid auth record password."));
  flows::throw_if_invalid(std::move(errs));

  record::UpsertForm upsert(c, rec, record::Access::Superuser);
  json::Object data{{"email", new_email}, {"verified", true}};
  upsert.load(data);
  save_draft(ctx, *conn, upsert, "Failed to confirm email change.");
  return http::Response::no_content();
}

}  // namespace

void bind_record_auth_email_change(Routes& routes) {
  routes.add("POST", "/api/collections/{collection}/request-email-change", request_email_change);
  routes.add("POST", "/api/collections/{collection}/confirm-email-change", confirm_email_change);
}

}  // namespace larder::api
