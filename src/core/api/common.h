// Helpers shared by the API handlers: collection lookup, the @request data of a request, and
// writing JSON answers (with the `fields` picker applied, as PocketBase does for every 2xx JSON).
#pragma once

#include "core/api/context.h"
#include "core/json/json.h"
#include "core/query/request_info.h"

namespace larder::api {

// The `{collection}` path parameter, by id or case-insensitive name; 404 "Missing collection
// context." otherwise.
const schema::Collection& collection_or_404(const RequestContext& ctx);

// @request for rules and filters: method, query, headers, auth, and `body` (resolved data).
query::RequestInfo request_info(const RequestContext& ctx, json::Object body = {});

// A 2xx JSON answer. `paginated` applies `fields` to each of "items" only.
http::Response json_response(const RequestContext& ctx, int status, const json::Value& body, bool paginated = false);

}  // namespace larder::api
