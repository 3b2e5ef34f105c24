// GET /api/health (api.md §4). The answer every host must give byte for byte:
// {"message":"API is healthy.","code":200,"data":{}}
#include "core/api/context.h"
#include "core/json/json.h"

namespace larder::api {

void bind_health(Routes& routes) {
  routes.add("GET", "/api/health", [](RequestContext&) {
    // Struct order (message, code, data), as PocketBase's anonymous struct. The superuser-only
    // data fields arrive with auth.
    json::Object body{{"message", "API is healthy."}, {"code", 200}, {"data", json::Value::object()}};
    std::string out = json::dump(json::Value(std::move(body)));
    out += '\n';
    return http::Response::json(200, std::move(out));
  });
}

}  // namespace larder::api
