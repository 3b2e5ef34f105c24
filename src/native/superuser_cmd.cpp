// Superuser commands (see superuser_cmd.h). The record goes through the same UpsertForm the API
// uses, so the password is validated and hashed (bcrypt cost 10, the _superusers default) exactly
// as a POST /api/collections/_superusers/records would do it.
#include "native/superuser_cmd.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "core/api/auth_flows.h"
#include "core/app/app.h"
#include "core/auth/otp.h"
#include "core/db/sqlite.h"
#include "core/record/cascade.h"
#include "core/record/form.h"
#include "core/settings/settings.h"
#include "core/settings/validate.h"
#include "core/util/datetime.h"

namespace larder::native {

const char* const kSuperuserUsage =
    "Manage superusers\n"
    "\n"
    "Usage:\n"
    "  larder superuser [command]\n"
    "\n"
    "Available Commands:\n"
    "  create      Creates a new superuser\n"
    "  delete      Deletes an existing superuser\n"
    "  ips         Updates the superuser IPs whitelist setting (the IPs/subnets arguments must be space separated; leave empty to clear the whitelist restriction)\n"
    "  otp         Creates a new OTP for the specified superuser\n"
    "  update      Changes the password of a single superuser\n"
    "  upsert      Creates, or updates if email exists, a single superuser\n"
    "\n"
    "Global Flags:\n"
    "      --dir string   the Larder (PocketBase-compatible) data directory (default \"pb_data\")\n";

namespace {

// ozzo-validation's Errors.Error(): "key: message; key: message." with keys sorted.
std::string errors_text(const json::Object& errs) {
  std::vector<std::pair<std::string, std::string>> items;
  for (const auto& [k, v] : errs) {
    const json::Value* m = v.find("message");
    items.emplace_back(k, m && m->is_string() ? m->as_string() : std::string());
  }
  std::sort(items.begin(), items.end());
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += "; ";
    out += items[i].first + ": " + items[i].second;
  }
  return out + ".";
}

int fail(const std::string& message) {
  std::fprintf(stderr, "Error: %s\n", message.c_str());
  return 1;
}

// `superuser ips [IP|CIDR ...]`: the way back in after a whitelist locked every superuser out
// (run it with the server stopped; a running server reads settings at start and on its own saves).
int run_ips(App& app, const std::vector<std::string>& ips) {
  auto current = app.settings();
  if (!current->readable) return fail("the stored settings cannot be read (encrypted?); not overwriting them");
  json::Value next = current->value;
  json::Array list;
  for (const auto& ip : ips) list.emplace_back(ip);
  next["superuserIPs"] = json::Value(std::move(list));
  schema::ValidationErrors errs = settings::validate(next);
  if (!errs.empty()) return fail(errs.to_string());
  try {
    auto conn = app.data_db().write();
    settings::save(*conn, next);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  if (ips.empty()) {
    std::printf("Successfully cleared SuperuserIPs setting!\n");
    return 0;
  }
  std::printf("Successfully updated SuperuserIPs setting:\n");
  for (size_t i = 0; i < ips.size(); ++i) std::printf("%s %s\n", i + 1 == ips.size() ? "└─" : "├─", ips[i].c_str());
  return 0;
}

// `superuser delete EMAIL`: a missing superuser is not an error; the last one cannot go.
int run_delete(App& app, const schema::Collection& c, const std::string& email) {
  auto schema = app.schema();
  auto conn = app.data_db().write();
  auto rec = api::flows::find_by_email(*conn, c, email);
  if (!rec) {
    std::printf("superuser \"%s\" is missing or already deleted\n", email.c_str());
    return 0;
  }
  const std::string who = std::string(rec->get_string("email"));
  try {
    db::Transaction tx(*conn);
    auto count = conn->prepare("SELECT COUNT(*) FROM `_superusers`");
    if (count.step() && count.get_int(0) <= 1)
      return fail("failed to delete superuser \"" + who + "\": You can't delete the only existing superuser.");
    std::vector<record::Record> deleted;
    record::delete_with_cascade(*conn, *schema, *rec, util::format_datetime(util::now_utc()), deleted);
    tx.commit();
  } catch (const std::exception& e) {
    return fail("failed to delete superuser \"" + who + "\": " + e.what());
  }
  std::printf("Successfully deleted superuser \"%s\"!\n", who.c_str());
  return 0;
}

// `superuser otp EMAIL`: a code to sign in with when the password is lost and there is no mail.
int run_otp(App& app, const schema::Collection& c, const std::string& email) {
  auto conn = app.data_db().write();
  auto rec = api::flows::find_by_email(*conn, c, email);
  if (!rec) return fail("superuser with email \"" + email + "\" doesn't exist");
  if (!c.auth.otp_enabled) return fail("OTP auth is not enabled for the _superusers collection");
  auth::NewOtp otp;
  try {
    otp = auth::create_otp(*conn, c, rec->id(), util::now_utc().unix_ms);
  } catch (const std::exception& e) {
    return fail(std::string("failed to create OTP: ") + e.what());
  }
  std::printf("Successfully created OTP for superuser \"%s\":\n", std::string(rec->get_string("email")).c_str());
  std::printf("├─ Id:    %s\n├─ Pass:  %s\n└─ Valid: %llds\n\n", otp.id.c_str(), otp.code.c_str(),
              static_cast<long long>(c.auth.otp_duration));
  return 0;
}

}  // namespace

int run_superuser(const std::string& data_dir, const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(kSuperuserUsage, stdout);
    return 0;
  }
  const std::string& sub = args[0];
  const bool with_password = sub == "upsert" || sub == "create" || sub == "update";
  const bool email_only = sub == "delete" || sub == "otp";
  if (!with_password && !email_only && sub != "ips")
    return fail("unknown command \"" + sub + "\" for \"larder superuser\"");
  if (with_password && args.size() != 3) return fail("missing email and password arguments");
  if (with_password && api::flows::email_error(args[1])) return fail("missing or invalid email address");
  if (email_only && (args.size() < 2 || api::flows::email_error(args[1])))
    return fail("invalid or missing email address");

  AppConfig ac;
  ac.data_dir = data_dir;
  std::unique_ptr<App> app;
  try {
    app = std::make_unique<App>(ac);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  if (sub == "ips") return run_ips(*app, {args.begin() + 1, args.end()});
  const std::string& email = args[1];
  auto schema = app->schema();
  const schema::Collection* c = schema->find("_superusers");
  if (!c) return fail("failed to fetch \"_superusers\" collection: no such collection");
  if (sub == "delete") return run_delete(*app, *c, email);
  if (sub == "otp") return run_otp(*app, *c, email);
  const std::string& password = args[2];

  auto conn = app->data_db().write();
  std::shared_ptr<const record::Record> existing;
  if (sub != "create") existing = api::flows::find_by_email(*conn, *c, email);
  if (sub == "update" && !existing) return fail("superuser with email \"" + email + "\" doesn't exist");
  record::UpsertForm form(*c, existing, record::Access::Superuser);
  if (sub == "update") form.load(json::Object{{"password", password}, {"passwordConfirm", password}});
  else form.load(json::Object{{"email", email}, {"password", password}, {"passwordConfirm", password}});

  const std::string fail_prefix = sub == "create"   ? "failed to validate superuser: "
                                  : sub == "update" ? "failed to change superuser \"" + email + "\" password: "
                                                    : "failed to upsert superuser account: ";
  try {
    db::Transaction tx(*conn);
    json::Object errs = form.validate(*conn, *schema);
    if (!errs.empty()) return fail(fail_prefix + errors_text(errs));
    form.save(*conn, util::format_datetime(util::now_utc()));
    tx.commit();
  } catch (const record::ValidationFailed& e) {
    return fail(fail_prefix + errors_text(e.errors));
  } catch (const std::exception& e) {
    return fail((sub == "create" ? "failed to create superuser: " : fail_prefix) + std::string(e.what()));
  }
  if (sub == "create") std::printf("Successfully created new superuser \"%s\"!\n", email.c_str());
  else if (sub == "update") std::printf("Successfully changed superuser \"%s\" password!\n", email.c_str());
  else std::printf("Successfully saved superuser \"%s\"!\n", email.c_str());
  return 0;
}

}  // namespace larder::native
