// GET|POST /api/oauth2-redirect (api.md §7.5): the provider sends the browser back here after
// the SDK's all-in-one authWithOAuth2 popup; the code and state go to the realtime client whose
// id is the state and that subscribed to `@oauth2`, which then calls auth-with-oauth2 itself.
//
// Apple (response_mode=form_post) also posts a `user` JSON field with the user's name, which it
// sends nowhere else: it is kept for a minute under the code (oauth2/redirect_names.h) before the
// realtime client is told, so its auth-with-oauth2 call can find it.
//
// Larder serves no admin UI, so the answers are PocketBase's UI-less ones: a short HTML page on
// success and a plain-text one on failure, both 200.
#include "core/api/context.h"
#include "core/api/request_data.h"
#include "core/app/app.h"
#include "core/http/error.h"
#include "core/util/datetime.h"

namespace larder::api {

namespace {

constexpr std::string_view kTopic = "@oauth2";

http::Response page(bool ok) {
  http::Response r;
  r.status = 200;
  if (ok) {
    r.headers.set("Content-Type", "text/html; charset=utf-8");
    r.body = "Auth completed. You can close this window and go back to the app.";
  } else {
    r.headers.set("Content-Type", "text/plain; charset=utf-8");
    r.body = "Failed to authenticate. You can close this window and go back to the app to try again.";
  }
  return r;
}

http::Response redirect(RequestContext& ctx) {
  std::string state, code, error, apple_user;
  if (ctx.req.method == "POST") {
    // response_mode=form_post (Apple) posts the same fields as a form.
    json::Object body;
    try {
      body = read_request_data(ctx.req, http::QueryParams()).body;
    } catch (const http::ApiError&) {
      return page(false);
    }
    auto str = [&](std::string_view key) -> std::string {
      const json::Value* v = body.find(key);
      if (!v) return {};
      if (v->is_string()) return v->as_string();
      if (v->is_number()) return json::format_number(v->as_number());
      if (v->is_bool()) return v->as_bool() ? "true" : "false";
      return {};
    };
    state = str("state");
    code = str("code");
    error = str("error");
    // `user` is bound from form fields only (PocketBase tags it json:"-").
    std::string_view ct = ctx.req.headers.get("Content-Type");
    const bool is_json = ct.size() >= 16 && http::iequals(ct.substr(0, 16), "application/json");
    if (!is_json) apple_user = str("user");
  } else {
    state = std::string(ctx.query.get("state"));
    code = std::string(ctx.query.get("code"));
    error = std::string(ctx.query.get("error"));
  }
  if (state.empty()) return page(false);

  json::Object data{{"state", state}, {"code", code}};
  if (!error.empty()) data.set("error", error);
  std::string encoded;
  json::write(json::Value(std::move(data)), encoded);
  // Stored before the client hears of the code (it may call auth-with-oauth2 at once), and
  // dropped again if there turns out to be no such client.
  const bool stored = !apple_user.empty() && error.empty() && !code.empty() &&
                      ctx.app.oauth2_redirect_names().put_from_user_json(code, apple_user, util::now_utc().unix_ms / 1000);
  auto status = ctx.app.realtime().send_once(state, kTopic, ctx.real_ip, encoded);
  if (status != realtime::Broker::OnceStatus::Sent) {
    if (stored) ctx.app.oauth2_redirect_names().remove(code);
    return page(false);
  }
  // The client got the error too (the SDK reports it); the page just says it failed.
  return page(error.empty() && !code.empty());
}

}  // namespace

void bind_oauth2_redirect(Routes& routes) {
  routes.add("GET", "/api/oauth2-redirect", redirect);
  routes.add("POST", "/api/oauth2-redirect", redirect);
}

}  // namespace larder::api
