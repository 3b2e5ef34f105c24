// What an API handler receives: the app, the request, and what routing and parsing derived
// from it. Handlers return a Response or throw http::ApiError.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/http/message.h"
#include "core/http/router.h"
#include "core/http/url.h"

namespace larder {

class App;

struct RequestContext {
  App& app;
  const http::Request& req;
  http::PathParams params;
  http::QueryParams query;
};

using Handler = std::function<http::Response(RequestContext&)>;

// The route table the api/ files fill in (one bind_* function per endpoint family).
class Routes {
 public:
  void add(std::string method, std::string_view pattern, Handler h);
  const Handler* match(std::string_view method, std::string_view path, http::PathParams& params) const;

 private:
  http::Router router_;
  std::vector<Handler> handlers_;
};

namespace api {
void bind_all(Routes& routes);
void bind_health(Routes& routes);
}  // namespace api

}  // namespace larder
