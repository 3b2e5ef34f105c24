// The Go struct behind the settings and json.Unmarshal's decoding into it (see shape.h).
#include "core/settings/shape.h"

#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http/headers.h"

namespace larder::settings {

namespace {

// A Go type of the settings struct.
struct Shape {
  enum Kind { Bool, Int, String, StringList, Struct, StructList } kind;
  std::vector<std::pair<std::string_view, const Shape*>> members;  // Struct, and StructList's element
};

const Shape kBool{Shape::Bool, {}};
const Shape kInt{Shape::Int, {}};
const Shape kString{Shape::String, {}};
const Shape kStrings{Shape::StringList, {}};

const Shape kSmtp{Shape::Struct,
                  {{"enabled", &kBool},
                   {"port", &kInt},
                   {"host", &kString},
                   {"username", &kString},
                   {"password", &kString},
                   {"authMethod", &kString},
                   {"tls", &kBool},
                   {"localName", &kString}}};
const Shape kS3{Shape::Struct,
                {{"enabled", &kBool},
                 {"bucket", &kString},
                 {"region", &kString},
                 {"endpoint", &kString},
                 {"accessKey", &kString},
                 {"secret", &kString},
                 {"forcePathStyle", &kBool}}};
const Shape kBackups{Shape::Struct, {{"cron", &kString}, {"cronMaxKeep", &kInt}, {"s3", &kS3}}};
const Shape kMeta{Shape::Struct,
                  {{"accentColor", &kString},
                   {"appName", &kString},
                   {"appURL", &kString},
                   {"senderName", &kString},
                   {"senderAddress", &kString},
                   {"hideControls", &kBool}}};
const Shape kRule{Shape::Struct,
                  {{"label", &kString}, {"audience", &kString}, {"duration", &kInt}, {"maxRequests", &kInt}}};
const Shape kRules{Shape::StructList, kRule.members};  // the element's members
const Shape kRateLimits{Shape::Struct, {{"rules", &kRules}, {"excludedIPs", &kStrings}, {"enabled", &kBool}}};
const Shape kTrustedProxy{Shape::Struct, {{"headers", &kStrings}, {"useLeftmostIP", &kBool}}};
const Shape kBatch{Shape::Struct,
                   {{"enabled", &kBool}, {"maxRequests", &kInt}, {"timeout", &kInt}, {"maxBodySize", &kInt}}};
const Shape kLogs{Shape::Struct,
                  {{"maxDays", &kInt}, {"minLevel", &kInt}, {"logIP", &kBool}, {"logAuthId", &kBool}}};
const Shape kSettings{Shape::Struct,
                      {{"superuserIPs", &kStrings},
                       {"smtp", &kSmtp},
                       {"backups", &kBackups},
                       {"s3", &kS3},
                       {"meta", &kMeta},
                       {"rateLimits", &kRateLimits},
                       {"trustedProxy", &kTrustedProxy},
                       {"batch", &kBatch},
                       {"logs", &kLogs}}};

json::Value zero(const Shape& s);

json::Value zero_struct(const Shape& s) {
  json::Object o;
  for (size_t i = 0; i < s.members.size(); ++i) o.set(std::string(s.members[i].first), zero(*s.members[i].second));
  return json::Value(std::move(o));
}

json::Value zero(const Shape& s) {
  switch (s.kind) {
    case Shape::Bool: return false;
    case Shape::Int: return 0;
    case Shape::String: return "";
    case Shape::StringList:
    case Shape::StructList: return json::Value::array();
    case Shape::Struct: return zero_struct(s);
  }
  return {};
}

// Go's int fields: the JSON number must be an integer that fits in int64.
bool is_go_int(double d) { return std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.2e18; }

bool decode(const Shape& s, json::Value& target, const json::Value& in);

// The element shape of a list (a struct for StructList).
Shape element_of(const Shape& list) {
  return list.kind == Shape::StringList ? kString : Shape{Shape::Struct, list.members};
}

bool decode_struct(const Shape& s, json::Value& target, const json::Value& in) {
  if (!target.is_object()) target = zero_struct(s);
  bool ok = true;
  for (const auto& [key, value] : in.as_object()) {
    // Exact name first, then Go's case-insensitive match.
    size_t found = s.members.size();
    for (size_t i = 0; i < s.members.size() && found == s.members.size(); ++i)
      if (s.members[i].first == key) found = i;
    for (size_t i = 0; i < s.members.size() && found == s.members.size(); ++i)
      if (http::iequals(s.members[i].first, key)) found = i;
    if (found == s.members.size()) continue;  // unknown members are ignored
    json::Value& slot = target[s.members[found].first];
    ok = decode(*s.members[found].second, slot, value) && ok;
  }
  return ok;
}

bool decode(const Shape& s, json::Value& target, const json::Value& in) {
  if (in.is_null()) {
    // null empties a slice and leaves everything else alone.
    if (s.kind == Shape::StringList || s.kind == Shape::StructList) target = json::Value::array();
    return true;
  }
  switch (s.kind) {
    case Shape::Bool:
      if (!in.is_bool()) return false;
      target = in;
      return true;
    case Shape::Int:
      if (!in.is_number() || !is_go_int(in.as_number())) return false;
      target = in;
      return true;
    case Shape::String:
      if (!in.is_string()) return false;
      target = in;
      return true;
    case Shape::Struct:
      if (!in.is_object()) return false;
      return decode_struct(s, target, in);
    case Shape::StringList:
    case Shape::StructList: {
      if (!in.is_array()) return false;
      const Shape elem = element_of(s);
      json::Array old = target.is_array() ? std::move(target.as_array()) : json::Array{};
      json::Array out;
      bool ok = true;
      for (size_t i = 0; i < in.as_array().size(); ++i) {
        // Go decodes into the existing element when there is one.
        json::Value item = i < old.size() ? std::move(old[i]) : zero(elem);
        ok = decode(elem, item, in.as_array()[i]) && ok;
        out.push_back(std::move(item));
      }
      target = json::Value(std::move(out));
      return ok;
    }
  }
  return false;
}

void drop_empty(json::Value& obj, std::string_view key) {
  if (const json::Value* v = obj.find(key); v && v->is_string() && v->as_string().empty()) obj.as_object().erase(key);
}

}  // namespace

json::Value defaults() {
  json::Value v = zero(kSettings);
  json::Value& smtp = v["smtp"];
  smtp["host"] = "smtp.example.com";
  smtp["port"] = 587;
  v["backups"]["cronMaxKeep"] = 3;
  json::Value& meta = v["meta"];
  meta["accentColor"] = "#1055c9";
  meta["appName"] = "Acme";
  meta["appURL"] = "http://localhost:8090";
  meta["senderName"] = "Support";
  meta["senderAddress"] = "support@example.com";
  json::Array rules;
  auto rule = [&](const char* label, int duration, int max) {
    rules.push_back(json::Value(json::Object{{"label", label}, {"audience", ""}, {"duration", duration}, {"maxRequests", max}}));
  };
  rule("*:auth", 3, 2);
  rule("*:create", 5, 20);
  rule("/api/batch", 1, 3);
  rule("/api/", 10, 300);
  v["rateLimits"]["rules"] = json::Value(std::move(rules));
  json::Value& batch = v["batch"];
  batch["maxRequests"] = 50;
  batch["timeout"] = 3;
  json::Value& logs = v["logs"];
  logs["maxDays"] = 5;
  logs["logIP"] = true;
  return v;
}

bool decode_into(json::Value& target, const json::Value& in) { return decode(kSettings, target, in); }

json::Value stored_form(const json::Value& settings) {
  json::Value out = settings;
  if (json::Value* s3 = out.find("s3")) drop_empty(*s3, "secret");
  if (json::Value* b = out.find("backups"))
    if (json::Value* s3 = b->find("s3")) drop_empty(*s3, "secret");
  return out;
}

json::Value public_form(const json::Value& settings) {
  json::Value out = settings;
  if (json::Value* smtp = out.find("smtp")) smtp->as_object().erase("password");
  if (json::Value* s3 = out.find("s3")) s3->as_object().erase("secret");
  if (json::Value* b = out.find("backups"))
    if (json::Value* s3 = b->find("s3")) s3->as_object().erase("secret");
  return out;
}

}  // namespace larder::settings
