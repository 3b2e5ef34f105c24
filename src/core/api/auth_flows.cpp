// Shared pieces of the mail-driven auth flows (see auth_flows.h).
#include "core/api/auth_flows.h"

#include <cctype>
#include <cstdio>

#include "core/app/app.h"
#include "core/auth/jwt.h"
#include "core/db/index_def.h"
#include "core/db/schema_sql.h"
#include "core/http/error.h"
#include "core/http/headers.h"
#include "core/mail/record_mail.h"
#include "core/record/codec.h"
#include "core/util/datetime.h"

namespace larder::api::flows {

json::Value field_error(std::string_view code, std::string_view message) {
  return json::Value(json::Object{{"code", std::string(code)}, {"message", std::string(message)}});
}

void throw_if_invalid(json::Object errs) {
  if (errs.empty()) return;
  throw http::ApiError::bad_request("An error occurred while validating the submitted data.",
                                    json::Value(std::move(errs)));
}

namespace {

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

// A pragmatic stand-in for ozzo's is.EmailFormat (an RFC 5322 regex): one '@', a non-empty
// local part without spaces, and a dotless-or-dotted host of letters, digits, '-' and '.'.
bool email_format(std::string_view s) {
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view local = s.substr(0, at), host = s.substr(at + 1);
  if (local.size() > 64 || host.front() == '.' || host.back() == '.' || host.front() == '-') return false;
  for (unsigned char ch : local)
    if (ch <= ' ' || ch == '(' || ch == ')' || ch == '<' || ch == '>' || ch == ',' || ch == ';' || ch == ':' ||
        ch == '\\' || ch == '"' || ch == '[' || ch == ']')
      return false;
  for (unsigned char ch : host)
    if (!(std::isalnum(ch) || ch == '-' || ch == '.' || ch >= 0x80)) return false;
  return host.find("..") == std::string_view::npos;
}

}  // namespace

std::optional<json::Value> length_error(const std::string& s, size_t min, size_t max) {
  if (s.empty()) return field_error("validation_required", "Cannot be blank.");
  size_t n = code_points(s);
  if (n < min || n > max) {
    if (min == 0)  // ozzo words a bound-less minimum differently
      return field_error("validation_length_too_long", "The length must be no more than " + std::to_string(max) + ".");
    return field_error("validation_length_out_of_range",
                       "The length must be between " + std::to_string(min) + " and " + std::to_string(max) + ".");
  }
  return std::nullopt;
}

std::optional<json::Value> email_error(const std::string& email) {
  if (auto e = length_error(email, 1, 255)) return e;
  if (!email_format(email)) return field_error("validation_is_email", "Must be a valid email address.");
  return std::nullopt;
}

std::shared_ptr<record::Record> find_by_email(db::Connection& conn, const schema::Collection& c,
                                              std::string_view email) {
  if (email.empty() || !c.field("email")) return nullptr;
  auto index = db::find_single_column_unique_index(c.indexes, "email");
  bool nocase = index && http::iequals(index->columns[0].collate, "nocase");
  std::string t = db::quote_ident(c.name);
  auto st = conn.prepare("SELECT " + t + ".* FROM " + t + " WHERE " + t + ".`email` = ?" +
                         (nocase ? " COLLATE NOCASE" : "") + " LIMIT 1");
  st.bind(1, email);
  if (!st.step()) return nullptr;
  return std::make_shared<record::Record>(record::read_record(c, st));
}

void require_superuser(const RequestContext& ctx) {
  if (!ctx.auth) throw http::ApiError::unauthorized("The request requires valid record authorization token.");
  if (!ctx.is_superuser()) throw http::ApiError::forbidden("The authorized record is not allowed to perform this action.");
}

void require_same_collection_auth(const RequestContext& ctx, const schema::Collection& c) {
  if (!ctx.auth) throw http::ApiError::unauthorized("The request requires valid record authorization token.");
  if (ctx.auth->collection->id != c.id)
    throw http::ApiError::forbidden("The request requires auth record from " + ctx.auth->collection->name +
                                    " collection.");
}

std::string unverified_claim(std::string_view token, std::string_view claim) {
  auto parsed = jwt::parse_unverified(token);
  if (!parsed) return {};
  const json::Value* v = parsed->claims.find(claim);
  return v && v->is_string() ? v->as_string() : std::string();
}

std::shared_ptr<const record::Record> token_record(RequestContext& ctx, db::Connection& conn, std::string_view token,
                                                   auth::TokenType type) {
  return auth::record_from_token(conn, *ctx.schema, token, type);
}

void send_record_mail(RequestContext& ctx, db::Connection& conn, const record::Record& rec,
                      const schema::EmailTemplate& tmpl, mail::Placeholders extra, const std::string& to,
                      std::string_view fail_message) {
  mail::Message msg = mail::record_message(mail::load_app_meta(conn), rec, tmpl, std::move(extra), to);
  try {
    ctx.app.mailer().send(msg);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "larder: failed to send \"%s\" to %s: %s\n", msg.subject.c_str(), to.c_str(), e.what());
    throw http::ApiError::bad_request(std::string(fail_message));
  }
}

int64_t now_unix() { return util::now_utc().unix_ms / 1000; }

}  // namespace larder::api::flows
