// GET /api/health (api.md §4). The answer every host must give byte for byte:
// {"message":"API is healthy.","code":200,"data":{}}
#include "core/api/common.h"
#include "core/api/context.h"
#include "core/json/json.h"

namespace larder::api {

void bind_health(Routes& routes) {
  routes.add("GET", "/api/health", [](RequestContext& ctx) {
    // Struct order (message, code, data), as PocketBase's anonymous struct. The superuser-only
    // data fields arrive with auth.
    json::Object body{{"message", "API is healthy."}, {"code", 200}, {"data", json::Value::object()}};
    return json_response(ctx, 200, json::Value(std::move(body)));
  });
}

}  // namespace larder::api
