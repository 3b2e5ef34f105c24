// The rate limit step of the request pipeline (auth-realtime-files.md §8), as PocketBase binds
// it: after the auth is loaded and before the handler.
//
// Three kinds of routes, as in PocketBase's apis/:
//   * most routes: the global middleware — candidate labels "METHOD /path" and "/path", one
//     bucket per rule (so "/api/" counts every request under it together);
//   * the auth routes and file downloads: collectionPathRateLimit — the collection must exist
//     (else 404 "Missing or invalid collection context.", even with limits off), labels
//     "<collection>:<tag>"…, "*:<tag>"…, then the path labels; one bucket per collection and
//     route;
//   * record CRUD: the same collection labels, checked "inline" — only once the handler would
//     have found the collection (and, for writes, a non-view one).
// Superusers and `excludedIPs` are never limited; an exhausted bucket answers 429
// "Too Many Requests.".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ratelimit/limiter.h"

namespace larder {
struct RequestContext;
}

namespace larder::api {

struct RouteRateLimit {
  enum Kind { Global, Collection, Records } kind = Global;
  std::vector<std::string> tags;  // e.g. {"authWithPassword", "auth"}
};

// How the route `<method> <pattern>` is limited (PocketBase's binding of that route).
RouteRateLimit route_rate_limit(std::string_view method, std::string_view pattern);

// Throws http::ApiError 429 when the request is over its rule's limit (and 404 for a
// collection route whose collection does not exist). `route_id` is "<METHOD> <pattern>" of the
// matched route, "" when none matched. Returns the request's charge when it was counted, for
// App::dispatch to refund if the run turns out void (a host replays it, see limiter.h).
std::optional<ratelimit::Charge> check_rate_limit(const RequestContext& ctx, const RouteRateLimit& spec,
                                                  std::string_view route_id);

}  // namespace larder::api
