// Field ⇄ JSON, key for key as PocketBase's field structs marshal (sorted, with "type").
#include <algorithm>

#include "core/schema/field.h"
#include "core/util/crc32.h"

namespace larder::schema {

namespace {

struct TypeName { FieldType type; std::string_view name; };
constexpr TypeName kTypeNames[] = {
    {FieldType::Text, "text"},         {FieldType::Editor, "editor"},     {FieldType::Number, "number"},
    {FieldType::Bool, "bool"},         {FieldType::Email, "email"},       {FieldType::Url, "url"},
    {FieldType::Date, "date"},         {FieldType::Autodate, "autodate"}, {FieldType::Select, "select"},
    {FieldType::File, "file"},         {FieldType::Relation, "relation"}, {FieldType::Json, "json"},
    {FieldType::Password, "password"}, {FieldType::GeoPoint, "geoPoint"},
};

json::Value string_list(const std::vector<std::string>& v) {
  json::Array a;
  a.reserve(v.size());
  for (const auto& s : v) a.emplace_back(s);
  return json::Value(std::move(a));
}

json::Value optional_list(const std::optional<std::vector<std::string>>& v) {
  return v ? string_list(*v) : json::Value();
}

// Readers: a missing key or null keeps the default; a wrong JSON type is an error (as Go's
// json.Unmarshal into a typed struct would fail).
class Reader {
 public:
  explicit Reader(const json::Value& obj) : obj_(obj) {}
  std::string error;

  void str(std::string_view key, std::string& out) {
    const json::Value* v = obj_.find(key);
    if (!v || v->is_null()) return;
    if (!v->is_string()) return fail(key);
    out = v->as_string();
  }
  void boolean(std::string_view key, bool& out) {
    const json::Value* v = obj_.find(key);
    if (!v || v->is_null()) return;
    if (!v->is_bool()) return fail(key);
    out = v->as_bool();
  }
  template <class Int>
  void integer(std::string_view key, Int& out) {
    const json::Value* v = obj_.find(key);
    if (!v || v->is_null()) return;
    if (!v->is_number()) return fail(key);
    double d = v->as_number();
    if (d != static_cast<double>(static_cast<int64_t>(d)) || d > 9.2e18 || d < -9.2e18) return fail(key);
    out = static_cast<Int>(d);
  }
  void optional_number(std::string_view key, std::optional<double>& out) {
    const json::Value* v = obj_.find(key);
    if (!v || v->is_null()) return;
    if (!v->is_number()) return fail(key);
    out = v->as_number();
  }
  void list(std::string_view key, std::vector<std::string>& out) {
    std::optional<std::vector<std::string>> tmp;
    optional_list(key, tmp);
    if (tmp) out = std::move(*tmp);
  }
  void optional_list(std::string_view key, std::optional<std::vector<std::string>>& out) {
    const json::Value* v = obj_.find(key);
    if (!v || v->is_null()) return;
    if (!v->is_array()) return fail(key);
    std::vector<std::string> items;
    for (const auto& e : v->as_array()) {
      if (!e.is_string()) return fail(key);
      items.push_back(e.as_string());
    }
    out = std::move(items);
  }

 private:
  const json::Value& obj_;
  void fail(std::string_view key) {
    if (error.empty()) error = "invalid value for field option \"" + std::string(key) + "\"";
  }
};

}  // namespace

std::optional<FieldType> field_type_from_name(std::string_view name) {
  for (const auto& t : kTypeNames)
    if (t.name == name) return t.type;
  return std::nullopt;
}

std::string_view field_type_name(FieldType type) {
  for (const auto& t : kTypeNames)
    if (t.type == type) return t.name;
  return "text";
}

int64_t Field::effective_max_size() const {
  if (max_size > 0) return max_size;
  switch (type) {
    case FieldType::Editor: return kDefaultEditorMaxSize;
    case FieldType::File: return kDefaultFileMaxSize;
    case FieldType::Json: return kDefaultJsonMaxSize;
    default: return 0;
  }
}

std::string default_field_id(FieldType type, std::string_view name) {
  return std::string(field_type_name(type)) + std::to_string(util::crc32_ieee(name));
}

json::Value field_to_json(const Field& f) {
  json::Object o;
  o.set("hidden", f.hidden);
  o.set("id", f.id);
  o.set("name", f.name);
  o.set("presentable", f.presentable);
  o.set("system", f.system);
  o.set("type", std::string(field_type_name(f.type)));
  if (f.type != FieldType::Autodate) o.set("help", f.help);
  if (f.type != FieldType::Autodate) o.set("required", f.required);
  switch (f.type) {
    case FieldType::Text:
      o.set("min", f.min);
      o.set("max", f.max);
      o.set("pattern", f.pattern);
      o.set("autogeneratePattern", f.autogenerate_pattern);
      o.set("primaryKey", f.primary_key);
      break;
    case FieldType::Editor:
      o.set("maxSize", static_cast<double>(f.max_size));
      o.set("convertURLs", f.convert_urls);
      break;
    case FieldType::Number:
      o.set("min", f.num_min ? json::Value(*f.num_min) : json::Value());
      o.set("max", f.num_max ? json::Value(*f.num_max) : json::Value());
      o.set("onlyInt", f.only_int);
      break;
    case FieldType::Bool:
    case FieldType::GeoPoint:
      break;
    case FieldType::Email:
    case FieldType::Url:
      o.set("exceptDomains", optional_list(f.except_domains));
      o.set("onlyDomains", optional_list(f.only_domains));
      break;
    case FieldType::Date:
      o.set("min", f.date_min);
      o.set("max", f.date_max);
      break;
    case FieldType::Autodate:
      o.set("onCreate", f.on_create);
      o.set("onUpdate", f.on_update);
      break;
    case FieldType::Select:
      o.set("values", string_list(f.values));
      o.set("maxSelect", f.max_select);
      break;
    case FieldType::File:
      o.set("maxSize", static_cast<double>(f.max_size));
      o.set("maxSelect", f.max_select);
      o.set("mimeTypes", optional_list(f.mime_types));
      o.set("thumbs", optional_list(f.thumbs));
      o.set("protected", f.protected_);
      break;
    case FieldType::Relation:
      o.set("collectionId", f.collection_id);
      o.set("cascadeDelete", f.cascade_delete);
      o.set("minSelect", f.min_select);
      o.set("maxSelect", f.max_select);
      break;
    case FieldType::Json:
      o.set("maxSize", static_cast<double>(f.max_size));
      break;
    case FieldType::Password:
      o.set("pattern", f.pattern);
      o.set("min", f.min);
      o.set("max", f.max);
      o.set("cost", f.cost);
      break;
  }
  o.sort_keys();
  return json::Value(std::move(o));
}

std::optional<Field> field_from_json(const json::Value& v, std::string* error) {
  auto fail = [&](std::string msg) -> std::optional<Field> {
    if (error) *error = std::move(msg);
    return std::nullopt;
  };
  if (!v.is_object()) return fail("a field must be an object");
  const json::Value* t = v.find("type");
  if (!t || !t->is_string()) return fail("missing or unknown field type");
  auto type = field_type_from_name(t->as_string());
  if (!type) return fail("missing or unknown field type");

  Field f;
  f.type = *type;
  Reader r(v);
  r.str("id", f.id);
  r.str("name", f.name);
  r.boolean("system", f.system);
  r.boolean("hidden", f.hidden);
  r.boolean("presentable", f.presentable);
  r.str("help", f.help);
  r.boolean("required", f.required);
  switch (f.type) {
    case FieldType::Text:
      r.integer("min", f.min);
      r.integer("max", f.max);
      r.str("pattern", f.pattern);
      r.str("autogeneratePattern", f.autogenerate_pattern);
      r.boolean("primaryKey", f.primary_key);
      break;
    case FieldType::Editor:
      r.integer("maxSize", f.max_size);
      r.boolean("convertURLs", f.convert_urls);
      break;
    case FieldType::Number:
      r.optional_number("min", f.num_min);
      r.optional_number("max", f.num_max);
      r.boolean("onlyInt", f.only_int);
      break;
    case FieldType::Bool:
    case FieldType::GeoPoint:
      break;
    case FieldType::Email:
    case FieldType::Url:
      r.optional_list("exceptDomains", f.except_domains);
      r.optional_list("onlyDomains", f.only_domains);
      break;
    case FieldType::Date:
      r.str("min", f.date_min);
      r.str("max", f.date_max);
      break;
    case FieldType::Autodate:
      r.boolean("onCreate", f.on_create);
      r.boolean("onUpdate", f.on_update);
      f.help.clear();
      f.required = false;
      break;
    case FieldType::Select:
      r.list("values", f.values);
      r.integer("maxSelect", f.max_select);
      break;
    case FieldType::File:
      r.integer("maxSize", f.max_size);
      r.integer("maxSelect", f.max_select);
      r.optional_list("mimeTypes", f.mime_types);
      r.optional_list("thumbs", f.thumbs);
      r.boolean("protected", f.protected_);
      break;
    case FieldType::Relation:
      r.str("collectionId", f.collection_id);
      r.boolean("cascadeDelete", f.cascade_delete);
      r.integer("minSelect", f.min_select);
      r.integer("maxSelect", f.max_select);
      break;
    case FieldType::Json:
      r.integer("maxSize", f.max_size);
      break;
    case FieldType::Password:
      r.str("pattern", f.pattern);
      r.integer("min", f.min);
      r.integer("max", f.max);
      r.integer("cost", f.cost);
      break;
  }
  if (!r.error.empty()) return fail(r.error);
  return f;
}

}  // namespace larder::schema
