// Helpers shared by the API handlers: collection lookup, the @request data of a request, and
// writing JSON answers (with the `fields` picker applied, as PocketBase does for every 2xx JSON).
#pragma once

#include "core/api/context.h"
#include "core/db/sqlite.h"
#include "core/json/json.h"
#include "core/query/request_info.h"

namespace larder::api {

// The `{collection}` path parameter, by id or case-insensitive name; 404 "Missing collection
// context." otherwise.
const schema::Collection& collection_or_404(const RequestContext& ctx);

// @request for rules and filters: method, query, headers, auth, and `body` (resolved data).
query::RequestInfo request_info(const RequestContext& ctx, json::Object body = {});

// A 2xx JSON answer. `paginated` applies `fields` to each of "items" only.
// Query parameters as Go's strconv reads them (page, perPage, skipTotal, ...); anything else is
// a plain 400.
int64_t parse_int_param(std::string_view raw);  // strconv.Atoi within int64
bool parse_bool_param(std::string_view raw);    // strconv.ParseBool

// The two halves of a paged list: the total (COUNT) and the OFFSET of a 1-based page (saturating,
// so a huge page number reads nothing instead of overflowing).
int64_t count_rows(db::Connection& conn, const std::string& count_sql, const std::vector<db::NamedParam>& params);
int64_t page_offset(int64_t page, int64_t per_page);

http::Response json_response(const RequestContext& ctx, int status, const json::Value& body, bool paginated = false);

}  // namespace larder::api
