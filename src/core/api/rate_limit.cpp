// The rate limit step (see rate_limit.h): which routes carry which tags, the candidate labels of
// a request and the bucket it is counted in.
#include "core/api/rate_limit.h"

#include <chrono>

#include "core/api/context.h"
#include "core/app/app.h"
#include "core/http/error.h"
#include "core/http/url.h"
#include "core/util/ip.h"

namespace larder::api {

namespace {

struct TaggedRoute {
  std::string_view route;
  RouteRateLimit::Kind kind;
  std::vector<std::string> tags;
};

// PocketBase's apis/record_auth.go, file.go and record_crud.go bindings.
const std::vector<TaggedRoute>& tagged_routes() {
  using K = RouteRateLimit::Kind;
  static const std::vector<TaggedRoute> table = {
      {"GET /api/collections/{collection}/auth-methods", K::Collection, {"listAuthMethods"}},
      {"POST /api/collections/{collection}/auth-refresh", K::Collection, {"authRefresh"}},
      {"POST /api/collections/{collection}/auth-with-password", K::Collection, {"authWithPassword", "auth"}},
      {"POST /api/collections/{collection}/auth-with-oauth2", K::Collection, {"authWithOAuth2", "auth"}},
      {"POST /api/collections/{collection}/request-otp", K::Collection, {"requestOTP"}},
      {"POST /api/collections/{collection}/auth-with-otp", K::Collection, {"authWithOTP", "auth"}},
      {"POST /api/collections/{collection}/request-password-reset", K::Collection, {"requestPasswordReset"}},
      {"POST /api/collections/{collection}/confirm-password-reset", K::Collection, {"confirmPasswordReset"}},
      {"POST /api/collections/{collection}/request-verification", K::Collection, {"requestVerification"}},
      {"POST /api/collections/{collection}/confirm-verification", K::Collection, {"confirmVerification"}},
      {"POST /api/collections/{collection}/request-email-change", K::Collection, {"requestEmailChange"}},
      {"POST /api/collections/{collection}/confirm-email-change", K::Collection, {"confirmEmailChange"}},
      {"GET /api/files/{collection}/{recordId}/{filename}", K::Collection, {"file"}},
      {"GET /api/collections/{collection}/records", K::Records, {"list"}},
      {"GET /api/collections/{collection}/records/{id}", K::Records, {"view"}},
      {"POST /api/collections/{collection}/records", K::Records, {"create"}},
      {"PATCH /api/collections/{collection}/records/{id}", K::Records, {"update"}},
      {"DELETE /api/collections/{collection}/records/{id}", K::Records, {"delete"}},
  };
  return table;
}

int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

RouteRateLimit route_rate_limit(std::string_view method, std::string_view pattern) {
  std::string route = std::string(method) + " " + std::string(pattern);
  for (const auto& t : tagged_routes())
    if (t.route == route) return RouteRateLimit{t.kind, t.tags};
  return {};
}

std::optional<ratelimit::Charge> check_rate_limit(const RequestContext& ctx, const RouteRateLimit& spec,
                                                  std::string_view route_id) {
  const schema::Collection* collection = nullptr;
  if (spec.kind != RouteRateLimit::Global) {
    collection = ctx.schema->find(ctx.params.get("collection"));
    if (!collection) {
      // The collection middleware answers for its routes whether or not limits are on; the
      // record handlers report a missing collection themselves.
      if (spec.kind == RouteRateLimit::Collection)
        throw http::ApiError::not_found("Missing or invalid collection context.");
      return std::nullopt;
    }
    // Record writes on a view collection fail (400) before PocketBase's inline check.
    if (spec.kind == RouteRateLimit::Records && collection->is_view() && !spec.tags.empty() &&
        spec.tags[0] != "list" && spec.tags[0] != "view")
      return std::nullopt;
  }

  const ratelimit::Config& cfg = ctx.settings->rate_limits;
  const std::string& client = ctx.real_ip;
  if (!cfg.enabled || ctx.is_superuser() || client.empty() || util::ip_in_list(cfg.excluded_ips, client))
    return std::nullopt;

  // Go's URL.Path: the decoded path (App::handle has already refused malformed escapes).
  std::string path = http::percent_decode(ctx.req.path(), false).value_or(std::string(ctx.req.path()));
  std::vector<std::string> labels;
  std::string bucket;
  if (collection) {
    bucket = collection->id + std::string(route_id);
    for (const auto& tag : spec.tags) {
      bucket += tag;
      labels.push_back(collection->name + ":" + tag);
    }
    for (const auto& tag : spec.tags) labels.push_back("*:" + tag);
  }
  labels.push_back(ctx.req.method + " " + path);
  labels.push_back(path);

  const ratelimit::Rule* rule = cfg.find(labels, ratelimit::audiences_for(ctx.auth != nullptr));
  if (!rule) return std::nullopt;
  // The global middleware counts per rule; the collection one per collection and route.
  if (!collection) bucket = rule->label;
  bucket += rule->audience;
  ratelimit::Charge charge;
  if (!ctx.app.rate_limiter().allow(bucket, client, rule->max_requests, rule->duration, now_unix(), &charge))
    throw http::ApiError(429, "");
  return charge;
}

}  // namespace larder::api
