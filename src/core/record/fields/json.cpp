// json fields (PocketBase's field_json.go). A submitted string is stored as JSON when it looks
// like JSON and is valid ("[1, 2]", "null", "12"), otherwise as a JSON string literal in Go's
// strconv.Quote form — which is not always valid JSON ("\x00"), and PocketBase then rejects the
// value as invalid JSON; that quirk is kept so the same input fails the same way. Other values
// are encoded the way Go's encoding/json writes a decoded request body (object keys sorted).
// Values are held as json::Raw compact text.
#include <cmath>
#include <vector>

#include "core/record/fields/common.h"

namespace larder::record::fields {

namespace {

constexpr size_t kGoMaxNesting = 10000;

bool json_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool hexdigit(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Scans one JSON string starting at s[i] == '"', appending it with encoding/json's HTML-safe
// escapes. false on a malformed string.
bool scan_string(std::string_view s, size_t& i, std::string& out) {
  out += '"';
  ++i;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      out += '"';
      ++i;
      return true;
    }
    if (c < 0x20) return false;
    if (c == '\\') {
      if (i + 1 >= s.size()) return false;
      char e = s[i + 1];
      if (e == 'u') {
        if (i + 5 >= s.size() || !hexdigit(s[i + 2]) || !hexdigit(s[i + 3]) || !hexdigit(s[i + 4]) ||
            !hexdigit(s[i + 5]))
          return false;
        out.append(s.substr(i, 6));
        i += 6;
        continue;
      }
      if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') return false;
      out += '\\';
      out += e;
      i += 2;
      continue;
    }
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else if (c == 0xE2 && i + 2 < s.size() && s[i + 1] == '\x80' && (s[i + 2] == '\xA8' || s[i + 2] == '\xA9')) {
      out += s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 3;
      continue;
    } else out += static_cast<char>(c);
    ++i;
  }
  return false;
}

bool scan_number(std::string_view s, size_t& i, std::string& out) {
  size_t start = i;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] == '0') {
    ++i;
  } else if (digit(s[i])) {
    while (i < s.size() && digit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !digit(s[i])) return false;
    while (i < s.size() && digit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !digit(s[i])) return false;
    while (i < s.size() && digit(s[i])) ++i;
  }
  out.append(s.substr(start, i - start));
  return true;
}

// Deep copy with object keys in byte order: what json.Marshal does with a decoded map.
json::Value sorted(const json::Value& v) {
  if (v.is_array()) {
    json::Array out;
    out.reserve(v.as_array().size());
    for (const auto& e : v.as_array()) out.push_back(sorted(e));
    return json::Value(std::move(out));
  }
  if (v.is_object()) {
    json::Object out;
    for (const auto& [k, e] : v.as_object()) out.set(k, sorted(e));
    out.sort_keys();
    return json::Value(std::move(out));
  }
  return v;
}

// json.Marshal fails on NaN/Inf (only server code can produce them); PocketBase then keeps no
// value at all.
bool has_nonfinite(const json::Value& v) {
  if (v.is_number()) return !std::isfinite(v.as_number());
  if (v.is_array())
    for (const auto& e : v.as_array())
      if (has_nonfinite(e)) return true;
  if (v.is_object())
    for (const auto& [k, e] : v.as_object())
      if (has_nonfinite(e)) return true;
  return false;
}

json::Value raw_from_text(const std::string& text) {
  std::string compacted;
  if (go_json_compact(text, compacted)) return json::Value(json::Raw{std::move(compacted)});
  return json::Value(json::Raw{text});  // invalid: kept as is, validation reports it
}

}  // namespace

bool go_json_compact(std::string_view s, std::string& out) {
  // Iterative, so hostile nesting costs heap, not stack (the wasm stack is small).
  enum class Want { Value, Key, AfterValue };
  out.clear();
  out.reserve(s.size());
  std::vector<char> stack;
  size_t i = 0;
  Want want = Want::Value;
  auto skip_ws = [&] {
    while (i < s.size() && json_ws(s[i])) ++i;
  };
  while (true) {
    skip_ws();
    if (want == Want::AfterValue) {
      if (stack.empty()) return i == s.size();
      if (i >= s.size()) return false;
      char c = s[i];
      if (c == ',') {
        out += ',';
        ++i;
        want = stack.back() == '{' ? Want::Key : Want::Value;
      } else if ((c == '}' && stack.back() == '{') || (c == ']' && stack.back() == '[')) {
        out += c;
        ++i;
        stack.pop_back();
      } else {
        return false;
      }
      continue;
    }
    if (i >= s.size()) return false;
    if (want == Want::Key) {
      if (s[i] != '"' || !scan_string(s, i, out)) return false;
      skip_ws();
      if (i >= s.size() || s[i] != ':') return false;
      out += ':';
      ++i;
      want = Want::Value;
      continue;
    }
    char c = s[i];
    if (c == '{' || c == '[') {
      if (stack.size() + 1 > kGoMaxNesting) return false;  // Go counts empty containers too
      out += c;
      ++i;
      skip_ws();
      if (i < s.size() && s[i] == (c == '{' ? '}' : ']')) {
        out += s[i];
        ++i;
        want = Want::AfterValue;
        continue;
      }
      stack.push_back(c);
      want = c == '{' ? Want::Key : Want::Value;
      continue;
    }
    if (c == '"') {
      if (!scan_string(s, i, out)) return false;
    } else if (c == '-' || digit(c)) {
      if (!scan_number(s, i, out)) return false;
    } else {
      bool matched = false;
      for (std::string_view lit : {std::string_view("true"), std::string_view("false"), std::string_view("null")}) {
        if (s.substr(i, lit.size()) == lit) {
          out.append(lit);
          i += lit.size();
          matched = true;
          break;
        }
      }
      if (!matched) return false;
    }
    want = Want::AfterValue;
  }
}

json::Value json_prepare(const json::Value& raw) {
  switch (raw.type()) {
    case json::Type::kNull: return json::Value();
    case json::Type::kRaw:
      if (raw.as_raw().text.empty()) return json::Value();
      return raw_from_text(raw.as_raw().text);
    case json::Type::kString: {
      const std::string& s = raw.as_string();
      if (s == "null" || s == "true" || s == "false") return json::Value(json::Raw{s});
      std::string compacted;
      if (!s.empty() && (digit(s[0]) || s[0] == '-' || s[0] == '"' || s[0] == '[' || s[0] == '{') &&
          go_json_compact(s, compacted))
        return json::Value(json::Raw{std::move(compacted)});
      return raw_from_text(go_quote(s));
    }
    default:
      if (has_nonfinite(raw)) return json::Value();
      return json::Value(json::Raw{json::dump(sorted(raw))});
  }
}

std::optional<FieldError> validate_json(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  std::string text;
  if (v && v->is_raw()) text = v->as_raw().text;
  else if (!v || !v->is_null()) return unsupported_type_error();

  const int64_t max_size = f.max_size > 0 ? f.max_size : schema::kDefaultJsonMaxSize;
  if (static_cast<int64_t>(text.size()) > max_size)
    return make_error("validation_json_size_limit",
                      "The maximum allowed JSON size is " + std::to_string(max_size) + " bytes",
                      json::Object{{"maxSize", max_size}});
  std::string compacted;
  if (!text.empty() && !go_json_compact(text, compacted))
    return make_error("validation_invalid_json", "Must be a valid json value");
  if (f.required &&
      (text.empty() || compacted == "null" || compacted == "\"\"" || compacted == "[]" || compacted == "{}"))
    return required_error();
  return std::nullopt;
}

}  // namespace larder::record::fields
