// Collection normalisation and validation (see collection_validate.h). Error codes and messages
// are PocketBase's (core/collection_validate.go, core/field_*.go, ozzo-validation's rules);
// messages are kept in Go's raw form and sentenized when rendered.
#include "core/schema/collection_validate.h"

#include <algorithm>
#include <functional>
#include <set>

#include "core/crypto/random.h"
#include "core/db/index_def.h"
#include "core/http/headers.h"
#include "core/query/record_query.h"
#include "core/record/fields/common.h"
#include "core/schema/defaults.h"
#include "core/schema/view_fields.h"
#include "core/util/regex.h"
#include "core/util/regex_random.h"

namespace larder::schema {

// ---- ValidationErrors -------------------------------------------------------------------------

void ValidationErrors::add(std::string key, ValidationError e) {
  if (entries_.count(key)) return;
  entries_[std::move(key)].leaf = std::move(e);
}

void ValidationErrors::add(std::string key, ValidationErrors nested) {
  if (nested.empty() || entries_.count(key)) return;
  entries_[std::move(key)].nested = std::make_shared<ValidationErrors>(std::move(nested));
}

void ValidationErrors::merge(const ValidationErrors& other) {
  for (const auto& [k, v] : other.entries_)
    if (!entries_.count(k)) entries_[k] = v;
}

bool ValidationErrors::contains(std::string_view key) const { return entries_.count(std::string(key)) > 0; }

json::Value ValidationErrors::to_json() const {
  json::Object o;
  for (const auto& [k, v] : entries_) {
    if (v.nested) {
      o.set(k, v.nested->to_json());
      continue;
    }
    json::Object item{{"code", v.leaf->code}, {"message", record::fields::sentenize(v.leaf->message)}};
    if (v.leaf->params.is_object() && !v.leaf->params.as_object().empty()) {
      json::Value params = v.leaf->params;
      params.as_object().sort_keys();
      item.set("params", std::move(params));
    }
    o.set(k, json::Value(std::move(item)));
  }
  return json::Value(std::move(o));
}

json::Value ValidationErrors::to_messages() const {
  json::Object o;
  for (const auto& [k, v] : entries_) o.set(k, v.nested ? v.nested->to_messages() : json::Value(v.leaf->message));
  return json::Value(std::move(o));
}

std::string ValidationErrors::to_string() const {
  std::string s;
  bool first = true;
  for (const auto& [k, v] : entries_) {
    if (!first) s += "; ";
    first = false;
    s += k + ": ";
    if (v.nested) {
      std::string inner = v.nested->to_string();
      s += "(" + inner + ")";
    } else {
      s += v.leaf->message;
    }
  }
  if (!s.empty()) s += ".";
  return s;
}

namespace {

using Err = std::optional<ValidationError>;
constexpr int64_t kMaxSafeJsonInt = (int64_t{1} << 53) - 1;

// ---- ozzo-validation's built-in rules (messages before Sentenize) ------------------------------

ValidationError make(std::string code, std::string message, json::Value params = {}) {
  return ValidationError{std::move(code), std::move(message), std::move(params)};
}
ValidationError required() { return make("validation_required", "cannot be blank"); }
ValidationError must_be_nil() { return make("validation_nil", "must be blank"); }
ValidationError must_be_empty() { return make("validation_empty", "must be blank"); }
ValidationError in_invalid() { return make("validation_in_invalid", "must be a valid value"); }
ValidationError not_in_invalid() { return make("validation_not_in_invalid", "must not be in list"); }
ValidationError match_invalid() { return make("validation_match_invalid", "must be in a valid format"); }

// validation.Length(min, max): byte length, empty values pass.
Err length(std::string_view v, int min, int max) {
  if (v.empty()) return std::nullopt;
  const auto l = static_cast<int64_t>(v.size());
  if (!((min > 0 && l < min) || (max > 0 && l > max) || (min == 0 && max == 0 && l > 0))) return std::nullopt;
  json::Value params(json::Object{{"min", min}, {"max", max}});
  const std::string smin = std::to_string(min), smax = std::to_string(max);
  if (min == 0 && max > 0) return make("validation_length_too_long", "the length must be no more than " + smax, params);
  if (min > 0 && max > 0) {
    if (min == max) return make("validation_length_invalid", "the length must be exactly " + smin, params);
    return make("validation_length_out_of_range", "the length must be between " + smin + " and " + smax, params);
  }
  if (min > 0) return make("validation_length_too_short", "the length must be no less than " + smin, params);
  return make("validation_length_empty_required", "the value must be empty", params);
}

// validation.Min / validation.Max on integers: zero values pass.
Err min_int(int64_t v, int64_t threshold) {
  if (v == 0 || v >= threshold) return std::nullopt;
  return make("validation_min_greater_equal_than_required", "must be no less than " + std::to_string(threshold),
              json::Object{{"threshold", threshold}});
}
Err max_int(int64_t v, int64_t threshold) {
  if (v == 0 || v <= threshold) return std::nullopt;
  return make("validation_max_less_equal_than_required", "must be no greater than " + std::to_string(threshold),
              json::Object{{"threshold", threshold}});
}

// The first failing check of a list (a validator stops at its first error).
Err first(std::initializer_list<std::function<Err()>> checks) {
  for (const auto& c : checks)
    if (Err e = c()) return e;
  return std::nullopt;
}

bool is_word(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Err check_for_via(std::string_view v) {
  if (lower(v).find("_via_") != std::string::npos)
    return make("validation_found_via", "The value cannot contain \"_via_\".");
  return std::nullopt;
}

Err is_regex(std::string_view pattern) {
  if (pattern.empty()) return std::nullopt;
  std::string error;
  if (!util::Regex::compile(pattern, &error)) return make("validation_invalid_regex", error);
  return std::nullopt;
}

// ozzo's is.Domain.
bool is_domain(std::string_view v) {
  if (v.size() > 255) return false;
  static const std::optional<util::Regex> re = util::Regex::compile(
      "^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-z0-9])?\\.)+(?:[a-zA-Z]{1,63}| xn--[a-z0-9]{1,59})$");
  return re && re->search(v);
}

// ---- field settings ---------------------------------------------------------------------------

const std::set<std::string>& reserved_field_names() {
  static const std::set<std::string> names = {"null",         "true",           "false", "_rowid_",
                                              "collectionId", "collectionName", "expand"};
  return names;
}

Err field_id_rule(const std::string& id) {
  if (id.empty()) return required();
  return length(id, 1, 100);
}

Err field_name_rule(const std::string& name) {
  if (name.empty()) return required();
  if (Err e = length(name, 1, 100)) return e;
  if (!is_word(name)) return match_invalid();
  if (reserved_field_names().count(name)) return not_in_invalid();
  return check_for_via(name);
}

Err help_rule(const std::string& help) { return length(help, 1, 300); }

// Each(rule) over a list: errors keyed by index.
ValidationErrors each(const std::vector<std::string>& items, const std::function<Err(const std::string&)>& rule) {
  ValidationErrors out;
  for (size_t i = 0; i < items.size(); ++i)
    if (Err e = rule(items[i])) out.add(std::to_string(i), *e);
  return out;
}

std::string go_float(double d) { return record::fields::format_v(d); }

void text_settings(ValidationErrors& errs, const Collection& c, const Field& f) {
  auto set = [&](const char* key, Err e) {
    if (e) errs.add(key, *e);
  };
  if (f.primary_key && f.name != "id") {
    errs.add("name", make("validation_in_invalid", "The primary key must be named \"id\"."));
  }
  if (f.primary_key) {
    int pks = 0;
    for (const Field& other : c.fields) {
      if (other.type == FieldType::Text && other.primary_key) ++pks;
      if (pks > 1) {
        errs.add("primaryKey", make("validation_unsupported_composite_pk",
                                    "Composite PKs are not supported and the collection must have only 1 PK."));
        break;
      }
    }
  }
  set("min", first({[&] { return min_int(f.min, 0); }, [&] { return max_int(f.min, kMaxSafeJsonInt); }}));
  set("max", first({[&] { return min_int(f.max, f.min); }, [&] { return max_int(f.max, kMaxSafeJsonInt); }}));
  set("pattern", first({[&]() -> Err {
                          if (f.primary_key && f.pattern.empty()) return required();
                          return std::nullopt;
                        },
                        [&] { return is_regex(f.pattern); }}));
  if (f.primary_key && f.hidden) errs.add("hidden", must_be_empty());
  if (f.primary_key && !f.required) errs.add("required", required());
  set("autogeneratePattern", first({[&] { return is_regex(f.autogenerate_pattern); },
                                    [&]() -> Err {
                                      if (f.autogenerate_pattern.empty()) return std::nullopt;
                                      // Values the pattern produces must pass the field's own checks.
                                      for (int i = 0; i < 10; ++i) {
                                        std::string error;
                                        auto v = util::random_string_from_regex(f.autogenerate_pattern, &error);
                                        if (!v) return make("validation_invalid_autogenerate_pattern", error);
                                        if (record::fields::validate_text_plain(f, *v))
                                          return make("validation_invalid_autogenerate_pattern_value",
                                                      "The provided autogenerate pattern could produce invalid field "
                                                      "values, ex.: " +
                                                          record::fields::go_quote(*v));
                                      }
                                      return std::nullopt;
                                    }}));
}

void number_settings(ValidationErrors& errs, const Field& f) {
  auto only_int = [&](const std::optional<double>& v) -> Err {
    if (!v || !f.only_int) return std::nullopt;
    if (*v != static_cast<double>(static_cast<int64_t>(*v)))
      return make("validation_only_int_constraint", "Decimal numbers are not allowed");
    return std::nullopt;
  };
  if (Err e = only_int(f.num_min)) errs.add("min", *e);
  Err max_err = only_int(f.num_max);
  if (!max_err && f.num_min && f.num_max && *f.num_max < *f.num_min)
    max_err = make("validation_min_number_constraint", "Must be greater or equal than " + go_float(*f.num_min),
                   json::Object{{"min", *f.num_min}});
  if (max_err) errs.add("max", *max_err);
}

void domains_settings(ValidationErrors& errs, const Field& f) {
  const bool has_only = f.only_domains && !f.only_domains->empty();
  const bool has_except = f.except_domains && !f.except_domains->empty();
  auto domain = [](const std::string& d) -> Err {
    if (d.empty() || is_domain(d)) return std::nullopt;
    return make("validation_is_domain", "must be a valid domain");
  };
  if (has_except) {
    if (has_only) errs.add("exceptDomains", must_be_empty());
    else errs.add("exceptDomains", each(*f.except_domains, domain));
  }
  if (has_only) {
    if (has_except) errs.add("onlyDomains", must_be_empty());
    else errs.add("onlyDomains", each(*f.only_domains, domain));
  }
}

void relation_settings(ValidationErrors& errs, const Schema& schema, const Collection& c, const Collection* original,
                       const Field& f) {
  Err e = first({[&]() -> Err {
                   if (f.collection_id.empty()) return required();
                   return std::nullopt;
                 },
                 [&]() -> Err {
                   if (original) {
                     const Field* old = original->field_by_id(f.id);
                     if (old && old->type == FieldType::Relation && old->collection_id != f.collection_id)
                       return make("validation_field_relation_change", "The relation collection cannot be changed.");
                   }
                   const Collection* rel = schema.find(f.collection_id);
                   if (!rel || rel->id != f.collection_id)
                     return make("validation_field_relation_missing_collection",
                                 "The relation collection doesn't exist.");
                   if (!c.is_view() && rel->is_view())
                     return make("validation_relation_field_non_view_base_collection",
                                 "Only view collections are allowed to have relations to other views.");
                   return std::nullopt;
                 }});
  if (e) errs.add("collectionId", *e);
  if (Err m = min_int(f.min_select, 0)) errs.add("minSelect", *m);
  Err max_err;
  if (f.min_select > 0 && f.max_select == 0) max_err = required();
  else max_err = min_int(f.max_select, f.min_select);
  if (max_err) errs.add("maxSelect", *max_err);
}

void autodate_settings(ValidationErrors& errs, const Collection* original, const Field& f) {
  bool old_create = f.on_create, old_update = f.on_update;
  if (original)
    if (const Field* old = original->field_by_id(f.id); old && old->type == FieldType::Autodate) {
      old_create = old->on_create;
      old_update = old->on_update;
    }
  const ValidationError neither = make("validation_required", "either onCreate or onUpdate must be enabled");
  auto check = [&](bool value, bool old, bool other) -> Err {
    if (f.system && value != old) return make("validation_values_mismatch", "Values don't match.");
    if (!other && !value) return neither;
    return std::nullopt;
  };
  if (Err e = check(f.on_create, old_create, f.on_update)) errs.add("onCreate", *e);
  if (Err e = check(f.on_update, old_update, f.on_create)) errs.add("onUpdate", *e);
}

void file_settings(ValidationErrors& errs, const Field& f) {
  if (Err e = first({[&] { return min_int(f.max_select, 0); }, [&] { return max_int(f.max_select, kMaxSafeJsonInt); }}))
    errs.add("maxSelect", *e);
  if (Err e = first({[&] { return min_int(f.max_size, 0); }, [&] { return max_int(f.max_size, kMaxSafeJsonInt); }}))
    errs.add("maxSize", *e);
  if (f.thumbs) {
    static const std::optional<util::Regex> thumb = util::Regex::compile("^(\\d+)x(\\d+)(t|b|f)?$");
    errs.add("thumbs", each(*f.thumbs, [](const std::string& t) -> Err {
               if (t.empty()) return std::nullopt;
               if (t == "0x0" || t == "0x0t" || t == "0x0b" || t == "0x0f") return not_in_invalid();
               if (!thumb || !thumb->search(t)) return match_invalid();
               return std::nullopt;
             }));
  }
}

void max_size_settings(ValidationErrors& errs, const Field& f) {
  if (Err e = first({[&] { return min_int(f.max_size, 0); }, [&] { return max_int(f.max_size, kMaxSafeJsonInt); }}))
    errs.add("maxSize", *e);
}

// ---- collection rules -------------------------------------------------------------------------

// Everything a rule check needs: the collections with `c` in place of its stored version.
class RuleChecker {
 public:
  RuleChecker(const Schema& schema, const Collection& c) {
    std::vector<Collection> all;
    bool replaced = false;
    for (const auto& other : schema.all()) {
      if (other->id == c.id && !replaced) {
        all.push_back(c);
        replaced = true;
      } else {
        all.push_back(*other);
      }
    }
    if (!replaced) all.push_back(c);
    schema_ = Schema::from(std::move(all));
    collection_ = schema_->by_id(c.id);
  }

  Err check(const std::optional<std::string>& rule) const {
    if (!rule || rule->empty() || !collection_) return std::nullopt;
    try {
      query::RequestInfo info;
      query::RecordQuery q(*schema_, *collection_, info);
      q.where(*rule);
    } catch (const std::exception& e) {
      return make("validation_invalid_rule", std::string("Invalid rule. Raw error: ") + e.what());
    }
    return std::nullopt;
  }

 private:
  std::shared_ptr<const Schema> schema_;
  const Collection* collection_ = nullptr;
};

Err system_rule_change(const Collection* original, const std::optional<std::string>& rule,
                       const std::optional<std::string>& old_rule) {
  if (!original || !original->system) return std::nullopt;
  if (rule == old_rule) return std::nullopt;
  return make("validation_collection_system_rule_change", "System collection API rule cannot be changed.");
}

// ---- fields list ------------------------------------------------------------------------------

struct Outcome {
  Err leaf;
  ValidationErrors nested;
  bool failed() const { return leaf.has_value() || !nested.empty(); }
};

Outcome check_field_duplicates(const std::vector<Field>& fields) {
  Outcome out;
  std::vector<std::string> ids, names;
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& f = fields[i];
    if (std::find(ids.begin(), ids.end(), f.id) != ids.end()) {
      ValidationErrors inner;
      inner.add("id", make("validation_duplicated_field_id", "Duplicated or invalid field id \"" + f.id + "\""));
      out.nested.add(std::to_string(i), std::move(inner));
      return out;
    }
    std::string name = lower(f.name);
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      ValidationErrors inner;
      inner.add("name", make("validation_duplicated_field_name", "Duplicated or invalid field name " + f.name,
                             json::Object{{"fieldName", f.name}}));
      out.nested.add(std::to_string(i), std::move(inner));
      return out;
    }
    ids.push_back(f.id);
    names.push_back(std::move(name));
  }
  return out;
}

const Field* field_of_type(const std::vector<Field>& fields, std::string_view name, FieldType type) {
  for (const Field& f : fields)
    if (f.name == name) return f.type == type ? &f : nullptr;
  return nullptr;
}

Outcome check_min_fields(const Collection& c) {
  Outcome out;
  if (c.fields.empty()) {
    out.leaf = required();
    return out;
  }
  const Field* id = field_of_type(c.fields, "id", FieldType::Text);
  if (!id || !id->primary_key) {
    out.leaf = make("validation_missing_primary_key", "Missing or invalid \"id\" PK field.");
    return out;
  }
  if (!c.is_auth()) return out;
  struct Need {
    const char* name;
    FieldType type;
    const char* code;
    bool hidden;
  };
  const Need needs[] = {
      {"password", FieldType::Password, "validation_missing_password_field", true},
      {"tokenKey", FieldType::Text, "validation_missing_tokenKey_field", true},
      {"email", FieldType::Email, "validation_missing_email_field", false},
      {"emailVisibility", FieldType::Bool, "validation_missing_emailVisibility_field", false},
      {"verified", FieldType::Bool, "validation_missing_verified_field", false},
  };
  for (const Need& n : needs) {
    const Field* f = field_of_type(c.fields, n.name, n.type);
    if (!f) {
      out.leaf = make(n.code, std::string("System \"") + n.name + "\" field is required.");
      return out;
    }
    if (n.hidden && (!f->hidden || !f->system)) {
      out.nested.add(n.name, make("validation_must_be_system_and_hidden",
                                  "The field must be marked as \"System\" and \"Hidden\"."));
      return out;
    }
    if (!n.hidden && !f->system) {
      out.nested.add(n.name, make("validation_must_be_system", "The field must be marked as \"System\"."));
      return out;
    }
  }
  return out;
}

Outcome check_fields(const Schema& schema, const Collection& c, const Collection* original) {
  Outcome out = check_field_duplicates(c.fields);
  if (out.failed()) return out;
  out = check_min_fields(c);
  if (out.failed()) return out;
  if (!c.is_view() && original) {
    for (const Field& old : original->fields) {
      if (!old.system) continue;
      const Field* now = c.field_by_id(old.id);
      if (!now || now->name != old.name) {
        out.leaf = make("validation_system_field_change", "System fields cannot be deleted or renamed.");
        return out;
      }
    }
    for (size_t i = 0; i < c.fields.size(); ++i) {
      const Field* old = original->field_by_id(c.fields[i].id);
      if (old && old->type != c.fields[i].type)
        out.nested.add(std::to_string(i), make("validation_field_type_change", "Field type cannot be changed."));
    }
    if (out.failed()) return out;
  }
  if (c.is_auth()) {
    for (size_t i = 0; i < c.fields.size(); ++i) {
      const std::string& n = c.fields[i].name;
      if (n == "passwordConfirm" || n == "oldPassword") {
        ValidationErrors inner;
        inner.add("name", make("validation_reserved_field_name", "The field name is reserved and cannot be used."));
        out.nested.add(std::to_string(i), std::move(inner));
      }
    }
    if (out.failed()) return out;
  }
  for (size_t i = 0; i < c.fields.size(); ++i)
    out.nested.add(std::to_string(i), validate_field_settings(schema, c, original, c.fields[i]));
  return out;
}

// ---- indexes ----------------------------------------------------------------------------------

std::string rebuild_for_compare(db::IndexDef idx, bool strip_collate_sort) {
  if (strip_collate_sort)
    for (auto& col : idx.columns) {
      col.collate.clear();
      col.sort.clear();
    }
  return idx.build();
}

Err check_indexes(db::Connection& conn, const Collection& c, const Collection* original, ValidationErrors& nested) {
  if (c.is_view() && !c.indexes.empty())
    return make("validation_indexes_not_supported", "View collections don't support indexes.");
  std::set<std::string> names, definitions;
  const std::string old_name = original ? original->name : std::string();
  for (size_t i = 0; i < c.indexes.size(); ++i) {
    const std::string key = std::to_string(i);
    db::IndexDef parsed = db::parse_index(c.indexes[i]);
    parsed.table = "validator";
    if (!parsed.valid()) {
      nested.add(key, make("validation_invalid_index_expression", "Invalid CREATE INDEX expression."));
      return std::nullopt;
    }
    if (!names.insert(lower(parsed.name)).second) {
      nested.add(key, make("validation_duplicated_index_name", "The index name already exists."));
      return std::nullopt;
    }
    auto st = conn.prepare(
        "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND LOWER(tbl_name) != LOWER(?) "
        "AND LOWER(tbl_name) != LOWER(?) AND LOWER(name) = LOWER(?) LIMIT 1");
    st.bind(1, old_name).bind(2, c.name).bind(3, parsed.name);
    if (st.step()) {
      std::string used = st.get_text(0);
      nested.add(key, make("validation_existing_index_name", "The index name is already used in " + used + " collection.",
                           json::Object{{"usedTableName", used}}));
      return std::nullopt;
    }
    parsed.schema_name = "validator";
    parsed.name = "validator";
    if (!definitions.insert(parsed.build()).second) {
      nested.add(key, make("validation_duplicated_index_definition", "The index definition already exists."));
      return std::nullopt;
    }
  }

  // Unique indexes on system fields may not be dropped or changed.
  if (original) {
    for (const auto& old_raw : original->indexes) {
      db::IndexDef old_idx = db::parse_index(old_raw);
      if (!old_idx.unique) continue;
      const std::string old_str = rebuild_for_compare(old_idx, true);
      bool checked = false;
      for (const auto& col : old_idx.columns) {
        for (const Field& f : original->fields) {
          if (!f.system || !http::iequals(col.name, f.name)) continue;
          bool match = false;
          for (const auto& new_raw : c.indexes) {
            db::IndexDef n = db::parse_index(new_raw);
            n.schema_name = old_idx.schema_name;
            n.name = old_idx.name;
            n.table = old_idx.table;
            n.where = old_idx.where;
            if (rebuild_for_compare(n, true) == old_str) {
              match = true;
              break;
            }
          }
          if (!match)
            return make("validation_invalid_unique_system_field_index",
                        "Unique index definition on system fields (" + f.name + ") is invalid or missing.",
                        json::Object{{"fieldName", f.name}});
          checked = true;
          break;
        }
        if (checked) break;
      }
    }
  }

  if (c.is_auth()) {
    for (const char* name : {"tokenKey", "email"}) {
      if (!db::find_single_column_unique_index(c.indexes, name))
        return make("validation_missing_required_unique_index",
                    std::string("Missing required unique index for field \"") + name + "\".",
                    json::Object{{"fieldName", name}});
    }
  }
  return std::nullopt;
}

// ---- auth options -----------------------------------------------------------------------------

ValidationErrors template_errors(const EmailTemplate& t) {
  ValidationErrors e;
  if (t.subject.empty()) e.add("subject", required());
  if (t.body.empty()) e.add("body", required());
  return e;
}

ValidationErrors token_errors(const TokenConfig& t) {
  ValidationErrors e;
  if (Err s = t.secret.empty() ? Err(required()) : length(t.secret, 30, 255)) e.add("secret", *s);
  if (Err d = t.duration == 0 ? Err(required()) : first({[&] { return min_int(t.duration, 10); },
                                                         [&] { return max_int(t.duration, 94670856); }}))
    e.add("duration", *d);
  return e;
}

Err duration_rule(int64_t v) {
  if (v == 0) return required();
  return first({[&] { return min_int(v, 10); }, [&] { return max_int(v, 86400); }});
}

bool known_provider(std::string_view name) {
  for (const auto& p : oauth2_providers())
    if (p.name == name) return true;
  return false;
}

ValidationErrors provider_errors(const OAuth2Provider& p) {
  ValidationErrors e;
  if (p.name.empty()) e.add("name", required());
  else if (!known_provider(p.name))
    e.add("name", make("validation_missing_provider", "Invalid or missing provider with name " + p.name + ".",
                       json::Object{{"name", p.name}}));
  if (p.client_id.empty()) e.add("clientId", required());
  if (p.client_secret.empty()) e.add("clientSecret", required());
  auto url = [&](const char* key, const std::string& v) {
    if (!v.empty() && !record::fields::is_url_format(v)) e.add(key, make("validation_is_url", "must be a valid URL"));
  };
  url("authURL", p.auth_url);
  url("tokenURL", p.token_url);
  url("userInfoURL", p.user_info_url);
  return e;
}

Err unique_identity_fields(const Collection& c, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    if (!c.field(name))
      return make("validation_missing_field", "Invalid or missing field " + name, json::Object{{"fieldName", name}});
    if (!db::find_single_column_unique_index(c.indexes, name))
      return make("validation_missing_unique_constraint", "The field " + name + " doesn't have a UNIQUE constraint.",
                  json::Object{{"fieldName", name}});
  }
  return std::nullopt;
}

ValidationErrors auth_option_errors(const RuleChecker& rules, const Collection& c, const Collection* original) {
  const AuthOptions& o = c.auth;
  const AuthOptions* old = original ? &original->auth : nullptr;
  ValidationErrors e;

  if (Err x = first({[&] { return rules.check(o.auth_rule); },
                     [&] { return system_rule_change(original, o.auth_rule, old ? old->auth_rule : std::nullopt); }}))
    e.add("authRule", *x);
  if (Err x = first({[&]() -> Err {
                       if (o.manage_rule && o.manage_rule->empty())
                         return make("validation_nil_or_not_empty_required", "cannot be blank");
                       return std::nullopt;
                     },
                     [&] { return rules.check(o.manage_rule); },
                     [&] {
                       return system_rule_change(original, o.manage_rule, old ? old->manage_rule : std::nullopt);
                     }}))
    e.add("manageRule", *x);

  {
    ValidationErrors alert;
    alert.add("emailTemplate", template_errors(o.auth_alert_template));
    e.add("authAlert", std::move(alert));
  }
  std::vector<std::string> identity = record::fields::nonzero_uniques(o.identity_fields);
  if (o.password_enabled && identity.empty()) {
    ValidationErrors pa;
    pa.add("identityFields", required());
    e.add("passwordAuth", std::move(pa));
  }
  if (o.oauth2_enabled) {
    ValidationErrors providers;
    std::set<std::string> seen;
    for (size_t i = 0; i < o.oauth2_providers.size(); ++i) {
      const std::string& name = o.oauth2_providers[i].name;
      if (name.empty()) continue;
      if (!seen.insert(name).second) {
        ValidationErrors dup;
        dup.add("name", make("validation_duplicated_provider", "The provider " + name + " is already registered.",
                             json::Object{{"name", name}}));
        providers.add(std::to_string(i), std::move(dup));
        break;
      }
    }
    if (providers.empty())
      for (size_t i = 0; i < o.oauth2_providers.size(); ++i)
        providers.add(std::to_string(i), provider_errors(o.oauth2_providers[i]));
    ValidationErrors oauth2;
    oauth2.add("providers", std::move(providers));
    e.add("oauth2", std::move(oauth2));
  }
  {
    ValidationErrors otp;
    if (o.otp_enabled) {
      if (Err x = duration_rule(o.otp_duration)) otp.add("duration", *x);
      if (Err x = o.otp_length == 0 ? Err(required()) : min_int(o.otp_length, 4)) otp.add("length", *x);
    }
    otp.add("emailTemplate", template_errors(o.otp_template));
    e.add("otp", std::move(otp));
  }
  if (o.mfa_enabled) {
    ValidationErrors mfa;
    if (Err x = duration_rule(o.mfa_duration)) mfa.add("duration", *x);
    e.add("mfa", std::move(mfa));
  }
  e.add("authToken", token_errors(o.auth_token));
  e.add("passwordResetToken", token_errors(o.password_reset_token));
  e.add("emailChangeToken", token_errors(o.email_change_token));
  e.add("verificationToken", token_errors(o.verification_token));
  e.add("fileToken", token_errors(o.file_token));
  e.add("verificationTemplate", template_errors(o.verification_template));
  e.add("resetPasswordTemplate", template_errors(o.reset_password_template));
  e.add("confirmEmailChangeTemplate", template_errors(o.confirm_email_change_template));
  if (!e.empty()) return e;

  if (o.mfa_enabled) {
    int methods = (o.password_enabled ? 1 : 0) + (o.oauth2_enabled ? 1 : 0) + (o.otp_enabled ? 1 : 0);
    if (methods < 2) {
      ValidationErrors mfa;
      mfa.add("enabled", make("validation_mfa_not_enough_auths", "MFA requires at least 2 auth methods to be enabled."));
      e.add("mfa", std::move(mfa));
      return e;
    }
    if (!o.mfa_rule.empty()) {
      const std::optional<std::string> rule = o.mfa_rule;
      const std::optional<std::string> old_rule = old ? old->mfa_rule : std::string();
      if (Err x = first({[&] { return rules.check(rule); },
                         [&] { return system_rule_change(original, rule, old_rule); }})) {
        ValidationErrors mfa;
        mfa.add("rule", *x);
        e.add("mfa", std::move(mfa));
        return e;
      }
    }
  }
  if (o.password_enabled) {
    if (Err x = unique_identity_fields(c, o.identity_fields)) {
      ValidationErrors pa;
      pa.add("identityFields", *x);
      e.add("passwordAuth", std::move(pa));
    }
  }
  return e;
}

// ---- default fields ---------------------------------------------------------------------------

Field* typed_field(Collection& c, std::string_view name, FieldType type) {
  for (Field& f : c.fields)
    if (f.name == name) return f.type == type ? &f : nullptr;
  return nullptr;
}

std::string field_index_name(const Collection& c, std::string_view field) {
  std::string name = "idx_" + std::string(field) + "_";
  if (!c.id.empty()) name += c.id;
  else if (!c.name.empty()) name += c.name;
  else name += crypto::random_lower_alnum(10);
  if (name.size() > 64) name.resize(64);
  return name;
}

// PocketBase's initDefaultFields: the id field (prepended) and, for auth collections, the auth
// system fields (appended) and their unique indexes; flags of existing ones are enforced.
void init_default_fields(Collection& c) {
  if (c.is_view()) return;
  if (Field* id = typed_field(c, "id", FieldType::Text)) {
    id->system = true;
    id->required = true;
    id->primary_key = true;
    id->hidden = false;
    if (id->pattern.empty()) id->pattern = "^[a-z0-9]+$";
  } else {
    Field def = id_field();
    def.id.clear();
    std::vector<Field> list{def};
    list.insert(list.end(), c.fields.begin(), c.fields.end());
    c.fields = normalize_fields(std::move(list));
  }
  if (!c.is_auth()) return;

  for (Field def : auth_system_fields()) {
    Field* existing = typed_field(c, def.name, def.type);
    if (!existing) {
      def.id.clear();
      add_field(c.fields, std::move(def));
      continue;
    }
    existing->system = true;
    if (def.name == "password" || def.name == "tokenKey") {
      existing->hidden = true;
      existing->required = true;
    } else if (def.name == "email") {
      existing->hidden = false;  // the emailVisibility flag decides
    }
  }
  if (!db::find_single_column_unique_index(c.indexes, "tokenKey"))
    c.indexes.push_back("CREATE UNIQUE INDEX `" + field_index_name(c, "tokenKey") + "` ON `" + c.name + "` (`tokenKey`)");
  if (!db::find_single_column_unique_index(c.indexes, "email"))
    c.indexes.push_back("CREATE UNIQUE INDEX `" + field_index_name(c, "email") + "` ON `" + c.name +
                        "` (`email`) WHERE `email` != ''");
}

bool collection_id_exists(db::Connection& conn, std::string_view id) {
  auto st = conn.prepare("SELECT 1 FROM `_collections` WHERE id = ? LIMIT 1");
  st.bind(1, id);
  return st.step();
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  if (from.empty()) return s;
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

}  // namespace

// ---- public: normalisation --------------------------------------------------------------------

void add_field(std::vector<Field>& fields, Field f) {
  bool by_name = false;
  if (f.id.empty()) {
    by_name = true;
    const std::string base = default_field_id(f.type, f.name);
    std::string id = base;
    for (int i = 2; i < 1000; ++i) {
      bool taken = std::any_of(fields.begin(), fields.end(), [&](const Field& x) { return x.id == id; });
      if (!taken) break;
      id = base + std::to_string(i);
    }
    f.id = id;
  }
  for (Field& existing : fields) {
    if (by_name) {
      if (!f.name.empty() && existing.name == f.name) {
        f.id = existing.id;
        existing = std::move(f);
        return;
      }
    } else if (existing.id == f.id) {
      existing = std::move(f);
      return;
    }
  }
  fields.push_back(std::move(f));
}

std::vector<Field> normalize_fields(std::vector<Field> fields) {
  std::vector<Field> out;
  out.reserve(fields.size());
  for (Field& f : fields) add_field(out, std::move(f));
  return out;
}

Collection new_collection(CollectionType type, std::string name, std::string id) {
  Collection c;
  c.type = type;
  c.name = std::move(name);
  c.id = id.empty() ? default_collection_id(type, c.name) : std::move(id);
  init_default_fields(c);
  if (c.is_auth()) c.auth = default_auth_options();
  return c;
}

AuthOptions zero_auth_options() {
  AuthOptions a;
  a.auth_rule.reset();
  a.manage_rule.reset();
  a.auth_alert_enabled = false;
  a.password_enabled = false;
  a.identity_fields.clear();
  a.mfa_duration = 0;
  a.otp_duration = 0;
  a.otp_length = 0;
  for (TokenConfig* t : {&a.auth_token, &a.password_reset_token, &a.email_change_token, &a.verification_token,
                         &a.file_token})
    *t = TokenConfig{};
  return a;
}

void prepare_for_save(db::Connection& conn, Collection& c, bool is_new, bool auto_id, const std::string& now) {
  if (is_new) c.created = now;
  c.updated = now;
  // PocketBase's initDefaultId (before the default fields, whose index names use the id): a new
  // collection without an id gets the generated one.
  if (is_new && c.id.empty()) {
    c.id = default_collection_id(c.type, c.name);
    auto_id = true;
  }
  c.fields = normalize_fields(std::move(c.fields));
  init_default_fields(c);
  if (c.is_auth()) {
    for (std::string* mapped : {&c.auth.mapped_id, &c.auth.mapped_name, &c.auth.mapped_username,
                                &c.auth.mapped_avatar_url})
      if (!mapped->empty() && !c.field(*mapped)) mapped->clear();
  }
  // updateGeneratedIdIfExists: a generated id steps aside for existing ids. Only while it still is
  // the generated one: an id the client chose is kept and validated (validation_match_invalid,
  // validation_invalid_or_existing_id), never silently replaced.
  if (is_new && auto_id && c.id == default_collection_id(c.type, c.name)) {
    const std::string base = c.id;
    std::string id = base;
    for (int i = 2; i < 1000 && collection_id_exists(conn, id); ++i) id = base + std::to_string(i);
    if (id != c.id) {
      for (std::string& raw : c.indexes) {
        db::IndexDef parsed = db::parse_index(raw);
        std::string renamed = replace_all(parsed.name, c.id, id);
        if (renamed == parsed.name) continue;
        parsed.name = renamed;
        raw = parsed.build();
      }
      c.id = id;
    }
  }
  for (std::string& raw : c.indexes) {
    db::IndexDef parsed = db::parse_index(raw);
    if (parsed.table == c.name) continue;
    parsed.table = c.name;
    std::string normalized = parsed.build();
    if (!normalized.empty()) raw = std::move(normalized);
  }
}

// ---- public: validation -----------------------------------------------------------------------

ValidationErrors validate_field_settings(const Schema& schema, const Collection& c, const Collection* original,
                                         const Field& f) {
  ValidationErrors errs;
  if (Err e = field_id_rule(f.id)) errs.add("id", *e);
  if (Err e = field_name_rule(f.name)) errs.add("name", *e);
  if (f.type != FieldType::Autodate)
    if (Err e = help_rule(f.help)) errs.add("help", *e);
  switch (f.type) {
    case FieldType::Text: text_settings(errs, c, f); break;
    case FieldType::Number: number_settings(errs, f); break;
    case FieldType::Email:
    case FieldType::Url: domains_settings(errs, f); break;
    case FieldType::Editor:
    case FieldType::Json: max_size_settings(errs, f); break;
    case FieldType::Autodate: autodate_settings(errs, original, f); break;
    case FieldType::Select: {
      if (f.values.empty()) errs.add("values", required());
      const int64_t max = f.values.empty() ? 1 : static_cast<int64_t>(f.values.size());
      if (Err e = first({[&] { return min_int(f.max_select, 0); }, [&] { return max_int(f.max_select, max); }}))
        errs.add("maxSelect", *e);
      break;
    }
    case FieldType::File: file_settings(errs, f); break;
    case FieldType::Relation: relation_settings(errs, schema, c, original, f); break;
    case FieldType::Password: {
      if (Err e = first({[&] { return min_int(f.min, 1); }, [&] { return max_int(f.min, 71); }})) errs.add("min", *e);
      if (Err e = first({[&] { return min_int(f.max, f.min); }, [&] { return max_int(f.max, 71); }}))
        errs.add("max", *e);
      if (Err e = first({[&] { return min_int(f.cost, 4); }, [&] { return max_int(f.cost, 31); }})) errs.add("cost", *e);
      if (Err e = is_regex(f.pattern)) errs.add("pattern", *e);
      break;
    }
    case FieldType::Bool:
    case FieldType::Date:
    case FieldType::GeoPoint: break;
  }
  return errs;
}

ValidationErrors validate_collection(db::Connection& conn, const Schema& schema, const Collection& input,
                                     const ValidateOptions& opts) {
  const Collection* original = opts.original;
  const bool is_new = original == nullptr;

  // A view's fields always come from its query (a failing query leaves what could be inferred).
  Collection c = input;
  if (c.is_view()) {
    std::vector<Field> partial;
    try {
      c.fields = infer_view_fields(conn, schema, c.view_query, &partial);
    } catch (const std::exception&) {
      c.fields = std::move(partial);
    }
  }
  const RuleChecker rules(schema, c);
  ValidationErrors errs;

  // id
  if (Err e = first({[&]() -> Err { return c.id.empty() ? Err(required()) : std::nullopt; },
                     [&]() -> Err {
                       if (!is_new) return std::nullopt;
                       if (Err x = length(c.id, 1, 100)) return x;
                       if (!is_word(c.id)) return match_invalid();
                       if (collection_id_exists(conn, c.id))
                         return make("validation_invalid_or_existing_id", "The model id is invalid or already exists.");
                       return std::nullopt;
                     },
                     [&]() -> Err {
                       if (!is_new && c.id != original->id) return make("validation_values_mismatch", "Values don't match.");
                       return std::nullopt;
                     }}))
    errs.add("id", *e);

  if (!is_new && c.system != original->system)
    errs.add("system", make("validation_collection_system_flag_change", "System collection state cannot be changed."));

  if (!opts.invalid_type.empty()) errs.add("type", in_invalid());
  else if (!is_new && c.type != original->type)
    errs.add("type", make("validation_collection_type_change", "Collection type cannot be changed."));

  if (Err e = first({[&]() -> Err { return c.name.empty() ? Err(required()) : std::nullopt; },
                     [&] { return length(c.name, 1, 255); }, [&] { return check_for_via(c.name); },
                     [&]() -> Err { return is_word(c.name) ? std::nullopt : Err(match_invalid()); },
                     [&]() -> Err {
                       if (!is_new && original->system && c.name != original->name)
                         return make("validation_collection_system_name_change",
                                     "System collection name cannot be changed.");
                       return std::nullopt;
                     },
                     [&]() -> Err {
                       const std::string exclude = is_new ? default_collection_id(c.type, "") : original->id;
                       auto st = conn.prepare("SELECT 1 FROM `_collections` WHERE LOWER(name) = LOWER(?) AND id != ? LIMIT 1");
                       st.bind(1, c.name).bind(2, exclude);
                       if (st.step())
                         return make("validation_collection_name_exists",
                                     "Collection name must be unique (case insensitive).");
                       if (collection_id_exists(conn, c.name))
                         return make("validation_collection_name_id_duplicate",
                                     "The name must not match an existing collection id.");
                       if (is_new || original->name != c.name) {
                         auto any = conn.prepare("SELECT 1 FROM `_collections` WHERE LOWER(name) = LOWER(?) LIMIT 1");
                         any.bind(1, c.name);
                         auto table = conn.prepare(
                             "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND LOWER(name) = LOWER(?) "
                             "LIMIT 1");
                         table.bind(1, c.name);
                         if (!any.step() && table.step())
                           return make("validation_collection_name_invalid",
                                       "The name shouldn't match with an existing internal table.");
                       }
                       return std::nullopt;
                     }}))
    errs.add("name", *e);

  {
    Outcome fields = check_fields(schema, c, original);
    if (fields.leaf) errs.add("fields", *fields.leaf);
    else errs.add("fields", std::move(fields.nested));
  }

  auto rule_key = [&](const char* key, const std::optional<std::string>& rule, const std::optional<std::string>& old,
                      bool must_be_nil_for_view) {
    if (Err e = first({[&]() -> Err {
                         if (must_be_nil_for_view && c.is_view() && rule) return must_be_nil();
                         return std::nullopt;
                       },
                       [&] { return rules.check(rule); }, [&] { return system_rule_change(original, rule, old); }}))
      errs.add(key, *e);
  };
  rule_key("listRule", c.list_rule, original ? original->list_rule : std::nullopt, false);
  rule_key("viewRule", c.view_rule, original ? original->view_rule : std::nullopt, false);
  rule_key("createRule", c.create_rule, original ? original->create_rule : std::nullopt, true);
  rule_key("updateRule", c.update_rule, original ? original->update_rule : std::nullopt, true);
  rule_key("deleteRule", c.delete_rule, original ? original->delete_rule : std::nullopt, true);

  {
    ValidationErrors nested;
    if (Err e = check_indexes(conn, c, original, nested)) errs.add("indexes", *e);
    else errs.add("indexes", std::move(nested));
  }

  ValidationErrors options;
  if (c.is_auth()) {
    options = auth_option_errors(rules, c, original);
  } else if (c.is_view()) {
    if (c.view_query.empty()) {
      options.add("viewQuery", required());
    } else {
      try {
        dry_run_view(conn, schema, c.view_query, 10);
      } catch (const std::exception& e) {
        std::string raw = e.what();
        if (raw.size() > 500) raw.resize(500);
        options.add("viewQuery", make("validation_invalid_view_query", "Invalid query - " + raw));
      }
    }
  }
  errs.merge(options);
  return errs;
}

const std::vector<OAuth2ProviderInfo>& oauth2_providers() {
  static const std::vector<OAuth2ProviderInfo> list = {
      {"apple", "Apple"},         {"google", "Google"},         {"microsoft", "Microsoft"},
      {"yandex", "Yandex"},       {"facebook", "Facebook"},     {"instagram2", "Instagram"},
      {"github", "GitHub"},       {"gitlab", "GitLab"},         {"bitbucket", "Bitbucket"},
      {"gitee", "Gitee"},         {"gitea", "Gitea/Forgejo"},   {"discord", "Discord"},
      {"twitter", "X/Twitter"},   {"kakao", "Kakao"},           {"vk", "ВКонтакте"},
      {"linear", "Linear"},       {"notion", "Notion"},         {"monday", "monday.com"},
      {"lark", "Lark"},           {"box", "Box"},               {"spotify", "Spotify"},
      {"trakt", "Trakt"},         {"twitch", "Twitch"},         {"patreon", "Patreon"},
      {"strava", "Strava"},       {"wakatime", "WakaTime"},     {"livechat", "LiveChat"},
      {"mailcow", "mailcow"},     {"planningcenter", "Planning Center"}, {"oidc", "OIDC"},
      {"oidc2", "OIDC"},          {"oidc3", "OIDC"},
  };
  return list;
}

}  // namespace larder::schema
