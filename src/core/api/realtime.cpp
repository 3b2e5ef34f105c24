// GET /api/realtime (open an SSE stream) and POST /api/realtime (set subscriptions)
// (auth-realtime-files.md §9.1–9.2).
#include "core/api/auth_flows.h"
#include "core/api/request_data.h"
#include "core/app/app.h"
#include "core/http/error.h"

namespace larder::api {

namespace {

constexpr size_t kMaxClientId = 255;
constexpr size_t kMaxSubscriptions = 1000;
constexpr size_t kMaxSubscriptionLength = 2500;

http::Response connect(RequestContext& ctx) {
  http::Response r;
  r.status = 200;
  r.headers.set("Content-Type", "text/event-stream");
  r.headers.set("Cache-Control", "no-store");
  r.headers.set("X-Accel-Buffering", "no");
  // EventSource cannot send headers, so no auth is taken from this request (§9.1).
  r.stream_client = ctx.app.realtime().connect(ctx.real_ip);
  return r;
}

// ozzo's Length(min, max) error in code points, as PocketBase words it.
json::Value length_failure(size_t max, bool required) {
  std::string m = std::to_string(max);
  return required ? flows::field_error("validation_length_out_of_range", "The length must be between 1 and " + m + ".")
                  : flows::field_error("validation_length_too_long", "The length must be no more than " + m + ".");
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

http::Response set_subscriptions(RequestContext& ctx) {
  RequestData rd = read_request_data(ctx.req, ctx.query);
  std::string client_id;
  std::vector<std::string> subs;
  if (const json::Value* v = rd.body.find("clientId"); v && v->is_string()) client_id = v->as_string();
  if (const json::Value* v = rd.body.find("subscriptions"); v && v->is_array()) {
    for (const auto& s : v->as_array())
      if (s.is_string()) subs.push_back(s.as_string());
  } else if (v && v->is_string()) {
    subs.push_back(v->as_string());  // a form field with one value
  }

  json::Object errs;
  if (client_id.empty()) errs.set("clientId", flows::field_error("validation_required", "Cannot be blank."));
  else if (code_points(client_id) > kMaxClientId) errs.set("clientId", length_failure(kMaxClientId, true));
  if (subs.size() > kMaxSubscriptions) {
    errs.set("subscriptions", length_failure(kMaxSubscriptions, false));
  } else {
    json::Object each;
    for (size_t i = 0; i < subs.size(); ++i)
      if (code_points(subs[i]) > kMaxSubscriptionLength) each.set(std::to_string(i), length_failure(kMaxSubscriptionLength, false));
    if (!each.empty()) errs.set("subscriptions", json::Value(std::move(each)));
  }
  if (!errs.empty()) throw http::ApiError::bad_request({}, json::Value(std::move(errs)));

  switch (ctx.app.realtime().subscribe(client_id, ctx.real_ip, {ctx.auth, ctx.schema}, subs)) {
    case realtime::SubscribeStatus::Ok: return http::Response::no_content();
    case realtime::SubscribeStatus::UnknownClient: throw http::ApiError::not_found("Missing or invalid client id.");
    case realtime::SubscribeStatus::WrongIp: throw http::ApiError::bad_request("Invalid realtime client.");
    case realtime::SubscribeStatus::AuthMismatch:
      throw http::ApiError::forbidden("The current and the previous request authorization don't match.");
  }
  return http::Response::no_content();
}

}  // namespace

void bind_realtime(Routes& routes) {
  routes.add("GET", "/api/realtime", connect);
  routes.add("POST", "/api/realtime", set_subscriptions);
}

}  // namespace larder::api
