// Date/time macro values (see macros.h). PocketBase computes them with Go's time package in UTC;
// a UTC day is always 24 h, so "yesterday" is simply now − 86 400 000 ms.
#include "core/query/macros.h"

namespace larder::query {

namespace {

constexpr int64_t kDayMs = 86'400'000;

int days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : dm[m - 1];
}

db::SqlValue text(util::DateTime t) { return util::format_datetime(t); }

}  // namespace

std::optional<db::SqlValue> date_macro(std::string_view name, util::DateTime now) {
  if (name.size() < 4 || name[0] != '@') return std::nullopt;
  const util::CivilTime c = util::to_civil(now);
  if (name == "@now") return text(now);
  if (name == "@yesterday") return text(util::DateTime{now.unix_ms - kDayMs});
  if (name == "@tomorrow") return text(util::DateTime{now.unix_ms + kDayMs});
  if (name == "@second") return int64_t{c.second};
  if (name == "@minute") return int64_t{c.minute};
  if (name == "@hour") return int64_t{c.hour};
  if (name == "@day") return int64_t{c.day};
  if (name == "@month") return int64_t{c.month};
  if (name == "@weekday") return int64_t{c.weekday};
  if (name == "@year") return int64_t{c.year};
  if (name == "@todayStart") return text(util::from_civil(c.year, c.month, c.day));
  if (name == "@todayEnd") return text(util::from_civil(c.year, c.month, c.day, 23, 59, 59, 999));
  if (name == "@monthStart") return text(util::from_civil(c.year, c.month, 1));
  if (name == "@monthEnd")
    return text(util::from_civil(c.year, c.month, days_in_month(c.year, c.month), 23, 59, 59, 999));
  if (name == "@yearStart") return text(util::from_civil(c.year, 1, 1));
  if (name == "@yearEnd") return text(util::from_civil(c.year, 12, 31, 23, 59, 59, 999));
  return std::nullopt;
}

}  // namespace larder::query
