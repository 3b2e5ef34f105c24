// Shared pieces of the auth endpoints (api.md §7): finding the auth collection, reading an auth
// form body, rule checks, and the auth response every successful flow ends with.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/api/context.h"
#include "core/db/sqlite.h"
#include "core/query/request_info.h"

namespace larder::api {

// The `{collection}` path parameter as an auth collection, else 404 "Missing or invalid auth
// collection context.".
const schema::Collection& auth_collection_or_404(const RequestContext& ctx);

// Reads the request body as a flat form (JSON object, multipart or urlencoded). Typed fields are
// checked by `string_field`/`int_field`: a JSON value of the wrong type is a 400 "An error
// occurred while loading the submitted data." (Go's struct binding failing).
class AuthForm {
 public:
  explicit AuthForm(const RequestContext& ctx);
  std::string string_field(std::string_view key) const;
  std::optional<double> number_field(std::string_view key) const;
  bool has(std::string_view key) const { return body_.contains(key); }
  bool is_json() const { return json_; }

 private:
  json::Object body_;
  bool json_ = false;
};

// PocketBase's CanAccessRecord: superuser requesters pass, a null rule fails, "" passes, else
// the rule must match the record.
bool can_access_record(db::Connection& conn, const schema::Schema& schema, const record::Record& rec,
                       const query::RequestInfo& info, const std::optional<std::string>& rule);

// The success pipeline of every auth flow (auth-realtime-files.md §4.1): superuser IP check,
// authRule, MFA, enrichment, the {record, token[, meta]} answer. `method` is "password", "otp",
// "oauth2", or "" for refresh/impersonate (no MFA, no alert).
http::Response auth_response(RequestContext& ctx, db::Connection& conn, std::shared_ptr<record::Record> rec,
                             const std::string& token, std::string_view method, const query::RequestInfo& info,
                             const json::Value* meta = nullptr);

}  // namespace larder::api
