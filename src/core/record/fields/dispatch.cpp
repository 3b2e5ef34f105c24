// The public face of record/fields.h: key modifiers, and routing every operation to the type
// family that owns it (text.cpp, number.cpp, ...). Which modifiers a type accepts is decided
// here, once, mirroring which FindSetter keys each PocketBase field answers to.
#include "core/record/fields.h"

#include "core/record/fields/common.h"

namespace larder::record {

using schema::FieldType;
using fields::Mod;

json::Value FieldError::to_json() const {
  json::Object o;
  o.set("code", code);
  o.set("message", message);
  // PocketBase renders params from a Go map (sorted keys) and drops empty ones.
  if (params.is_object() && !params.as_object().empty()) {
    json::Value p = params;
    p.as_object().sort_keys();
    o.set("params", std::move(p));
  }
  return json::Value(std::move(o));
}

KeyModifier split_key(std::string_view key) {
  constexpr std::string_view kAuto = ":autogenerate";
  if (key.size() >= kAuto.size() && key.substr(key.size() - kAuto.size()) == kAuto)
    return {std::string(key.substr(0, key.size() - kAuto.size())), std::string(kAuto)};
  if (!key.empty() && key.front() == '+') return {std::string(key.substr(1)), "^"};
  if (!key.empty() && (key.back() == '+' || key.back() == '-'))
    return {std::string(key.substr(0, key.size() - 1)), std::string(1, key.back())};
  return {std::string(key), ""};
}

namespace {

std::optional<Mod> parse_mod(std::string_view m) {
  if (m.empty()) return Mod::Set;
  if (m == "+") return Mod::Append;
  if (m == "^") return Mod::Prepend;
  if (m == "-") return Mod::Subtract;
  if (m == ":autogenerate") return Mod::Autogenerate;
  return std::nullopt;
}

bool supports(FieldType t, Mod m) {
  switch (m) {
    case Mod::Set: return true;
    case Mod::Append:
    case Mod::Subtract:
      return t == FieldType::Number || t == FieldType::Select || t == FieldType::Relation || t == FieldType::File;
    case Mod::Prepend: return t == FieldType::Select || t == FieldType::Relation || t == FieldType::File;
    case Mod::Autogenerate: return t == FieldType::Text;
  }
  return false;
}

// The normalised value for `raw` set on `f` whose value is `current` (plain set: no current).
json::Value apply_value(const schema::Field& f, const json::Value& current, const json::Value& raw, Mod mod) {
  switch (f.type) {
    case FieldType::Text: return fields::text_apply(f, raw, mod);
    case FieldType::Editor:
    case FieldType::Email:
    case FieldType::Url:
    case FieldType::Password:  // as a stored value: the hash, taken as is
      return fields::to_string(raw);
    case FieldType::Number: return fields::number_apply(current, raw, mod);
    case FieldType::Bool: return fields::to_bool(raw);
    case FieldType::Date:
    case FieldType::Autodate:
      return fields::date_prepare(raw);
    case FieldType::Select:
    case FieldType::Relation:
      return fields::string_list_apply(f, current, raw, mod);
    case FieldType::File: return fields::file_apply(f, current, raw, mod);
    case FieldType::Json: return fields::json_prepare(raw);
    case FieldType::GeoPoint: return fields::geo_point_prepare(raw);
  }
  return json::Value();
}

}  // namespace

json::Value prepare_value(const schema::Field& f, const json::Value& raw) {
  return apply_value(f, json::Value(), raw, Mod::Set);
}

const schema::Field* apply_key(Draft& d, std::string_view key, const json::Value& raw) {
  if (!d.record.collection) return nullptr;
  KeyModifier km = split_key(key);
  auto mod = parse_mod(km.modifier);
  const schema::Field* f = d.record.collection->field(km.field);
  if (!f || !mod || !supports(f->type, *mod)) return nullptr;
  switch (f->type) {
    case FieldType::Autodate:
      break;  // server-managed: the key is recognised but the value is ignored
    case FieldType::Password:
      fields::password_apply(*f, d, raw);
      break;
    default: {
      const json::Value* cur = d.record.values.find(f->name);
      json::Value next = apply_value(*f, cur ? *cur : json::Value(), raw, *mod);
      d.record.values.set(f->name, std::move(next));
    }
  }
  return f;
}

std::optional<FieldError> validate_field(const schema::Field& f, const Draft& d, const ValidateContext& ctx) {
  switch (f.type) {
    case FieldType::Text: return fields::validate_text(f, d, ctx);
    case FieldType::Editor: return fields::validate_editor(f, d);
    case FieldType::Number: return fields::validate_number(f, d);
    case FieldType::Bool: return fields::validate_bool(f, d);
    case FieldType::Email: return fields::validate_email(f, d);
    case FieldType::Url: return fields::validate_url(f, d);
    case FieldType::Date: return fields::validate_date(f, d);
    case FieldType::Autodate: return std::nullopt;
    case FieldType::Select: return fields::validate_select(f, d);
    case FieldType::Relation: return fields::validate_relation(f, d, ctx);
    case FieldType::File: return fields::validate_file(f, d);
    case FieldType::Json: return fields::validate_json(f, d);
    case FieldType::Password: return fields::validate_password(f, d);
    case FieldType::GeoPoint: return fields::validate_geo_point(f, d);
  }
  return std::nullopt;
}

void fill_autogenerated(Draft& d) {
  if (!d.is_new() || !d.record.collection) return;
  for (const auto& f : d.record.collection->fields)
    if (f.type == FieldType::Text) fields::autogenerate_text(f, d);
}

void before_save(Draft& d, const std::string& now) {
  if (!d.record.collection) return;
  for (const auto& f : d.record.collection->fields) {
    if (f.type == FieldType::Autodate) fields::touch_autodate(f, d, now);
    else if (f.type == FieldType::Password) fields::hash_password(f, d);
  }
}

}  // namespace larder::record
