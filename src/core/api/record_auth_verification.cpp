// POST /api/collections/{c}/request-verification and confirm-verification (api.md §7.8):
// a "verification" token mailed to the record's address; confirming it sets verified = true.
#include "core/api/auth_flows.h"
#include "core/api/record_auth.h"
#include "core/api/record_write.h"
#include "core/app/app.h"
#include "core/crypto/random.h"
#include "core/http/error.h"

namespace larder::api {

namespace {

using flows::field_error;

std::string resend_key(const record::Record& rec) {
  return "verification:" + rec.collection->id + ":" + std::string(rec.id());
}

http::Response request_verification(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  if (c.name == "_superusers") throw http::ApiError::bad_request("All superusers are verified by default.");
  AuthForm form(ctx);
  std::string email = form.string_field("email");
  json::Object errs;
  if (auto e = flows::email_error(email)) errs.set("email", *e);
  flows::throw_if_invalid(std::move(errs));

  auto conn = ctx.app.data_db().write();
  auto rec = flows::find_by_email(*conn, c, email);
  // 204 whatever happens next: the answer must not reveal whether the email is registered,
  // already verified, or was mailed a moment ago.
  if (!rec || rec->get_bool("verified")) return http::Response::no_content();
  int64_t now = flows::now_unix();
  if (ctx.app.throttle().active(resend_key(*rec), now)) return http::Response::no_content();

  std::string token = auth::new_token(*rec, auth::TokenType::Verification);
  flows::send_record_mail(ctx, *conn, *rec, c.auth.verification_template, {{"{TOKEN}", token}},
                          std::string(rec->get_string("email")), "Failed to send verification email.");
  ctx.app.throttle().hit(resend_key(*rec), now, 120);
  return http::Response::no_content();
}

http::Response confirm_verification(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  AuthForm form(ctx);
  std::string token = form.string_field("token");

  auto conn = ctx.app.data_db().write();
  std::shared_ptr<const record::Record> rec;
  json::Object errs;
  if (token.empty()) {
    errs.set("token", field_error("validation_required", "Cannot be blank."));
  } else {
    std::string email = flows::unverified_claim(token, "email");
    if (email.empty()) {
      errs.set("token", field_error("validation_invalid_token_claims", "Missing email token claim."));
    } else if (!(rec = flows::token_record(ctx, *conn, token, auth::TokenType::Verification))) {
      errs.set("token", field_error("validation_invalid_token", "Invalid or expired token."));
    } else if (rec->collection->id != c.id) {
      errs.set("token", field_error("validation_token_collection_mismatch",
                                    "The provided token is for different auth collection."));
    } else if (rec->get_string("email") != email) {
      errs.set("token", field_error("validation_token_email_mismatch",
                                    "The record email doesn't match with the requested token claims."));
    }
  }
  flows::throw_if_invalid(std::move(errs));

  if (rec->get_bool("verified")) return http::Response::no_content();
  record::UpsertForm upsert(c, rec, record::Access::Superuser);
  json::Object data{{"verified", true}};
  if (!c.auth.password_enabled) {
    // As PocketBase: a collection without password auth gets a random password on verification,
    // so that one set by whoever created the account before the owner verified it is useless.
    std::string pw = crypto::random_alnum(30);
    data.set("password", pw);
    data.set("passwordConfirm", pw);
  }
  upsert.load(data);
  save_draft(ctx, *conn, upsert, "An error occurred while saving the verified state.");
  ctx.app.throttle().remove(resend_key(*rec));
  return http::Response::no_content();
}

}  // namespace

void bind_record_auth_verification(Routes& routes) {
  routes.add("POST", "/api/collections/{collection}/request-verification", request_verification);
  routes.add("POST", "/api/collections/{collection}/confirm-verification", confirm_verification);
}

}  // namespace larder::api
