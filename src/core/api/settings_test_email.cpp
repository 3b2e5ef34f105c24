// POST /api/settings/test/email (api.md §5): a superuser sends one of an auth collection's mail
// templates to any address, rendered for a stand-in record, to check the mail setup (SMTP
// natively, the outbox elsewhere). As PocketBase's forms.TestEmailSend: every visible field of the
// stand-in reads "__pb_test_<name>__", its email is the target address, its tokens are real
// tokens of a record that does not exist (so they confirm nothing).
#include <string>

#include "core/api/auth_flows.h"
#include "core/api/common.h"
#include "core/api/context.h"
#include "core/api/record_auth.h"
#include "core/app/app.h"
#include "core/auth/token_auth.h"
#include "core/crypto/random.h"
#include "core/http/error.h"
#include "core/mail/record_mail.h"
#include "core/mail/template.h"
#include "core/util/datetime.h"

namespace larder::api {

namespace {

constexpr const char* kFailed = "Failed to send the test email.";

record::Record stand_in(const schema::Collection& c, const std::string& email) {
  record::Record rec;
  rec.collection = &c;
  for (const auto& f : c.fields)
    if (!f.hidden) rec.values.set(f.name, "__pb_test_" + f.name + "__");
  rec.values.set("tokenKey", crypto::random_alnum(50));
  rec.values.set("email", email);
  return rec;
}

http::Response test_email(RequestContext& ctx) {
  flows::require_superuser(ctx);
  AuthForm form(ctx);
  std::string collection = form.string_field("collection");
  std::string email = form.string_field("email");
  std::string tmpl = form.string_field("template");

  const schema::Collection* c = ctx.schema->find(collection.empty() ? std::string("_superusers") : collection);
  json::Object errs;
  if (!collection.empty()) {
    if (auto e = flows::length_error(collection, 1, 255)) errs.set("collection", *e);
    else if (!c || !c->is_auth())
      errs.set("collection", flows::field_error("validation_invalid_auth_collection",
                                                "Must be a valid auth collection id or name."));
  }
  if (auto e = flows::email_error(email)) errs.set("email", *e);
  if (tmpl.empty()) {
    errs.set("template", flows::field_error("validation_required", "Cannot be blank."));
  } else if (tmpl != "verification" && tmpl != "password-reset" && tmpl != "email-change" && tmpl != "otp" &&
             tmpl != "login-alert") {
    errs.set("template", flows::field_error("validation_in_invalid", "Must be a valid value."));
  }
  if (!errs.empty()) throw http::ApiError::bad_request(kFailed, json::Value(std::move(errs)));
  if (!c || !c->is_auth()) throw http::ApiError::bad_request(kFailed);  // no _superusers: nothing to render

  record::Record rec = stand_in(*c, email);
  const schema::EmailTemplate* t = nullptr;
  mail::Placeholders extra;
  if (tmpl == "verification") {
    t = &c->auth.verification_template;
    extra = {{"{TOKEN}", auth::new_token(rec, auth::TokenType::Verification)}};
  } else if (tmpl == "password-reset") {
    t = &c->auth.reset_password_template;
    extra = {{"{TOKEN}", auth::new_token(rec, auth::TokenType::PasswordReset)}};
  } else if (tmpl == "email-change") {
    t = &c->auth.confirm_email_change_template;
    extra = {{"{TOKEN}", auth::new_email_change_token(rec, email)}};
  } else if (tmpl == "otp") {
    t = &c->auth.otp_template;
    extra = {{"{OTP}", "123456"}, {"{OTP_ID}", "_PB_TEST_OTP_ID_"}};
  } else {
    t = &c->auth.auth_alert_template;
    std::string info = util::format_datetime(util::now_utc()) + " - TEST_IP TEST_USER_AGENT";
    extra = {{"{ALERT_INFO}", mail::html_escape(info)}};
  }
  mail::Message msg;
  {
    auto conn = ctx.app.data_db().read();
    msg = mail::record_message(mail::load_app_meta(*conn), rec, *t, std::move(extra), email);
  }
  try {
    ctx.app.mailer().send(msg);
  } catch (const std::exception& e) {
    throw http::ApiError::bad_request(std::string(kFailed) + " Raw error: \n" + e.what());
  }
  return http::Response::no_content();
}

}  // namespace

void bind_settings_test_email(Routes& routes) { routes.add("POST", "/api/settings/test/email", test_email); }

}  // namespace larder::api
