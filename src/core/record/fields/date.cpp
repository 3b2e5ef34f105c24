// date and autodate fields (PocketBase's field_date.go / field_autodate.go). Values are kept as
// PocketBase's "2006-01-02 15:04:05.000Z" strings; anything that does not parse as a datetime
// becomes "" (PocketBase silently drops unparsable dates too). Min/max errors quote the limit
// the way Go prints a time.Time, which is part of the message clients see.
#include <cstdio>

#include "core/record/fields/common.h"
#include "core/util/datetime.h"

namespace larder::record::fields {

namespace {

// 0001-01-01 00:00:00 UTC, Go's zero time: PocketBase treats it as "no date".
constexpr int64_t kGoZeroTimeMs = -62135596800000;

std::string fraction(int ms) {
  if (ms == 0) return {};
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%03d", ms);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  return s;
}

// time.Time.String() of a UTC time: "2030-01-01 10:20:30.123 +0000 UTC".
std::string go_time_string(util::DateTime t) {
  util::CivilTime c = util::to_civil(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return std::string(buf) + fraction(c.millisecond) + " +0000 UTC";
}

// RFC 3339 with trimmed fraction, how encoding/json writes a time.Time: "2030-01-01T10:20:30.123Z".
std::string go_time_json(util::DateTime t) {
  util::CivilTime c = util::to_civil(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return std::string(buf) + fraction(c.millisecond) + "Z";
}

std::optional<util::DateTime> parse_nonzero(std::string_view s) {
  if (s.empty()) return std::nullopt;
  auto t = util::parse_datetime(s);
  if (!t || t->unix_ms == kGoZeroTimeMs) return std::nullopt;
  return t;
}

}  // namespace

json::Value date_prepare(const json::Value& raw) {
  // Non-strings go through cast.ToString first; numbers are not read as Unix times.
  auto t = parse_nonzero(to_string(raw));
  return json::Value(t ? util::format_datetime(*t) : std::string());
}

std::optional<FieldError> validate_date(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  if (!v || !v->is_string()) return unsupported_type_error();
  const std::string& s = v->as_string();
  std::optional<util::DateTime> val;
  if (!s.empty()) {
    val = util::parse_datetime(s);
    if (!val) return unsupported_type_error();  // not a normalised date at all
    if (val->unix_ms == kGoZeroTimeMs) val.reset();
  }
  if (!val) {
    if (f.required) return required_error();
    return std::nullopt;
  }
  if (auto min = parse_nonzero(f.date_min); min && *val < *min)
    return make_error("validation_min_greater_equal_than_required", "must be no less than " + go_time_string(*min),
                      json::Object{{"threshold", go_time_json(*min)}});
  if (auto max = parse_nonzero(f.date_max); max && *val > *max)
    return make_error("validation_max_less_equal_than_required", "must be no greater than " + go_time_string(*max),
                      json::Object{{"threshold", go_time_json(*max)}});
  return std::nullopt;
}

void touch_autodate(const schema::Field& f, Draft& d, const std::string& now) {
  // Only a value nobody changed since it was loaded is renewed (a value set by server code, e.g.
  // an import, is kept), like PocketBase's last-known-value check.
  const bool enabled = d.is_new() ? f.on_create : f.on_update;
  if (!enabled) return;
  std::string_view current = d.record.get_string(f.name);
  std::string_view last_known = d.is_new() ? std::string_view() : d.original->get_string(f.name);
  if (current == last_known) d.record.values.set(f.name, now);
}

}  // namespace larder::record::fields
