// Auth endpoints of auth collections: auth-methods, auth-with-password, auth-refresh
// (api.md §7.2, §7.3, §7.6) and the shared auth response pipeline.
#include "core/api/record_auth.h"


#include "core/api/auth_alert.h"
#include "core/api/client_ip.h"
#include "core/api/auth_mfa.h"
#include "core/api/common.h"
#include "core/api/enrich.h"
#include "core/api/record_auth_oauth2.h"
#include "core/api/request_data.h"
#include "core/app/app.h"
#include "core/auth/jwt.h"
#include "core/auth/token_auth.h"
#include "core/crypto/bcrypt.h"
#include "core/db/index_def.h"
#include "core/db/schema_sql.h"
#include "core/http/error.h"
#include "core/query/record_query.h"
#include "core/record/codec.h"
#include "core/record/output.h"
#include "core/record/store.h"

namespace larder::api {

namespace {

json::Value field_error(const char* code, const char* message) {
  return json::Value(json::Object{{"code", code}, {"message", message}});
}

bool looks_like_email(std::string_view s) {
  // ozzo's is.EmailFormat is a permissive RFC 5322 check; what matters here is only whether a
  // lookup by email could possibly match, so an '@' with text on both sides and no spaces.
  size_t at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() && s.find(' ') == std::string_view::npos &&
         s.find('@', at + 1) == std::string_view::npos;
}

std::shared_ptr<record::Record> find_by_identity(db::Connection& conn, const schema::Collection& c,
                                                 const std::string& field, const std::string& value) {
  const schema::Field* f = c.field(field);
  if (!f) return nullptr;
  auto index = db::find_single_column_unique_index(c.indexes, field);
  if (!index) return nullptr;
  std::string t = db::quote_ident(c.name);
  bool nocase = http::iequals(index->columns[0].collate, "nocase");
  auto st = conn.prepare("SELECT " + t + ".* FROM " + t + " WHERE " + t + "." + db::quote_ident(f->name) +
                         (nocase ? " = ? COLLATE NOCASE" : " = ?") + " LIMIT 1");
  st.bind(1, std::string_view(value));
  if (!st.step()) return nullptr;
  return std::make_shared<record::Record>(record::read_record(c, st));
}

// Some hash of the collection: comparing against it makes an unknown identity cost as much
// time as a wrong password.
std::string dummy_password_hash(db::Connection& conn, const schema::Collection& c) {
  static const std::string fallback = crypto::bcrypt_hash("larder-dummy-password", schema::kDefaultBcryptCost);
  if (c.field("password")) {
    auto st = conn.prepare("SELECT `password` FROM " + db::quote_ident(c.name) + " LIMIT 1");
    if (st.step() && !st.get_text_view(0).empty()) return st.get_text(0);
  }
  return fallback;
}

http::Response auth_methods(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  const auto& a = c.auth;
  json::Array identity;
  if (a.password_enabled)
    for (const auto& f : a.identity_fields) identity.emplace_back(f);
  bool email_pw = false, username_pw = false;
  if (a.password_enabled) {
    for (const auto& f : a.identity_fields) {
      email_pw = email_pw || f == "email";
      username_pw = username_pw || f == "username";
    }
  }
  json::Object out;
  out.set("password", json::Value(json::Object{{"identityFields", json::Value(std::move(identity))},
                                               {"enabled", a.password_enabled}}));
  json::Value providers = a.oauth2_enabled ? oauth2_auth_methods_providers(c) : json::Value::array();
  out.set("oauth2", json::Value(json::Object{{"providers", providers}, {"enabled", a.oauth2_enabled}}));
  out.set("mfa", json::Value(json::Object{{"enabled", a.mfa_enabled},
                                          {"duration", a.mfa_enabled ? static_cast<double>(a.mfa_duration) : 0.0}}));
  out.set("otp", json::Value(json::Object{{"enabled", a.otp_enabled},
                                          {"duration", a.otp_enabled ? static_cast<double>(a.otp_duration) : 0.0}}));
  // Legacy copy of the providers, without logos.
  json::Value legacy;
  if (a.oauth2_enabled) {
    legacy = providers;
    for (auto& p : legacy.as_array()) p.as_object().set("logo", "");
  }
  out.set("authProviders", std::move(legacy));
  out.set("usernamePassword", username_pw);
  out.set("emailPassword", email_pw);
  return json_response(ctx, 200, json::Value(std::move(out)));
}

http::Response auth_with_password(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  if (!c.auth.password_enabled)
    throw http::ApiError::forbidden("The collection is not configured to allow password authentication.");
  AuthForm form(ctx);
  std::string identity = form.string_field("identity");
  std::string password = form.string_field("password");
  std::string identity_field = form.string_field("identityField");

  json::Object errs;
  auto length_ok = [](const std::string& s) { return s.size() <= 255; };
  if (identity.empty()) errs.set("identity", field_error("validation_required", "Cannot be blank."));
  else if (!length_ok(identity))
    errs.set("identity", field_error("validation_length_out_of_range", "The length must be between 1 and 255."));
  if (password.empty()) errs.set("password", field_error("validation_required", "Cannot be blank."));
  else if (!length_ok(password))
    errs.set("password", field_error("validation_length_out_of_range", "The length must be between 1 and 255."));
  if (!identity_field.empty()) {
    bool known = false;
    for (const auto& f : c.auth.identity_fields) known = known || f == identity_field;
    if (!length_ok(identity_field))
      errs.set("identityField", field_error("validation_length_out_of_range", "The length must be between 1 and 255."));
    else if (!known)
      errs.set("identityField", field_error("validation_in_invalid", "Must be a valid value."));
  }
  if (!errs.empty())
    throw http::ApiError::bad_request("An error occurred while validating the submitted data.",
                                      json::Value(std::move(errs)));

  // The lookup runs on a reader and bcrypt on no connection at all: holding the writer through
  // a ~0.1 s hash would serialise every sign-in of the server on one core.
  std::shared_ptr<record::Record> found;
  std::string dummy_hash;
  {
    auto rconn = ctx.app.data_db().read();
    if (!identity_field.empty()) {
      found = find_by_identity(*rconn, c, identity_field, identity);
    } else {
      std::vector<std::string> fields = c.auth.identity_fields;
      std::stable_sort(fields.begin(), fields.end(), [](const std::string& x, const std::string& y) {
        return x == "email" && y != "email";
      });
      for (const auto& f : fields) {
        if (f == "email" && !looks_like_email(identity)) continue;
        if ((found = find_by_identity(*rconn, c, f, identity))) break;
      }
    }
    if (!found) dummy_hash = dummy_password_hash(*rconn, c);
  }
  if (!found) {
    (void)crypto::bcrypt_verify("", dummy_hash);
    throw http::ApiError::bad_request("Failed to authenticate.");
  }
  if (!crypto::bcrypt_verify(password, found->get_string("password")))
    throw http::ApiError::bad_request("Failed to authenticate.");

  // MFA sessions and auth origins are written from here on.
  auto conn = ctx.app.data_db().write();
  query::RequestInfo info = request_info(ctx);
  info.context = "password";
  std::string token = auth::new_token(*found, auth::TokenType::Auth);
  return auth_response(ctx, *conn, found, token, "password", info);
}

// The "refreshable" claim (false when absent, as for impersonation tokens).
std::optional<bool> jwt_refreshable(std::string_view token) {
  auto parsed = jwt::parse_unverified(token);
  if (!parsed) return std::nullopt;
  const json::Value* r = parsed->claims.find("refreshable");
  return r && r->is_bool() && r->as_bool();
}

http::Response auth_refresh(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  if (!ctx.auth) throw http::ApiError::unauthorized("The request requires valid record authorization token.");
  if (ctx.auth->collection->id != c.id)
    throw http::ApiError::forbidden("The request requires auth record from " + ctx.auth->collection->name +
                                    " collection.");
  // A refresh only reads (no MFA, no auth origin for method ""), so it runs on a reader and
  // refreshes never queue behind the writer.
  auto conn = ctx.app.data_db().read();
  auto rec = record::find_by_id(*conn, c, ctx.auth->id());
  if (!rec) throw http::ApiError::not_found();
  // Impersonation tokens are not refreshable: the same token comes back.
  std::string token(auth::strip_bearer(ctx.req.headers.get("Authorization")));
  bool refreshable = true;
  if (auto parsed = jwt_refreshable(token)) refreshable = *parsed;
  if (refreshable) token = auth::new_token(*rec, auth::TokenType::Auth);
  query::RequestInfo info = request_info(ctx);
  return auth_response(ctx, *conn, rec, token, "", info);
}

}  // namespace

const schema::Collection& auth_collection_or_404(const RequestContext& ctx) {
  const schema::Collection* c = ctx.schema->find(ctx.params.get("collection"));
  if (!c || !c->is_auth()) throw http::ApiError::not_found("Missing or invalid auth collection context.");
  return *c;
}

AuthForm::AuthForm(const RequestContext& ctx) {
  std::string_view ct = ctx.req.headers.get("Content-Type");
  json_ = ct.size() >= 16 && http::iequals(ct.substr(0, 16), "application/json");
  try {
    body_ = read_request_data(ctx.req, json_ ? http::QueryParams() : ctx.query).body;
  } catch (const http::ApiError& e) {
    if (e.message() == "Unsupported Content-Type.") throw;
    throw http::ApiError::bad_request("An error occurred while loading the submitted data.");
  }
}

std::string AuthForm::string_field(std::string_view key) const {
  const json::Value* v = body_.find(key);
  if (!v || v->is_null()) return {};
  if (v->is_string()) return v->as_string();
  if (!json_ && v->is_number()) return record::number_to_string(v->as_number());
  if (!json_ && v->is_bool()) return v->as_bool() ? "true" : "false";
  throw http::ApiError::bad_request("An error occurred while loading the submitted data.");
}

std::optional<double> AuthForm::number_field(std::string_view key) const {
  const json::Value* v = body_.find(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_number()) return v->as_number();
  throw http::ApiError::bad_request("An error occurred while loading the submitted data.");
}

bool can_access_record(db::Connection& conn, const schema::Schema& schema, const record::Record& rec,
                       const query::RequestInfo& info, const std::optional<std::string>& rule) {
  if (info.is_superuser()) return true;
  if (!rule) return false;
  if (rule->empty()) return true;
  try {
    query::RecordQuery q(schema, *rec.collection, info);
    q.where(*rule);
    q.where_sql(db::quote_ident(q.alias()) + ".`id` = :record_id", {{"record_id", std::string(rec.id())}});
    auto st = conn.prepare(q.exists_sql());
    st.bind(q.params());
    return st.step();
  } catch (const std::exception&) {
    return false;
  }
}

http::Response auth_response(RequestContext& ctx, db::Connection& conn, std::shared_ptr<record::Record> rec,
                             const std::string& token, std::string_view method, const query::RequestInfo& info,
                             const json::Value* meta) {
  // A superuser may sign in only from a whitelisted IP (PocketBase checks it here as well as
  // for every request that carries a superuser token).
  if (rec->collection->name == "_superusers" && !superuser_ip_allowed(*ctx.settings, ctx.real_ip))
    throw http::ApiError::forbidden();
  if (!can_access_record(conn, *ctx.schema, *rec, info, rec->collection->auth.auth_rule))
    throw http::ApiError::forbidden("The request doesn't satisfy the collection requirements to authenticate.");

  // A 401 here is not an error envelope but PocketBase's plain {"mfaId"} object.
  if (auto mfa_id = check_mfa(ctx, conn, *rec, method, info))
    return json_response(ctx, 401, json::Value(json::Object{{"mfaId", *mfa_id}}));
  if (!method.empty() && rec->collection->auth.auth_alert_enabled) record_auth_origin(ctx, conn, *rec);

  query::RequestInfo as_self = info;
  as_self.auth = rec;
  if (rec->collection->name == "_superusers") rec->show_hidden = true;
  rec->show_email = true;
  RecordList list{rec};
  std::string_view expand = ctx.query.get("expand");
  if (!expand.empty()) expand_records(conn, *ctx.schema, list, normalize_expands(expand), as_self);

  json::Object out;
  if (meta) out.set("meta", *meta);
  out.set("record", record::to_api_json(*rec));
  out.set("token", token);
  return json_response(ctx, 200, json::Value(std::move(out)));
}

void bind_record_auth(Routes& routes) {
  routes.add("GET", "/api/collections/{collection}/auth-methods", auth_methods);
  routes.add("POST", "/api/collections/{collection}/auth-with-password", auth_with_password);
  routes.add("POST", "/api/collections/{collection}/auth-refresh", auth_refresh);
}

}  // namespace larder::api
