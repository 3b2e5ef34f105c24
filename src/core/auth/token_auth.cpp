// Token → record, record → token.
#include "core/auth/token_auth.h"

#include "core/auth/jwt.h"
#include "core/http/headers.h"
#include "core/record/store.h"
#include "core/util/datetime.h"

namespace larder::auth {

namespace {

const schema::TokenConfig& config_for(const schema::Collection& c, TokenType t) {
  switch (t) {
    case TokenType::File: return c.auth.file_token;
    case TokenType::Verification: return c.auth.verification_token;
    case TokenType::PasswordReset: return c.auth.password_reset_token;
    case TokenType::EmailChange: return c.auth.email_change_token;
    default: return c.auth.auth_token;
  }
}

}  // namespace

std::string_view token_type_name(TokenType t) {
  switch (t) {
    case TokenType::File: return "file";
    case TokenType::Verification: return "verification";
    case TokenType::PasswordReset: return "passwordReset";
    case TokenType::EmailChange: return "emailChange";
    default: return "auth";
  }
}

std::string_view strip_bearer(std::string_view header) {
  if (header.size() >= 7 && http::iequals(header.substr(0, 7), "Bearer ")) header.remove_prefix(7);
  return header;
}

std::shared_ptr<const record::Record> record_from_token(db::Connection& conn, const schema::Schema& schema,
                                                        std::string_view token, TokenType type) {
  if (token.empty() || token.size() > 16384) return nullptr;
  auto parsed = jwt::parse_unverified(token);
  if (!parsed) return nullptr;
  const json::Value& claims = parsed->claims;
  auto claim = [&](std::string_view k) -> std::string_view {
    const json::Value* v = claims.find(k);
    return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view{};
  };
  std::string_view id = claim("id"), collection_id = claim("collectionId"), ttype = claim("type");
  if (id.empty() || collection_id.empty() || ttype != token_type_name(type)) return nullptr;
  const schema::Collection* c = schema.find(collection_id);
  if (!c || !c->is_auth()) return nullptr;
  auto rec = record::find_by_id(conn, *c, id);
  if (!rec) return nullptr;
  std::string key = std::string(rec->get_string("tokenKey")) + config_for(*c, type).secret;
  int64_t now = util::now_utc().unix_ms / 1000;
  if (!jwt::verify(token, key, now)) return nullptr;
  return rec;
}

namespace {

std::string issue(const record::Record& rec, TokenType type, int64_t duration_override, bool refreshable,
                  const std::string* new_email) {
  const schema::Collection& c = *rec.collection;
  const schema::TokenConfig& cfg = config_for(c, type);
  int64_t duration = duration_override > 0 ? duration_override : cfg.duration;
  int64_t exp = util::now_utc().unix_ms / 1000 + duration;
  json::Object claims;
  claims.set("collectionId", c.id);
  if (type == TokenType::Verification || type == TokenType::PasswordReset || type == TokenType::EmailChange)
    claims.set("email", std::string(rec.get_string("email")));
  claims.set("exp", static_cast<double>(exp));
  claims.set("id", std::string(rec.id()));
  if (new_email) claims.set("newEmail", *new_email);
  if (type == TokenType::Auth) claims.set("refreshable", refreshable);
  claims.set("type", std::string(token_type_name(type)));
  std::string key = std::string(rec.get_string("tokenKey")) + cfg.secret;
  return jwt::sign(json::Value(std::move(claims)), key);
}

}  // namespace

std::string new_token(const record::Record& rec, TokenType type, int64_t duration_override, bool refreshable) {
  return issue(rec, type, duration_override, refreshable, nullptr);
}

std::string new_email_change_token(const record::Record& rec, const std::string& new_email) {
  return issue(rec, TokenType::EmailChange, 0, true, &new_email);
}

}  // namespace larder::auth
