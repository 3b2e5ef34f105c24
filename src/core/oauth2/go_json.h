// Reading provider JSON the way PocketBase's Go code does: json.Unmarshal into a typed struct
// (keys matched exactly or ASCII case-insensitively, the last matching key wins, a value of the
// wrong type fails the whole decode, null leaves the zero value) and spf13/cast's ToBool.
//
// Provider responses are untrusted input: every helper here either returns a value or throws
// DecodeError, never anything else.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/json/json.h"

namespace larder::oauth2::gojson {

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The member of `obj` that Go would decode into a struct field tagged `key` (nullptr if none).
// `obj` null counts as an empty object; any other non-object throws.
const json::Value* member(const json::Value& obj, std::string_view key);

// Go `string` field: null/absent -> "", string -> itself, anything else throws.
std::string str(const json::Value& obj, std::string_view key);
// Go `bool` field: null/absent -> false, bool -> itself, anything else throws.
bool boolean(const json::Value& obj, std::string_view key);
// Go `int64` field rendered with strconv.FormatInt: an integral number in range, else throws.
std::string int64_text(const json::Value& obj, std::string_view key);
// A nested struct field: the member when it is an object, a null Value when absent/null,
// throws for other types. Read its fields with the helpers above.
const json::Value& object(const json::Value& obj, std::string_view key);
// A slice field: the member's elements when it is an array, nothing when absent/null, throws
// for other types.
const json::Array& array(const json::Value& obj, std::string_view key);

// cast.ToBool of an `any` value: bools, non-zero numbers, strconv.ParseBool strings.
bool cast_to_bool(const json::Value* v);

// fmt.Sprint of a decoded `any` (float64 numbers, or an int64 when `go_int`): "%v" style, so
// 1e6 prints as "1e+06", a slice as "[a b]" and a map as "map[k:v]".
std::string sprint(const json::Value& v, bool go_int = false);

// Any JSON text, for json.Unmarshal into a struct or slice (DecodeError when malformed or empty).
json::Value parse_any(std::string_view text);

// json.Unmarshal into map[string]any: the text must be one JSON object (or null -> {}).
json::Value parse_object(std::string_view text);

}  // namespace larder::oauth2::gojson
