// Date/time macros of the filter language (filter-and-rules.md §6): @now, @todayStart, @weekday,
// ... — all UTC, all bound as parameters (strings in PocketBase's datetime layout, or integers).
#pragma once

#include <optional>
#include <string_view>

#include "core/db/sqlite.h"
#include "core/util/datetime.h"

namespace larder::query {

// The value of `name` (exact, case-sensitive) at `now`, or nullopt when it is not a macro.
std::optional<db::SqlValue> date_macro(std::string_view name, util::DateTime now);

}  // namespace larder::query
