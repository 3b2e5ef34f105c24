// What an API handler receives: the app, the request, and what the pipeline derived from it
// (path params, query, the schema snapshot, the authenticated record). Handlers return a Response
// or throw http::ApiError.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/api/rate_limit.h"
#include "core/http/message.h"
#include "core/http/router.h"
#include "core/http/url.h"
#include "core/record/record.h"
#include "core/schema/schema.h"
#include "core/settings/settings.h"

namespace larder {

class App;

struct RequestContext {
  App& app;
  const http::Request& req;
  http::PathParams params;
  http::QueryParams query;
  std::shared_ptr<const schema::Schema> schema;  // the snapshot this request runs against
  std::shared_ptr<const record::Record> auth;    // nullptr for guests (invalid tokens too)
  std::shared_ptr<const settings::Settings> settings;  // the settings snapshot, like `schema`
  std::string real_ip;  // the client as PocketBase's RealIP sees it (api/client_ip.h)

  bool is_superuser() const { return auth && auth->collection && auth->collection->name == "_superusers"; }
};

using Handler = std::function<http::Response(RequestContext&)>;

// One registered route: its handler, "<METHOD> <pattern>" (Go's Request.Pattern, which names
// the route's rate limit buckets) and how it is rate limited.
struct Route {
  Handler handler;
  std::string id;
  api::RouteRateLimit rate_limit;
};

// The route table the api/ files fill in (one bind_* function per endpoint family).
class Routes {
 public:
  void add(std::string method, std::string_view pattern, Handler h);
  const Route* match(std::string_view method, std::string_view path, http::PathParams& params) const;

 private:
  http::Router router_;
  std::vector<Route> routes_;
};

namespace api {
void bind_all(Routes& routes);
void bind_health(Routes& routes);
void bind_records_read(Routes& routes);
void bind_records_write(Routes& routes);
void bind_record_auth(Routes& routes);
void bind_collections(Routes& routes);
void bind_record_auth_verification(Routes& routes);
void bind_record_auth_password_reset(Routes& routes);
void bind_record_auth_email_change(Routes& routes);
void bind_record_auth_otp(Routes& routes);
void bind_record_auth_impersonate(Routes& routes);
void bind_outbox(Routes& routes);
void bind_realtime(Routes& routes);
void bind_files(Routes& routes);
void bind_settings(Routes& routes);
void bind_settings_test_email(Routes& routes);
void bind_settings_apple(Routes& routes);
void bind_record_auth_oauth2(Routes& routes);
void bind_oauth2_redirect(Routes& routes);
}  // namespace api

}  // namespace larder
