// The static side of @request.* (filter-and-rules.md §4.3): looking values up in the request
// data and turning them into bound values the way PocketBase's RecordFieldResolver does.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/sqlite.h"
#include "core/json/json.h"
#include "core/query/request_info.h"

namespace larder::query {

// Looks up path[0] ("context", "method", "query", "headers", "body", "auth") and then nested
// object keys / array indexes. nullopt when a key is missing or a step is not a container.
// "auth" exposes id, collectionId, collectionName, email, emailVisibility and verified.
std::optional<json::Value> lookup_request_value(const RequestInfo& info, const std::vector<std::string_view>& path);

// Go's json.Marshal of a decoded value (object keys sorted, as Go does for maps).
std::string go_json(const json::Value& v);

// Go's strconv.ParseFloat on a user string: decimal forms, exponents, inf/infinity/nan.
std::optional<double> parse_go_float(std::string_view s);

// Go's cast.ToString: strings as is, numbers/bools formatted, anything else "".
std::string cast_to_string(const json::Value& v);

// PocketBase's toSlice: null → [], array → items, anything else → [value].
json::Array to_slice(const json::Value* v);

// PocketBase's list.ToUniqueStringSlice: ids submitted for a relation field (a JSON array
// string is decoded), without empties and duplicates.
std::vector<std::string> unique_strings(const json::Value* v);

}  // namespace larder::query
