// The `fields` query parameter (api.md §3.6): keeps only the listed JSON paths of a 2xx answer,
// with an optional `:excerpt(max, withEllipsis)` modifier for text.
//
// Like PocketBase, the picked document is rebuilt from maps, so every object in it comes out
// with sorted keys. A bad modifier is not a 400: PocketBase has already sent the 2xx status by
// then, so the client gets that status with an empty body; pick() reports it as nullopt.
#pragma once

#include <optional>
#include <string_view>

#include "core/json/json.h"

namespace larder::api {

// `paginated`: apply the fields to each element of "items" only.
std::optional<json::Value> pick_fields(const json::Value& data, std::string_view fields, bool paginated);

// Plain text of an HTML fragment, cut to `max` code points (plus "..." when cut and
// `ellipsis`): the excerpt modifier.
std::string excerpt(std::string_view html, size_t max, bool ellipsis);

}  // namespace larder::api
