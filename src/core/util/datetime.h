// UTC datetimes in PocketBase's wire/storage format "2006-01-02 15:04:05.000Z", parsing the
// forms PocketBase accepts (its own layout, RFC 3339 with 'T' or space, date-only, numeric
// offsets). Millisecond precision, like the stored strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace larder::util {

struct DateTime {
  int64_t unix_ms = 0;
  bool operator==(const DateTime&) const = default;
  auto operator<=>(const DateTime&) const = default;
};

// nullopt when the text is not a recognised datetime. "" is not a datetime (callers decide
// what empty means).
std::optional<DateTime> parse_datetime(std::string_view text);
std::string format_datetime(DateTime t);          // "2026-01-02 03:04:05.678Z"
DateTime now_utc();
DateTime from_unix_seconds(int64_t s);

// Calendar fields (UTC) for the filter macros.
struct CivilTime {
  int year, month, day, hour, minute, second, millisecond, weekday;  // weekday: 0 = Sunday
};
CivilTime to_civil(DateTime t);
DateTime from_civil(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int ms = 0);

// Test hook: pins now_utc() (0 = use the real clock). Not thread-safe by design: tests only.
void set_fixed_now_for_testing(int64_t unix_ms);

}  // namespace larder::util
