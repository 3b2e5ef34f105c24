// GET /api/health (api.md §4). The answer every host must give byte for byte:
// {"message":"API is healthy.","code":200,"data":{}}, and for a superuser the data PocketBase's
// dashboard reads (canBackup, realIP, possibleProxyHeader).
#include <string>
#include <vector>

#include "core/api/common.h"
#include "core/api/context.h"
#include "core/json/json.h"

namespace larder::api {

void bind_health(Routes& routes) {
  routes.add("GET", "/api/health", [](RequestContext& ctx) {
    // Struct order (message, code, data), as PocketBase's anonymous struct.
    json::Value data = json::Value::object();
    if (ctx.is_superuser()) {
      // No backups here, so one is never running.
      data.as_object().set("canBackup", true);
      data.as_object().set("realIP", ctx.real_ip);
      // Loosely: is this server behind a reverse proxy (the dashboard reminds superusers to set
      // trustedProxy). PocketBase's list spells "X\u2011Forwarded-For" with a non-breaking hyphen,
      // so that entry never matches a real header; kept byte for byte, the answer stays the same.
      std::vector<std::string> headers = ctx.settings->trusted_proxy_headers;
      for (const char* common : {"CF-Connecting-IP", "Fly-Client-IP", "X\u2011Forwarded-For"}) headers.emplace_back(common);
      std::string possible;
      for (const auto& name : headers)
        if (!ctx.req.headers.get(name).empty()) {
          possible = name;
          break;
        }
      data.as_object().set("possibleProxyHeader", possible);
    }
    json::Object body{{"message", "API is healthy."}, {"code", 200}, {"data", std::move(data)}};
    return json_response(ctx, 200, json::Value(std::move(body)));
  });
}

}  // namespace larder::api
