// Go-style decoding helpers (see go_json.h).
#include "core/oauth2/go_json.h"

#include <cmath>

#include "core/http/headers.h"

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
