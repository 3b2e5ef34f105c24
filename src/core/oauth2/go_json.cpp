// Go-style decoding helpers (see go_json.h).
#include "core/oauth2/go_json.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/http/headers.h"
#include "core/util/float_digits.h"

namespace larder::oauth2::gojson {

namespace {

const json::Value& null_value() {
  static const json::Value v;
  return v;
}

const json::Array& empty_array() {
  static const json::Array a;
  return a;
}

[[noreturn]] void type_error(std::string_view key, std::string_view want) {
  throw DecodeError("json: cannot unmarshal field \"" + std::string(key) + "\" into " + std::string(want));
}

}  // namespace

const json::Value* member(const json::Value& obj, std::string_view key) {
  if (obj.is_null()) return nullptr;
  if (!obj.is_object()) throw DecodeError("json: cannot unmarshal non-object into a struct");
  // encoding/json assigns every matching key in document order, so the last one stands; an
  // exact match and a case-folded one are equally good.
  const json::Value* found = nullptr;
  for (const auto& [k, v] : obj.as_object())
    if (k == key || http::iequals(k, key)) found = &v;
  return found;
}

std::string str(const json::Value& obj, std::string_view key) {
  const json::Value* v = member(obj, key);
  if (!v || v->is_null()) return {};
  if (!v->is_string()) type_error(key, "string");
  return v->as_string();
}

bool boolean(const json::Value& obj, std::string_view key) {
  const json::Value* v = member(obj, key);
  if (!v || v->is_null()) return false;
  if (!v->is_bool()) type_error(key, "bool");
  return v->as_bool();
}

std::string int64_text(const json::Value& obj, std::string_view key) {
  const json::Value* v = member(obj, key);
  if (!v || v->is_null()) return "0";
  if (!v->is_number()) type_error(key, "int64");
  double d = v->as_number();
  // Go refuses fractions and out-of-range values for an int64 field. Beyond 2^53 a double no
  // longer holds every integer, so such ids are refused too rather than silently rounded.
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0) type_error(key, "int64");
  return std::to_string(static_cast<long long>(d));
}

const json::Value& object(const json::Value& obj, std::string_view key) {
  const json::Value* v = member(obj, key);
  if (!v || v->is_null()) return null_value();
  if (!v->is_object()) type_error(key, "struct");
  return *v;
}

const json::Array& array(const json::Value& obj, std::string_view key) {
  const json::Value* v = member(obj, key);
  if (!v || v->is_null()) return empty_array();
  if (!v->is_array()) type_error(key, "slice");
  return v->as_array();
}

bool cast_to_bool(const json::Value* v) {
  if (!v) return false;
  if (v->is_bool()) return v->as_bool();
  if (v->is_number()) return v->as_number() != 0;
  if (v->is_string()) {
    const std::string& s = v->as_string();
    return s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True";
  }
  return false;
}

namespace {

// strconv.FormatFloat(d, 'g', -1, 64), which %v uses: the shortest digits, in exponent form
// when the exponent is below -4 or at least 6 (not 21 as in JSON).
std::string go_float_v(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  const bool neg = d < 0;
  std::string digits;
  int exp = 0;
  util::shortest_digits(d, digits, exp);
  std::string out = neg ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += exp < 0 ? "e-" : "e+";
    int a = exp < 0 ? -exp : exp;
    if (a < 10) out += "0";
    out += std::to_string(a);
  } else if (exp < 0) {
    out += "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  } else {
    size_t int_len = static_cast<size_t>(exp) + 1;
    if (digits.size() <= int_len) {
      out += digits + std::string(int_len - digits.size(), '0');
    } else {
      out += digits.substr(0, int_len) + "." + digits.substr(int_len);
    }
  }
  return out;
}

}  // namespace

std::string sprint(const json::Value& v, bool go_int) {
  if (v.is_null()) return "<nil>";
  if (v.is_string()) return v.as_string();
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_number()) {
    if (go_int) return std::to_string(static_cast<long long>(v.as_number()));
    return go_float_v(v.as_number());
  }
  std::string out;
  if (v.is_array()) {
    for (const auto& e : v.as_array()) out += (out.empty() ? "" : " ") + sprint(e);
    return "[" + out + "]";
  }
  // A Go map prints with its keys sorted.
  std::vector<std::pair<std::string, const json::Value*>> entries;
  for (const auto& [k, e] : v.as_object()) entries.emplace_back(k, &e);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [k, e] : entries) out += (out.empty() ? "" : " ") + k + ":" + sprint(*e);
  return "map[" + out + "]";
}

json::Value parse_any(std::string_view text) {
  try {
    return json::parse(text);
  } catch (const json::ParseError& e) {
    throw DecodeError(std::string("invalid JSON: ") + e.what());
  }
}

json::Value parse_object(std::string_view text) {
  json::Value v;
  try {
    v = json::parse(text);
  } catch (const json::ParseError& e) {
    throw DecodeError(std::string("invalid JSON: ") + e.what());
  }
  if (v.is_null()) return json::Value::object();
  if (!v.is_object()) throw DecodeError("json: cannot unmarshal non-object into map");
  return v;
}

}  // namespace larder::oauth2::gojson
