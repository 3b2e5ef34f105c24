// Subscription option parsing, following PocketBase's subscriptions.Client.Subscribe.
#include "core/realtime/subscription.h"

#include "core/http/url.h"
#include "core/query/request_info.h"

namespace larder::realtime {

namespace {

// spf13/cast.ToString for the JSON value kinds: objects, arrays and null become "".
std::string cast_to_string(const json::Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_number()) return json::format_number(v.as_number());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return "";
}

}  // namespace

Subscription parse_subscription(std::string_view s) {
  Subscription sub;
  sub.key = std::string(s);
  size_t q = s.find('?');
  sub.topic = std::string(s.substr(0, q));
  if (q == std::string_view::npos) return sub;
  const http::QueryParams params(s.substr(q + 1));  // `raw` points into it
  std::string_view raw = params.get("options");
  if (raw.empty()) return sub;
  json::Value opts;
  try {
    opts = json::parse(raw);
  } catch (const std::exception&) {
    return sub;  // ignored, like PocketBase
  }
  if (!opts.is_object()) return sub;
  if (const json::Value* qv = opts.find("query"); qv && qv->is_object())
    for (const auto& [k, v] : qv->as_object()) sub.query.set(k, cast_to_string(v));
  if (const json::Value* hv = opts.find("headers"); hv && hv->is_object())
    for (const auto& [k, v] : hv->as_object()) sub.headers.set(query::header_key(k), cast_to_string(v));
  return sub;
}

}  // namespace larder::realtime
