// GET and PATCH /api/settings (api.md §5), superusers only. PATCH decodes the body onto a copy of
// the current settings as Go's json.Unmarshal would (settings/shape.h), validates the result as
// PocketBase does (settings/validate.h), stores it and publishes the new snapshot, which also
// resets the rate limiters.
#include "core/api/settings.h"

#include "core/api/auth_flows.h"
#include "core/api/common.h"
#include "core/api/request_data.h"
#include "core/app/app.h"
#include "core/http/error.h"
#include "core/settings/shape.h"
#include "core/settings/validate.h"

namespace larder::api {

namespace {

constexpr const char* kLoadFailed = "An error occurred while loading the submitted data.";
constexpr const char* kSaveFailed = "An error occurred while saving the new settings.";

bool has_prefix_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::iequals(s.substr(0, prefix.size()), prefix);
}

// Go's BindBody onto the settings: JSON (first value only, like json.Decoder), or the form
// encodings read as the record endpoints read them; an empty body changes nothing.
void bind_body(const RequestContext& ctx, json::Value& target) {
  if (ctx.req.body.empty()) return;
  std::string_view ct = ctx.req.headers.get("Content-Type");
  json::Value in;
  if (has_prefix_ci(ct, "application/json")) {
    try {
      json::ParseOptions opts;
      opts.allow_trailing = true;
      in = json::parse(ctx.req.body, opts);
    } catch (const json::ParseError&) {
      throw http::ApiError::bad_request(kLoadFailed);
    }
  } else if (has_prefix_ci(ct, "multipart/form-data") || has_prefix_ci(ct, "application/x-www-form-urlencoded")) {
    try {
      in = json::Value(read_request_data(ctx.req, http::QueryParams()).body);
    } catch (const http::ApiError&) {
      throw http::ApiError::bad_request(kLoadFailed);
    }
  } else {
    throw http::ApiError::bad_request(kLoadFailed);
  }
  if (!settings::decode_into(target, in)) throw http::ApiError::bad_request(kLoadFailed);
}

http::Response get_settings(RequestContext& ctx) {
  flows::require_superuser(ctx);
  return json_response(ctx, 200, settings::public_form(ctx.settings->value));
}

http::Response patch_settings(RequestContext& ctx) {
  flows::require_superuser(ctx);
  // Holding the writer for the whole read-modify-write keeps concurrent updates from losing
  // each other's changes.
  auto conn = ctx.app.data_db().write();
  auto current = ctx.app.settings();
  json::Value next = current->value;
  bind_body(ctx, next);
  schema::ValidationErrors errs = settings::validate(next);
  if (!errs.empty()) throw http::ApiError::bad_request(kSaveFailed, errs.to_json());
  // Settings Larder could not read (encrypted ones) are never overwritten with defaults.
  if (!current->readable) throw http::ApiError::bad_request(kSaveFailed);
  settings::save(*conn, next);
  ctx.app.set_settings(settings::Settings::from_value(next));
  return json_response(ctx, 200, settings::public_form(next));
}

}  // namespace

void rename_rate_limit_labels(App& app, db::Connection& conn, const std::string& old_name,
                              const std::string& new_name) {
  auto current = app.settings();
  if (!current->readable || old_name == new_name) return;
  json::Value next = current->value;
  json::Value* rules = next["rateLimits"].find("rules");
  if (!rules || !rules->is_array()) return;
  bool changed = false;
  const std::string prefix = old_name + ":";
  for (auto& r : rules->as_array()) {
    json::Value* label = r.find("label");
    if (!label || !label->is_string() || !label->as_string().starts_with(prefix)) continue;
    label->as_string().replace(0, prefix.size(), new_name + ":");
    changed = true;
  }
  if (!changed) return;
  settings::save(conn, next);
  app.set_settings(settings::Settings::from_value(std::move(next)));
}

void bind_settings(Routes& routes) {
  routes.add("GET", "/api/settings", get_settings);
  routes.add("PATCH", "/api/settings", patch_settings);
}

}  // namespace larder::api
