// What the filter language calls @request: the data of the request a rule or filter is evaluated
// for (filter-and-rules.md §4.3). Built by the API layer, read by the query resolver.
#pragma once

#include <memory>
#include <string>

#include "core/json/json.h"
#include "core/record/record.h"

namespace larder::query {

struct RequestInfo {
  // "default", "expand", "realtime", "protectedFile", "batch", "oauth2", "otp", "password"
  std::string context = "default";
  std::string method = "GET";           // upper-case
  json::Object query;                   // first value of each query parameter
  json::Object headers;                 // first value, names snake_cased lower-case (x_custom_token)
  json::Object body;                    // submitted data after modifier resolution
  std::shared_ptr<const record::Record> auth;  // nullptr for guests

  bool is_superuser() const { return auth && auth->collection && auth->collection->name == "_superusers"; }
};

// "X-Custom-Token" -> "x_custom_token" (the @request.headers key form).
std::string header_key(std::string_view name);

}  // namespace larder::query
