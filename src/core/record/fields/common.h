// Internals shared by the per-type files of record/fields/ (not part of the public API in
// record/fields.h):
//   * the Go conversions PocketBase applies to submitted values — spf13/cast (ToString,
//     ToFloat64, ToBool), tools/list (ToUniqueStringSlice), strconv (ParseFloat, Quote) —
//     re-expressed over our decoded json::Value, because the exact results of odd inputs
//     ("1_0" → 10, [1,{}] → [], "x[y" → ["x[y"]) are part of the wire behaviour;
//   * the number formats Go uses in values (%f-style, cast.ToString) and in error texts (%v);
//   * construction of FieldErrors the way PocketBase's error envelope renders them.
// Each type family (text.cpp, number.cpp, ...) declares its entry points here; dispatch.cpp
// routes to them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json/json.h"
#include "core/record/fields.h"
#include "core/schema/field.h"

namespace larder::record::fields {

// A key modifier as split_key reports it.
enum class Mod { Set, Append, Prepend, Subtract, Autogenerate };

// ---- Go conversions ---------------------------------------------------------------------------

// strconv.FormatFloat(d, 'f', -1, 64): shortest round-trip digits, never an exponent.
std::string format_f(double d);
// fmt's %v for a float64 (how error templates print numbers): shortest digits, exponent form
// when the decimal exponent is < -4 or >= 6 ("123456", "1e+06", "1e-05").
std::string format_v(double d);
// strconv.ParseFloat(s, 64): Go literal syntax (underscores between digits, hex mantissa with a
// mandatory p exponent, inf/infinity/nan). nullopt on a syntax error or an overflow.
std::optional<double> parse_float(std::string_view s);

std::string to_string(const json::Value& v);  // cast.ToString ("" for arrays/objects/null)
double to_float(const json::Value& v);        // cast.ToFloat64 (0 on any failure)
bool to_bool(const json::Value& v);           // cast.ToBool (strconv.ParseBool for strings)

// list.ToUniqueStringSlice: a string containing '[' is tried as a JSON array of strings (Go's
// partial-decode rules included); arrays go through cast.ToStringSlice (all or nothing);
// empty strings are dropped and the rest de-duplicated keeping first occurrences.
std::vector<std::string> to_unique_strings(const json::Value& v);
std::vector<std::string> nonzero_uniques(const std::vector<std::string>& in);
json::Value string_array(const std::vector<std::string>& items);

// ---- strings ----------------------------------------------------------------------------------

size_t rune_count(std::string_view s);         // invalid bytes count one each, like Go
std::string quote_ident(std::string_view name);  // "name" for SQL, inner quotes doubled
std::string go_quote(std::string_view s);  // strconv.Quote
// Go's json.Valid, plus the compact form encoding/json prints for a json.RawMessage (HTML-safe
// escapes, U+2028/2029 escaped, everything else verbatim). Number literals are kept as written
// (1e400 is valid JSON to Go) and nesting may go to Go's 10000 levels. false when invalid.
bool go_json_compact(std::string_view text, std::string& out);
// Go's regexp.MatchString(pattern, text); an invalid pattern never matches.
bool regex_match(std::string_view pattern, std::string_view text);

// ---- errors -----------------------------------------------------------------------------------

// PocketBase's inflector.Sentenize, applied to every message of the error envelope: trim
// Unicode spaces, upper-case the first letter, end with '.' unless it ends with . ? or !.
std::string sentenize(std::string_view s);
// `message` is the rendered template (placeholders filled in); it is sentenized here.
FieldError make_error(std::string code, std::string_view message, json::Value params = json::Value());
FieldError required_error();          // validation_required "Cannot be blank."
FieldError unsupported_type_error();  // validation_unsupported_value_type

// ---- per-type entry points (one family per file) ----------------------------------------------

// text.cpp — text and editor
json::Value text_apply(const schema::Field& f, const json::Value& raw, Mod mod);
std::optional<FieldError> validate_text(const schema::Field& f, const Draft& d, const ValidateContext& ctx);
std::optional<FieldError> validate_text_plain(const schema::Field& f, std::string_view value);
std::optional<FieldError> validate_editor(const schema::Field& f, const Draft& d);
void autogenerate_text(const schema::Field& f, Draft& d);

// number.cpp
json::Value number_apply(const json::Value& current, const json::Value& raw, Mod mod);
std::optional<FieldError> validate_number(const schema::Field& f, const Draft& d);

// bool.cpp
std::optional<FieldError> validate_bool(const schema::Field& f, const Draft& d);

// email_url.cpp
std::optional<FieldError> validate_email(const schema::Field& f, const Draft& d);
std::optional<FieldError> validate_url(const schema::Field& f, const Draft& d);
bool is_email_format(std::string_view s);  // govalidator.IsEmail
bool is_url_format(std::string_view s);    // govalidator.IsURL
// The host of Go's url.Parse(s) (with port, as u.Host has it); nullopt when Parse fails.
std::optional<std::string> url_host(std::string_view s);

// date.cpp — date and autodate
json::Value date_prepare(const json::Value& raw);
std::optional<FieldError> validate_date(const schema::Field& f, const Draft& d);
void touch_autodate(const schema::Field& f, Draft& d, const std::string& now);

// select.cpp — the list semantics shared by select and relation
json::Value string_list_apply(const schema::Field& f, const json::Value& current, const json::Value& raw, Mod mod);
std::optional<FieldError> validate_select(const schema::Field& f, const Draft& d);

// relation.cpp
std::optional<FieldError> validate_relation(const schema::Field& f, const Draft& d, const ValidateContext& ctx);

// file.cpp
std::vector<std::string> file_names(const json::Value& v);  // FileField.toSliceValue
json::Value file_apply(const schema::Field& f, const json::Value& current, const json::Value& raw, Mod mod);
std::optional<FieldError> validate_file(const schema::Field& f, const Draft& d);

// json.cpp
json::Value json_prepare(const json::Value& raw);
std::optional<FieldError> validate_json(const schema::Field& f, const Draft& d);

// password.cpp
void password_apply(const schema::Field& f, Draft& d, const json::Value& raw);
std::optional<FieldError> validate_password(const schema::Field& f, const Draft& d);
void hash_password(const schema::Field& f, Draft& d);

// geo_point.cpp
json::Value geo_point_prepare(const json::Value& raw);
std::optional<FieldError> validate_geo_point(const schema::Field& f, const Draft& d);

// The end of the raw JSON value starting at `i` inside an array or object: the index of the
// `,` or `closer` that ends it at nesting depth 0 (strings and nested brackets skipped), or
// s.size(). Used where values are walked without parsing them (a number our parser cannot hold
// must not derail its neighbours).
size_t skip_raw_json_value(std::string_view s, size_t i, char closer);

}  // namespace larder::record::fields
