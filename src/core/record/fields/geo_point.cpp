// geoPoint fields (PocketBase's field_geo_point.go): {"lon": x, "lat": y}. Submitted values are
// read the way Go decodes JSON into its GeoPoint struct — keys matched case-insensitively, the
// last matching key wins, mistyped members ignored — and a value that is not an object (or
// not valid JSON text) leaves the point at (0, 0).
#include <algorithm>

#include "core/record/fields/common.h"

namespace larder::record::fields {

namespace {

bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return low(x) == low(y);
         });
}

void set_member(std::string_view key, const json::Value& v, double& lon, double& lat) {
  if (!v.is_number()) return;  // null is a no-op, other types a (skipped) type error
  if (ascii_iequals(key, "lon")) lon = v.as_number();
  else if (ascii_iequals(key, "lat")) lat = v.as_number();
}

// Decodes JSON text into the point member by member, in document order. Walking the members
// ourselves keeps one out-of-range number (a type error to Go) from voiding the others.
void read_text(std::string_view text, double& lon, double& lat) {
  std::string compacted;
  if (!go_json_compact(text, compacted) || compacted.front() != '{') return;
  std::string_view s = compacted;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    // key
    const size_t key_start = i;
    for (++i; s[i] != '"'; ++i)
      if (s[i] == '\\') ++i;
    const std::string key = json::parse(s.substr(key_start, i - key_start + 1)).as_string();
    i += 2;  // closing quote and ':'
    // value
    const size_t start = i;
    i = skip_raw_json_value(s, i, '}');
    const std::string_view value = s.substr(start, i - start);
    if (value.front() == '-' || (value.front() >= '0' && value.front() <= '9')) {
      if (auto d = parse_float(value)) set_member(key, json::Value(*d), lon, lat);
    }
  }
}

json::Value point(double lon, double lat) { return json::Value(json::Object{{"lon", lon}, {"lat", lat}}); }

}  // namespace

json::Value geo_point_prepare(const json::Value& raw) {
  double lon = 0, lat = 0;
  if (raw.is_object()) {
    // A decoded request body is a Go map, re-encoded with sorted keys before decoding.
    json::Object o = raw.as_object();
    o.sort_keys();
    for (const auto& [k, v] : o) set_member(k, v, lon, lat);
  } else if (raw.is_string()) {
    read_text(raw.as_string(), lon, lat);
  } else if (raw.is_raw()) {
    read_text(raw.as_raw().text, lon, lat);
  }
  return point(lon, lat);
}

std::optional<FieldError> validate_geo_point(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  const json::Value* lon = v ? v->find("lon") : nullptr;
  const json::Value* lat = v ? v->find("lat") : nullptr;
  if (!lon || !lat || !lon->is_number() || !lat->is_number()) return unsupported_type_error();
  const double x = lon->as_number(), y = lat->as_number();
  if (x == 0 && y == 0) {
    if (f.required) return required_error();
    return std::nullopt;
  }
  if (y < -90 || y > 90)
    return make_error("validation_invalid_latitude", "Latitude must be between -90 and 90 degrees.");
  if (x < -180 || x > 180)
    return make_error("validation_invalid_longitude", "Longitude must be between -180 and 180 degrees.");
  return std::nullopt;
}

}  // namespace larder::record::fields
