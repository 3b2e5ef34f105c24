// number fields (PocketBase's field_number.go): cast rules for submitted values, the "+"/"-"
// modifiers, and min/max/onlyInt validation. Zero counts as blank for `required`.
#include <cmath>

#include "core/record/fields/common.h"

namespace larder::record::fields {

json::Value number_apply(const json::Value& current, const json::Value& raw, Mod mod) {
  switch (mod) {
    case Mod::Append: return json::Value(to_float(current) + to_float(raw));
    case Mod::Subtract: return json::Value(to_float(current) - to_float(raw));
    default: return json::Value(to_float(raw));
  }
}

namespace {

// Go's `v == float64(int64(v))`. Out of int64 range the conversion yields math.MinInt64 on the
// amd64 builds PocketBase ships, so such values never count as integers (unless they are -2^63).
bool is_integral(double v) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (v >= -kTwo63 && v < kTwo63) return std::trunc(v) == v;
  return false;
}

}  // namespace

std::optional<FieldError> validate_number(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  if (!v || !v->is_number()) return unsupported_type_error();
  const double val = v->as_number();
  if (std::isinf(val) || std::isnan(val))
    return make_error("validation_not_a_number", "The submitted number is not properly formatted");
  if (val == 0) {
    if (f.required) return required_error();
    return std::nullopt;
  }
  if (f.only_int && !is_integral(val))
    return make_error("validation_only_int_constraint", "Decimal numbers are not allowed");
  if (f.num_min && val < *f.num_min)
    return make_error("validation_min_number_constraint", "Must be greater or equal than " + format_v(*f.num_min),
                      json::Object{{"min", *f.num_min}});
  if (f.num_max && val > *f.num_max)
    return make_error("validation_max_number_constraint", "Must be less or equal than " + format_v(*f.num_max),
                      json::Object{{"max", *f.num_max}});
  return std::nullopt;
}

}  // namespace larder::record::fields
