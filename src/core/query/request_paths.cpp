// @request.* and @collection.* paths (filter-and-rules.md §4.3, §4.4). Static request values
// become bound parameters; @request.auth.<non-plain field>, @request.body.<relation>.x and
// @collection.x join the tables they read.
#include "core/query/errors.h"
#include "core/query/json_sql.h"
#include "core/query/parser.h"
#include "core/query/record_resolver.h"
#include "core/query/request_values.h"

namespace larder::query {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Auth fields PocketBase reads from the token's record without a join.
bool is_plain_auth_field(std::string_view identifier) {
  for (std::string_view f : {"@request.auth.id", "@request.auth.collectionId", "@request.auth.collectionName",
                             "@request.auth.email", "@request.auth.emailVisibility", "@request.auth.verified"})
    if (identifier == f) return true;
  return false;
}

Operand null_operand() {
  Operand o;
  o.sql = Sql("NULL");
  o.literal = LiteralKind::Empty;
  o.constant = true;
  return o;
}

const Ident& id_col() {
  static const Ident id("id");
  return id;
}

}  // namespace

Operand RecordResolver::request_field(std::string_view identifier, const std::vector<std::string_view>& props) {
  if (starts_with(identifier, "@request.auth.")) return auth_field(identifier, props);

  if (starts_with(identifier, "@request.body.") && props.size() > 2) {
    std::string_view name, mod;
    split_modifier(props[2], name, mod);
    const schema::Field* f = base_.collection->field(name);
    if (f) {
      if (f->type == schema::FieldType::Relation && props.size() > 3) return body_relation(*f, props);
      if (props.size() == 3) {
        if (mod == "each") return body_each(*f);
        if (mod == "length") return body_length(*f);
        if (mod == "lower") return body_lower(*f);
        if (mod == "changed") return body_changed(*f);
      }
    }
  }
  return static_field(std::vector<std::string_view>(props.begin() + 1, props.end()));
}

// A value looked up in the request data, bound as a parameter.
Operand RecordResolver::static_field(std::vector<std::string_view> path) {
  std::string_view last, mod;
  split_modifier(path.back(), last, mod);
  path.back() = last;
  std::optional<json::Value> v = lookup_request_value(st_.info, path);

  if (mod == "isset") {
    Operand o;
    o.sql = v ? Sql("TRUE") : Sql("FALSE");
    o.literal = LiteralKind::NonEmpty;
    o.constant = true;
    return o;
  }
  // Only :lower (and :isset) apply to static values.
  if (!mod.empty() && mod != "lower") throw FilterError("invalid modifier for a @request value");
  if (!v || v->is_null()) return null_operand();

  db::SqlValue value;
  switch (v->type()) {
    case json::Type::kString: {
      // Form submissions carry numbers as text: a number field's value compares as a number.
      const schema::Field* f = base_.collection->field(last);
      std::optional<double> d;
      if (f && f->type == schema::FieldType::Number) d = parse_go_float(v->as_string());
      value = d ? db::SqlValue(*d) : db::SqlValue(v->as_string());
      break;
    }
    case json::Type::kBool: value = int64_t{v->as_bool() ? 1 : 0}; break;
    case json::Type::kNumber: value = v->as_number(); break;
    default: value = go_json(*v); break;  // objects/arrays compare as their JSON text
  }
  Param p = bind(std::move(value));
  Operand o;
  if (mod == "lower") o.sql << "LOWER(" << p << ")";
  else o.sql << p;
  o.values.push_back(p);
  return o;
}

Operand RecordResolver::auth_field(std::string_view identifier, const std::vector<std::string_view>& props) {
  const auto& auth = st_.info.auth;
  if (!auth || !auth->collection) return null_operand();
  if (is_plain_auth_field(identifier))
    return static_field(std::vector<std::string_view>(props.begin() + 1, props.end()));

  // Any other field: join the auth record's row (so relations can be traversed and hidden
  // fields read in rules).
  const schema::Collection* coll = st_.schema.by_id(auth->collection->id);
  if (!coll) coll = auth->collection;
  const Ident table(coll->name);
  const Param auth_id = bind(std::string(auth->id()));
  const std::string key = scope_ + "@auth";
  Ident alias = join(key, "__auth_" + coll->name, coll, [&](const Ident& a) {
    Sql s;
    s << " LEFT JOIN " << table << " " << a << " ON " << column(a, id_col()) << " = " << auth_id;
    return s;
  });
  Walk w = start(coll, alias, key, /*nullify=*/true);
  Ident mm = st_.aliases.unique(w.mm_from.str() + "_auth");
  w.mm_joins << " LEFT JOIN " << table << " " << mm << " ON " << column(mm, id_col()) << " = " << auth_id;
  w.mm_alias = mm;
  return walk(w, props, 2);
}

Operand RecordResolver::collection_field(const std::vector<std::string_view>& props) {
  std::string_view spec = props[1], name = spec, user_alias;
  if (size_t colon = spec.find(':'); colon != std::string_view::npos) {
    name = spec.substr(0, colon);
    user_alias = spec.substr(colon + 1);
  }
  const schema::Collection* coll = load(name);
  if (!coll) throw FilterError("failed to load @collection");
  const Ident table(coll->name);
  // Every reference with the same name[:alias] shares one joined row. The user's alias names
  // the join only in the key; the SQL alias is generated.
  const std::string key = scope_ + "@collection:" + coll->id + ":" + std::string(user_alias);
  Ident alias = join(key, (user_alias.empty() ? "__collection_" : "__collection_alias_") + coll->name, coll,
                     [&](const Ident& a) {
                       Sql s;
                       s << " LEFT JOIN " << table << " " << a;
                       return s;
                     });
  Walk w = start(coll, alias, key, /*nullify=*/false);
  w.multi = true;
  Ident mm = st_.aliases.unique(w.mm_from.str() + "_c");
  w.mm_joins << " LEFT JOIN " << table << " " << mm;
  w.mm_alias = mm;
  return walk(w, props, 2);
}

// @request.body.<relation>.<path>: joins the submitted ids' records.
Operand RecordResolver::body_relation(const schema::Field& f, const std::vector<std::string_view>& props) {
  const schema::Collection* target = load(f.collection_id);
  if (!target) throw FilterError("failed to load relation collection");
  std::vector<std::string> ids = unique_strings(st_.info.body.find(f.name));
  if (ids.empty()) return null_operand();

  std::vector<Param> params;
  params.reserve(ids.size());
  for (auto& id : ids) params.push_back(bind(std::move(id)));
  auto id_match = [&](const Ident& a) {
    Sql s;
    s << column(a, id_col());
    if (params.size() == 1) {
      s << " = " << params[0];
    } else {
      s << " IN (";
      for (size_t i = 0; i < params.size(); ++i) {
        if (i) s << ", ";
        s << params[i];
      }
      s << ")";
    }
    return s;
  };
  const Ident table(target->name);
  const std::string key = scope_ + "@body:" + f.name;
  Ident alias = join(key, "__data_" + target->name + "_" + f.name, target, [&](const Ident& a) {
    Sql s;
    s << " LEFT JOIN " << table << " " << a << " ON " << id_match(a);
    return s;
  });
  Walk w = start(target, alias, key, /*nullify=*/true);
  w.multi = f.is_multiple();
  Ident mm = st_.aliases.unique(w.mm_from.str() + "_data");
  w.mm_joins << " LEFT JOIN " << table << " " << mm << " ON " << id_match(mm);
  w.mm_alias = mm;
  return walk(w, props, 3);
}

// @request.body.<multi field>:each — the submitted items as a json_each join.
Operand RecordResolver::body_each(const schema::Field& f) {
  if (!f.is_multi_capable()) throw FilterError("field doesn't support multivalue operations");
  const std::string items = go_json(json::Value(to_slice(st_.info.body.find(f.name))));
  const std::string key = scope_ + "@bodyeach:" + f.name;
  Param p{};
  if (const JoinEntry* existing = st_.find_join(key); existing && existing->value) {
    p = *existing->value;
  } else {
    p = bind(items);
    Ident a = st_.aliases.unique("__dataEach_je_" + f.name);
    Sql s;
    s << " LEFT JOIN json_each(" << p << ") " << a;
    st_.joins.push_back(JoinEntry{key, a, std::move(s), p});
  }
  const Ident alias = st_.find_join(key)->alias;
  Operand o;
  o.sql = column(alias, Ident("value"));
  o.values.push_back(p);
  if (f.is_multiple()) {
    Walk w = start(base_.collection, base_.alias, key, true);
    Ident mm = st_.aliases.unique(w.mm_from.str() + "_each");
    w.mm_joins << " LEFT JOIN json_each(" << p << ") " << mm;
    o.multi = multi(w, column(mm, Ident("value")));
  }
  return o;
}

// @request.body.<multi field>:length — a number this module computed.
Operand RecordResolver::body_length(const schema::Field& f) {
  if (!f.is_multi_capable()) throw FilterError("field doesn't support multivalue operations");
  const size_t n = to_slice(st_.info.body.find(f.name)).size();
  Operand o;
  o.sql.integer(static_cast<int64_t>(n));
  o.constant = true;
  // PocketBase sees the literal "0"/"1" as a known non-empty operand.
  if (n <= 1) o.literal = LiteralKind::NonEmpty;
  return o;
}

Operand RecordResolver::body_lower(const schema::Field& f) {
  const json::Value* v = st_.info.body.find(f.name);
  Param p = bind(v ? cast_to_string(*v) : std::string());
  Operand o;
  o.sql << "LOWER(" << p << ")";
  o.values.push_back(p);
  return o;
}

// @request.body.f:changed ≡ (@request.body.f:isset = true && @request.body.f != f).
Operand RecordResolver::body_changed(const schema::Field& f) {
  // Built from the schema's field name (^\w+$) and run through our own parser: no user text.
  const std::string expr = "@request.body." + f.name + ":isset = true && @request.body." + f.name + " != " + f.name;
  Compiler c(*this, st_.env());
  Operand o;
  o.sql = c.compile(parse(expr));  // two items: already parenthesised
  o.null_fallback = NullFallback::Disabled;
  return o;
}

}  // namespace larder::query
