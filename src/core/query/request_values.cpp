// @request value lookups and Go-compatible conversions (see request_values.h).
#include "core/query/request_values.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

namespace larder::query {

namespace {

json::Value sorted_copy(const json::Value& v) {
  // Recursion depth is bounded by the JSON parser's nesting limit (512).
  if (v.is_object()) {
    json::Object o;
    for (const auto& [k, x] : v.as_object()) o.set(k, sorted_copy(x));
    o.sort_keys();
    return json::Value(std::move(o));
  }
  if (v.is_array()) {
    json::Array a;
    a.reserve(v.as_array().size());
    for (const auto& x : v.as_array()) a.push_back(sorted_copy(x));
    return json::Value(std::move(a));
  }
  return v;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

json::Value auth_object(const RequestInfo& info) {
  json::Object o;
  const record::Record& a = *info.auth;
  o.set("id", std::string(a.id()));
  o.set("collectionId", a.collection->id);
  o.set("collectionName", a.collection->name);
  for (const char* k : {"email", "emailVisibility", "verified"}) {
    const json::Value* v = a.get(k);
    if (v) o.set(k, *v);
  }
  return json::Value(std::move(o));
}

}  // namespace

std::optional<json::Value> lookup_request_value(const RequestInfo& info, const std::vector<std::string_view>& path) {
  if (path.empty()) return std::nullopt;
  // Walk without copying the (possibly large) request maps: only the final value is copied.
  json::Value scalar_root;
  const json::Value* cur = nullptr;
  const json::Object* obj = nullptr;
  const std::string_view k0 = path[0];
  if (k0 == "context") scalar_root = info.context, cur = &scalar_root;
  else if (k0 == "method") scalar_root = info.method, cur = &scalar_root;
  else if (k0 == "query") obj = &info.query;
  else if (k0 == "headers") obj = &info.headers;
  else if (k0 == "body") obj = &info.body;
  else if (k0 == "auth") scalar_root = info.auth && info.auth->collection ? auth_object(info) : json::Value(), cur = &scalar_root;
  else return std::nullopt;

  for (size_t i = 1; i < path.size(); ++i) {
    const std::string_view key = path[i];
    if (obj) {
      cur = obj->find(key);
      obj = nullptr;
      if (!cur) return std::nullopt;
    } else if (cur->is_object()) {
      cur = cur->find(key);
      if (!cur) return std::nullopt;
    } else if (cur->is_array()) {
      // Go's strconv.Atoi: the path grammar allows only digits here.
      if (!all_digits(key) || key.size() > 18) return std::nullopt;
      size_t idx = std::stoull(std::string(key));
      if (idx >= cur->as_array().size()) return std::nullopt;
      cur = &cur->as_array()[idx];
    } else {
      return std::nullopt;
    }
  }
  if (obj) return json::Value(*obj);
  return *cur;
}

std::string go_json(const json::Value& v) { return json::dump(sorted_copy(v)); }

std::optional<double> parse_go_float(std::string_view s) {
  if (s.empty() || s.size() > 400) return std::nullopt;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') ++i;
  std::string_view rest = s.substr(i);
  auto ieq = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); ++k) {
      char c = a[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != b[k]) return false;
    }
    return true;
  };
  if (ieq(rest, "inf") || ieq(rest, "infinity")) return s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
  if (ieq(rest, "nan")) return std::nan("");
  // digits [. digits] | . digits, then optional exponent.
  size_t digits = 0;
  size_t j = 0;
  while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9') ++j, ++digits;
  if (j < rest.size() && rest[j] == '.') {
    ++j;
    while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9') ++j, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (j < rest.size() && (rest[j] == 'e' || rest[j] == 'E')) {
    ++j;
    if (j < rest.size() && (rest[j] == '+' || rest[j] == '-')) ++j;
    size_t exp_digits = 0;
    while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9') ++j, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (j != rest.size()) return std::nullopt;
  std::string copy(s);
  errno = 0;
  double d = std::strtod(copy.c_str(), nullptr);
  if (std::isinf(d)) return std::nullopt;  // Go reports ErrRange; PocketBase keeps the string
  return d;
}

std::string cast_to_string(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kString: return v.as_string();
    case json::Type::kNumber: return json::format_number(v.as_number());
    case json::Type::kBool: return v.as_bool() ? "true" : "false";
    case json::Type::kRaw: return v.as_raw().text;
    default: return "";
  }
}

json::Array to_slice(const json::Value* v) {
  if (!v || v->is_null()) return {};
  if (v->is_array()) return v->as_array();
  return json::Array{*v};
}

std::vector<std::string> unique_strings(const json::Value* v) {
  std::vector<std::string> raw;
  if (v && v->is_string()) {
    const std::string& s = v->as_string();
    if (!s.empty()) {
      bool decoded = false;
      if (s.find('[') != std::string::npos) {
        try {
          json::Value parsed = json::parse(s);
          if (parsed.is_array()) {
            std::vector<std::string> items;
            bool all_strings = true;
            for (const auto& x : parsed.as_array()) {
              if (x.is_string()) items.push_back(x.as_string());
              else if (x.is_null()) items.emplace_back();
              else all_strings = false;
            }
            if (all_strings) {
              raw = std::move(items);
              decoded = true;
            }
          }
        } catch (const json::ParseError&) {
        }
      }
      if (!decoded) raw.push_back(s);
    }
  } else if (v && v->is_array()) {
    for (const auto& x : v->as_array()) raw.push_back(cast_to_string(x));
  }
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (auto& s : raw)
    if (!s.empty() && seen.insert(s).second) out.push_back(std::move(s));
  return out;
}

}  // namespace larder::query
