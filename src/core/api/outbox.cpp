// GET and DELETE /api/larder/outbox (superusers): the mails the default in-memory Mailer kept
// instead of sending (mail/outbox.h). Larder's own endpoint, not PocketBase's: with no SMTP in
// the browser or in Node, this is how an app (or a test) reads a verification link or an OTP.
#include "core/api/auth_flows.h"
#include "core/api/common.h"
#include "core/app/app.h"
#include "core/http/error.h"
#include "core/mail/outbox.h"

namespace larder::api {

namespace {

// The outbox, or 404 while mail goes to a real mail server (then there is nothing to show).
mail::Outbox& outbox_or_404(RequestContext& ctx) {
  flows::require_superuser(ctx);
  mail::Outbox* outbox = ctx.app.mailer().outbox();
  if (!outbox) throw http::ApiError::not_found();
  return *outbox;
}

http::Response list(RequestContext& ctx) {
  json::Array items;
  for (const auto& m : outbox_or_404(ctx).list()) {
    items.emplace_back(json::Object{{"to", m.message.to},
                                    {"subject", m.message.subject},
                                    {"html", m.message.html},
                                    {"text", m.message.text},
                                    {"sentAt", m.sent_at}});
  }
  return json_response(ctx, 200, json::Value(std::move(items)));
}

http::Response clear(RequestContext& ctx) {
  outbox_or_404(ctx).clear();
  return http::Response::no_content();
}

}  // namespace

void bind_outbox(Routes& routes) {
  routes.add("GET", "/api/larder/outbox", list);
  routes.add("DELETE", "/api/larder/outbox", clear);
}

}  // namespace larder::api
