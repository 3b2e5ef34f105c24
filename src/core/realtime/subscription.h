// A realtime subscription string (auth-realtime-files.md §9.2): `topic[?options=<urlencoded JSON>]`
// with JSON `{"query":{...},"headers":{...}}`. The whole string is the key and the SSE event
// name; the topic is what record events match; query/headers become @request data of the rule
// checks.
#pragma once

#include <string>
#include <string_view>

#include "core/json/json.h"

namespace larder::realtime {

struct Subscription {
  std::string key;       // the string as submitted (event name)
  std::string topic;     // the part before '?'
  json::Object query;    // options.query, values stringified
  json::Object headers;  // options.headers, names snake_cased, values stringified
};

// Never fails: malformed options JSON is ignored (empty options), as PocketBase's
// json.Unmarshal error is ignored.
Subscription parse_subscription(std::string_view s);

}  // namespace larder::realtime
