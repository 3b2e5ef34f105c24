// Go conversions, formatting and error helpers shared by the field families (see common.h).
#include "core/record/fields/common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "core/record/fields/go_nonprintable.h"
#include "core/util/float_digits.h"
#include "core/util/regex.h"
#include "core/util/utf8.h"

namespace larder::record::fields {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Go only allows '_' between digits (a base prefix counts as a digit).
bool underscores_ok(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' && (lower(s[1]) == 'x' || lower(s[1]) == 'b' || lower(s[1]) == 'o')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    if (is_digit(s[i]) || (hex && is_hex(s[i]))) {
      saw = '0';
      continue;
    }
    if (s[i] == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

// Decoded code point at s[i] (U+FFFD and width 1 for an invalid byte).
uint32_t decode_rune(std::string_view s, size_t i, size_t& width) {
  size_t n = utf8::valid_sequence_length(s, i);
  auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i + k])); };
  switch (n) {
    case 1: width = 1; return b(0);
    case 2: width = 2; return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: width = 3; return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    case 4: width = 4; return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    default: width = 1; return 0xFFFD;
  }
}

bool go_is_print(uint32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  const auto* end = std::end(kGoNonPrintable);
  const auto* it = std::upper_bound(std::begin(kGoNonPrintable), end, r,
                                    [](uint32_t v, const RuneRange& rr) { return v < rr.lo; });
  if (it == std::begin(kGoNonPrintable)) return true;
  --it;
  return !(r >= it->lo && r <= it->hi);
}

// unicode.IsSpace
bool is_go_space(uint32_t r) {
  switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

}  // namespace

// ---- numbers ----------------------------------------------------------------------------------


std::string format_f(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  std::string digits;
  int exp = 0;
  util::shortest_digits(d, digits, exp);
  std::string out = d < 0 ? "-" : "";
  if (exp < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp - 1), '0');
    out += digits;
  } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    out += digits;
    out.append(static_cast<size_t>(exp) + 1 - digits.size(), '0');
  } else {
    out.append(digits, 0, static_cast<size_t>(exp) + 1);
    out += '.';
    out.append(digits, static_cast<size_t>(exp) + 1, std::string::npos);
  }
  return out;
}

std::string format_v(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  std::string digits;
  int exp = 0;
  util::shortest_digits(d, digits, exp);
  if (exp >= -4 && exp < 6) return format_f(d);
  // %e form: d.ddde±XX (at least two exponent digits).
  std::string out = d < 0 ? "-" : "";
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out.append(digits, 1, std::string::npos);
  }
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  return out + ebuf;
}

std::optional<double> parse_float(std::string_view s) {
  if (s.empty()) return std::nullopt;
  // Special values: optional sign only for infinities, like strconv.
  {
    std::string_view t = s;
    int sign = 1;
    bool has_sign = false;
    if (t[0] == '+' || t[0] == '-') {
      sign = t[0] == '-' ? -1 : 1;
      has_sign = true;
      t.remove_prefix(1);
    }
    if (iequals(t, "inf") || iequals(t, "infinity")) return sign * HUGE_VAL;
    if (!has_sign && iequals(t, "nan")) return std::nan("");
  }
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  bool hex = s.size() >= i + 2 && s[i] == '0' && lower(s[i + 1]) == 'x';
  if (hex) i += 2;
  bool digits = false, dot = false, underscores = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      underscores = true;
    } else if (c == '.') {
      if (dot) return std::nullopt;
      dot = true;
    } else if (hex ? is_hex(c) : is_digit(c)) {
      digits = true;
    } else {
      break;
    }
  }
  if (!digits) return std::nullopt;
  if (i < s.size() && lower(s[i]) == (hex ? 'p' : 'e')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
    for (; i < s.size() && (is_digit(s[i]) || s[i] == '_'); ++i)
      if (s[i] == '_') underscores = true;
  } else if (hex) {
    return std::nullopt;  // a hex mantissa needs a binary exponent
  }
  if (i != s.size()) return std::nullopt;
  if (underscores && !underscores_ok(s)) return std::nullopt;
  std::string clean;
  clean.reserve(s.size());
  for (char c : s)
    if (c != '_') clean += c;
  char* end = nullptr;
  double v = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return std::nullopt;
  if (std::isinf(v)) return std::nullopt;  // overflow is a range error in Go
  return v;
}

// ---- casts ------------------------------------------------------------------------------------

std::string to_string(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kString: return v.as_string();
    case json::Type::kBool: return v.as_bool() ? "true" : "false";
    case json::Type::kNumber: return format_f(v.as_number());
    case json::Type::kRaw: return v.as_raw().text;  // a stored json value prints as its text
    default: return {};
  }
}

double to_float(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kNumber: return v.as_number();
    case json::Type::kBool: return v.as_bool() ? 1 : 0;
    case json::Type::kString: return parse_float(v.as_string()).value_or(0);
    default: return 0;
  }
}

bool to_bool(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kBool: return v.as_bool();
    case json::Type::kNumber: return v.as_number() != 0;
    case json::Type::kString: {
      const std::string& s = v.as_string();
      return s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True";
    }
    default: return false;
  }
}

namespace {

// json.Unmarshal(text, &[]string): the decoded items (mismatched elements left ""), and whether
// Go would report an error (syntax or type).
std::vector<std::string> decode_string_array(std::string_view text, bool& failed) {
  failed = false;
  std::string compacted;
  if (!go_json_compact(text, compacted)) {
    failed = true;  // syntax error: nothing is decoded
    return {};
  }
  std::string_view s = compacted;  // valid and without insignificant whitespace from here on
  if (s == "null") return {};
  if (s[0] != '[') {
    failed = true;
    return {};
  }
  std::vector<std::string> out;
  if (s == "[]") return out;
  // Walk the top-level elements; nested values are only skipped (they are type errors), so a
  // number our parser could not hold (1e400) cannot derail the strings around it.
  for (size_t i = 1; i < s.size(); ++i) {
    const size_t start = i;
    i = skip_raw_json_value(s, i, ']');
    const std::string_view elem = s.substr(start, i - start);
    if (elem.front() == '"') {
      out.push_back(json::parse(elem).as_string());
    } else {
      if (elem != "null") failed = true;
      out.emplace_back();
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> nonzero_uniques(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  out.reserve(in.size());
  for (const auto& s : in) {
    if (s.empty() || !seen.insert(s).second) continue;
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> to_unique_strings(const json::Value& v) {
  std::vector<std::string> items;
  switch (v.type()) {
    case json::Type::kNull:
    case json::Type::kObject:
      break;
    case json::Type::kString: {
      const std::string& s = v.as_string();
      if (s.empty()) break;
      if (s.find('[') != std::string::npos) {
        bool failed = false;
        items = decode_string_array(s, failed);
        if (failed) items.push_back(s);
      } else {
        items.push_back(s);
      }
      break;
    }
    case json::Type::kRaw: {
      bool failed = false;
      items = decode_string_array(v.as_raw().text, failed);
      break;
    }
    case json::Type::kArray: {
      // cast.ToStringSlice: one element that is not a scalar voids the whole list.
      for (const auto& e : v.as_array()) {
        if (e.is_array() || e.is_object()) return {};
        items.push_back(to_string(e));
      }
      break;
    }
    default:
      items.push_back(to_string(v));
      break;
  }
  return nonzero_uniques(items);
}

json::Value string_array(const std::vector<std::string>& items) {
  json::Array arr;
  arr.reserve(items.size());
  for (const auto& s : items) arr.emplace_back(s);
  return json::Value(std::move(arr));
}

// ---- strings ----------------------------------------------------------------------------------

size_t rune_count(std::string_view s) { return utf8::count(s); }

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string go_quote(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (size_t i = 0; i < s.size();) {
    size_t width = 1;
    uint32_t r = decode_rune(s, i, width);
    if (width == 1 && r == 0xFFFD) {  // an invalid byte
      unsigned char b = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
      i += 1;
      continue;
    }
    if (r == '"' || r == '\\') {
      out += '\\';
      out += static_cast<char>(r);
    } else if (go_is_print(r)) {
      out.append(s.substr(i, width));
    } else {
      switch (r) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
          if (r < ' ' || r == 0x7F) {
            out += "\\x";
            out += hex[r >> 4];
            out += hex[r & 15];
          } else if (r < 0x10000) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) out += hex[(r >> shift) & 15];
          } else {
            out += "\\U";
            for (int shift = 28; shift >= 0; shift -= 4) out += hex[(r >> shift) & 15];
          }
      }
    }
    i += width;
  }
  out += '"';
  return out;
}

bool regex_match(std::string_view pattern, std::string_view text) {
  // Compiled patterns are cached per thread: field patterns are few and reused on every write,
  // and a per-thread cache needs no locking on the native worker pool.
  thread_local std::unordered_map<std::string, std::optional<util::Regex>> cache;
  auto it = cache.find(std::string(pattern));
  if (it == cache.end()) {
    if (cache.size() > 256) cache.clear();
    std::string err;
    it = cache.emplace(std::string(pattern), util::Regex::compile(std::string(pattern), &err)).first;
  }
  return it->second && it->second->search(text);
}

// ---- errors -----------------------------------------------------------------------------------

std::string sentenize(std::string_view s) {
  // Trim Unicode spaces at both ends (strings.TrimSpace).
  size_t begin = 0, end = 0;
  bool leading = true;
  for (size_t i = 0; i < s.size();) {
    size_t w = 1;
    uint32_t r = decode_rune(s, i, w);
    bool space = is_go_space(r);
    if (leading && space) {
      begin = i + w;
    } else {
      leading = false;
      if (!space) end = i + w;
    }
    i += w;
  }
  if (end <= begin) return {};
  std::string out(s.substr(begin, end - begin));
  if (out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  char last = out.back();
  if (last != '.' && last != '?' && last != '!') out += '.';
  return out;
}

FieldError make_error(std::string code, std::string_view message, json::Value params) {
  return FieldError{std::move(code), sentenize(message), std::move(params)};
}

FieldError required_error() { return make_error("validation_required", "cannot be blank"); }

FieldError unsupported_type_error() {
  return make_error("validation_unsupported_value_type", "Invalid or unsupported value type.");
}

size_t skip_raw_json_value(std::string_view s, size_t i, char closer) {
  int depth = 0;
  bool in_str = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (in_str) {
      if (c == '\\') ++i;
      else if (c == '"') in_str = false;
    } else if (c == '"') {
      in_str = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if ((c == ',' || c == closer) && depth == 0) {
      break;
    }
  }
  return i;
}

}  // namespace larder::record::fields
