// The route table and the list of endpoint families, like PocketBase's apis.NewRouter.
#include "core/api/context.h"

namespace larder {

void Routes::add(std::string method, std::string_view pattern, Handler h) {
  Route r{std::move(h), method + " " + std::string(pattern), api::route_rate_limit(method, pattern)};
  router_.add(std::move(method), pattern, routes_.size());
  routes_.push_back(std::move(r));
}

const Route* Routes::match(std::string_view method, std::string_view path, http::PathParams& params) const {
  auto m = router_.match(method, path);
  if (!m) return nullptr;
  params = std::move(m->params);
  return &routes_[m->route_id];
}

namespace api {
void bind_all(Routes& routes) {
  bind_health(routes);
  bind_records_read(routes);
  bind_records_write(routes);
  bind_record_auth(routes);
  bind_collections(routes);
  bind_record_auth_verification(routes);
  bind_record_auth_password_reset(routes);
  bind_record_auth_email_change(routes);
  bind_record_auth_otp(routes);
  bind_record_auth_impersonate(routes);
  bind_outbox(routes);
  bind_realtime(routes);
  bind_files(routes);
  bind_record_auth_oauth2(routes);
  bind_oauth2_redirect(routes);
  bind_settings(routes);
  bind_settings_test_email(routes);
  bind_settings_apple(routes);
}
}  // namespace api

}  // namespace larder
