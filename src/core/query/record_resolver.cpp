// Record field paths (see record_resolver.h): the entry point, the relation/back-relation walk
// and the last segment with its modifiers. Mirrors PocketBase's core/record_field_resolver*.go
// so that the same rows match; aliases are our own (collision-free) names.
#include "core/query/record_resolver.h"

#include "core/db/index_def.h"
#include "core/query/errors.h"
#include "core/query/json_sql.h"

namespace larder::query {

namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool path_char(char c) { return word_char(c) || c == '.' || c == ':'; }
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// [\w.:]*\w+ (non-empty, ends with a word char)
bool path_tail(std::string_view s) {
  if (s.empty() || !word_char(s.back())) return false;
  for (char c : s)
    if (!path_char(c)) return false;
  return true;
}

std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t dot = s.find('.', start);
    if (dot == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, dot - start));
    start = dot + 1;
  }
}

// Go's strconv.Atoi success for a path segment (digits only here, fits in int64).
bool is_index(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

const Ident& id_col() {
  static const Ident id("id");
  return id;
}
const Ident& value_col() {
  static const Ident v("value");
  return v;
}

}  // namespace

bool is_allowed_record_path(std::string_view s) {
  if (s.empty()) return false;
  if (s[0] != '@') {
    if (!word_char(s[0])) return false;
    for (char c : s)
      if (!path_char(c)) return false;
    return true;
  }
  if (s == "@request.context" || s == "@request.method") return true;
  for (std::string_view prefix : {"@request.auth.", "@request.body.", "@request.query.", "@request.headers."})
    if (starts_with(s, prefix)) return path_tail(s.substr(prefix.size()));
  if (starts_with(s, "@collection.")) {
    std::string_view rest = s.substr(12);
    size_t i = 0;
    while (i < rest.size() && word_char(rest[i])) ++i;
    if (i == 0) return false;
    if (i < rest.size() && rest[i] == ':') {
      size_t j = ++i;
      while (i < rest.size() && word_char(rest[i])) ++i;
      if (i == j) return false;
    }
    if (i >= rest.size() || rest[i] != '.') return false;
    return path_tail(rest.substr(i + 1));
  }
  return false;
}

void split_modifier(std::string_view seg, std::string_view& name, std::string_view& modifier) {
  size_t colon = seg.find(':');
  if (colon == std::string_view::npos || seg.find(':', colon + 1) != std::string_view::npos) {
    name = seg;
    modifier = {};
    return;
  }
  name = seg.substr(0, colon);
  modifier = seg.substr(colon + 1);
  if (modifier != "isset" && modifier != "each" && modifier != "length" && modifier != "lower" &&
      modifier != "changed")
    throw FilterError("unknown modifier");
}

RecordResolver::RecordResolver(QueryState& st, BaseTable base, bool allow_hidden, std::string scope)
    : st_(st), base_(std::move(base)), allow_hidden_(allow_hidden), scope_(std::move(scope)) {}

bool RecordResolver::resolves_word(std::string_view name) const {
  const schema::Field* f = base_.collection->field(name);
  return f && (allow_hidden_ || !f->hidden);
}

const schema::Collection* RecordResolver::load(std::string_view name_or_id) const {
  return st_.schema.find(name_or_id);
}

RecordResolver::Walk RecordResolver::start(const schema::Collection* c, Ident alias, std::string key, bool nullify) {
  Ident mm = st_.aliases.unique("__mm");
  return Walk{c, false, std::move(alias), std::move(key), nullify, false, mm, mm, Sql()};
}

// SELECT <value> FROM <base> <mm_from> <joins so far> WHERE <mm_from>.id = <base alias>.id:
// every value of the path for the current main-query row.
MultiMatch RecordResolver::multi(const Walk& w, Sql value) const {
  MultiMatch m;
  m.value = std::move(value);
  m.tail << "FROM " << base_.table << " " << w.mm_from << w.mm_joins << " WHERE " << column(w.mm_from, id_col())
         << " = " << column(base_.alias, id_col());
  return m;
}

Operand RecordResolver::missing(const Walk& w, const std::string& error) const {
  if (!w.nullify) throw FilterError(error);
  Operand o;
  o.sql = Sql("NULL");
  o.literal = LiteralKind::Empty;
  o.constant = true;
  return o;
}

void RecordResolver::check_listable(const schema::Collection* target) const {
  if (target && !allow_hidden_ && !target->list_rule)
    throw FilterError("\"" + target->name + "\" fields can be accessed only when allowHiddenFields is enabled or by superusers");
}

void RecordResolver::client_join_check(const schema::Collection* target, const Ident& alias) {
  if (target->list_rule->empty()) return;  // public listRule: nothing to add
  for (const auto& rj : st_.rule_joins)
    if (rj.alias == alias) return;
  st_.rule_joins.push_back(RuleJoin{target, alias});
}

Operand RecordResolver::resolve(std::string_view identifier) {
  if (!is_allowed_record_path(identifier)) throw FilterError("failed to resolve field");
  std::vector<std::string_view> props = split_dots(identifier);
  if (props[0] == "@collection") return collection_field(props);
  if (props[0] == "@request") return request_field(identifier, props);
  Walk w = start(base_.collection, base_.alias, scope_ + "$", false);
  w.is_virtual = base_.is_virtual;
  return walk(w, props, 0);
}

Operand RecordResolver::walk(Walk& w, const std::vector<std::string_view>& props, size_t from) {
  const size_t n = props.size();
  for (size_t i = from; i < n; ++i) {
    if (i == n - 1) return finalize(w, props[i]);
    const std::string_view prop = props[i];
    const schema::Field* f = w.coll->field(prop);
    if (f && f->hidden && !allow_hidden_) throw FilterError("non-filterable field");

    // json / geoPoint: the rest of the path is a JSON path into the value.
    if (f && (f->type == schema::FieldType::Json || f->type == schema::FieldType::GeoPoint))
      return json_path(w, *f, props, i + 1);

    if (i - from >= kMaxRelationHops) throw FilterError("max nested relations reached");

    if (!f) {
      // Back-relation `<collection>_via_<field>`: PocketBase's regex ^(\w+)_via_(\w+)$ is
      // greedy, so the last "_via_" that leaves both sides non-empty splits it.
      std::string_view back_name, back_field_name;
      for (size_t pos = prop.rfind("_via_"); pos != std::string_view::npos;
           pos = pos == 0 ? std::string_view::npos : prop.rfind("_via_", pos - 1)) {
        std::string_view a = prop.substr(0, pos), b = prop.substr(pos + 5);
        if (is_word(a) && is_word(b)) {
          back_name = a;
          back_field_name = b;
          break;
        }
      }
      if (back_name.empty()) return missing(w, "failed to resolve field");
      const schema::Collection* back = load(back_name);
      if (!back) return missing(w, "failed to load back relation collection");
      const schema::Field* bf = back->field(back_field_name);
      if (!bf) return missing(w, "missing back relation field");
      if (bf->type != schema::FieldType::Relation) return missing(w, "invalid back relation field");
      if (bf->hidden && !allow_hidden_) throw FilterError("non-filterable back relation field");
      if (bf->collection_id != w.coll->id || w.is_virtual)
        return missing(w, "invalid collection reference of a back relation field");

      const Ident back_table(back->name), bcol(bf->name);
      const bool multiple = bf->is_multiple();
      const Ident cur = w.alias;
      const std::string key = w.key + "/<" + back->id + "." + bf->name;
      Ident na = join(key, cur.str() + "_" + std::string(prop), back, [&](const Ident& a) {
        Sql s;
        s << " LEFT JOIN " << back_table << " " << a << " ON ";
        if (!multiple) {
          s << column(a, bcol) << " = " << column(cur, id_col());
        } else {
          Ident je = st_.aliases.unique("__je_" + a.str());
          s << column(cur, id_col()) << " IN (SELECT " << column(je, value_col()) << " FROM "
            << json_each_sql(column(a, bcol)) << " " << je << ")";
        }
        return s;
      });

      // Single back-relations are multi-valued too unless a UNIQUE index makes them 1:1.
      if (multiple) w.multi = true;
      else if (!w.multi) w.multi = !db::find_single_column_unique_index(back->indexes, bf->name).has_value();

      Ident mna = st_.aliases.unique(w.mm_alias.str() + "_" + std::string(prop));
      w.mm_joins << " LEFT JOIN " << back_table << " " << mna << " ON ";
      if (!multiple) {
        w.mm_joins << column(mna, bcol) << " = " << column(w.mm_alias, id_col());
      } else {
        Ident mje = st_.aliases.unique("__je_" + mna.str());
        w.mm_joins << column(w.mm_alias, id_col()) << " IN (SELECT " << column(mje, value_col()) << " FROM "
                   << json_each_sql(column(mna, bcol)) << " " << mje << ")";
      }
      w.coll = back;
      w.is_virtual = false;
      w.alias = na;
      w.key = key;
      w.mm_alias = mna;
      continue;
    }

    if (f->type != schema::FieldType::Relation) throw FilterError("field is not a valid relation");
    const schema::Collection* target = load(f->collection_id);
    if (!target) throw FilterError("failed to load relation collection");

    // "rel.id" on a single relation is the stored id itself: no join needed.
    if (!f->is_multiple() && i == n - 2 && props[i + 1] == "id") return finalize(w, f->name);

    const Ident target_table(target->name), fcol(f->name);
    const bool multiple = f->is_multiple();
    const Ident cur = w.alias;
    const std::string key = w.key + "/" + f->name;
    Sql je_value;
    if (multiple) {
      Ident je = join(key + "#je", "__je_" + cur.str() + "_" + f->name, nullptr, [&](const Ident& a) {
        Sql s;
        s << " LEFT JOIN " << json_each_sql(column(cur, fcol)) << " " << a;
        return s;
      });
      je_value = column(je, value_col());
    }
    Ident na = join(key, cur.str() + "_" + f->name, target, [&](const Ident& a) {
      Sql s;
      s << " LEFT JOIN " << target_table << " " << a << " ON " << column(a, id_col()) << " = "
        << (multiple ? je_value : column(cur, fcol));
      return s;
    });

    if (multiple) w.multi = true;
    Ident mna = st_.aliases.unique(w.mm_alias.str() + "_" + f->name);
    if (!multiple) {
      w.mm_joins << " LEFT JOIN " << target_table << " " << mna << " ON " << column(mna, id_col()) << " = "
                 << column(w.mm_alias, fcol);
    } else {
      Ident mje = st_.aliases.unique(mna.str() + "_je");
      w.mm_joins << " LEFT JOIN " << json_each_sql(column(w.mm_alias, fcol)) << " " << mje << " LEFT JOIN "
                 << target_table << " " << mna << " ON " << column(mna, id_col()) << " = "
                 << column(mje, value_col());
    }
    w.coll = target;
    w.is_virtual = false;
    w.alias = na;
    w.key = key;
    w.mm_alias = mna;
  }
  throw FilterError("failed to resolve field");
}

Operand RecordResolver::json_path(Walk& w, const schema::Field& f, const std::vector<std::string_view>& props,
                                  size_t from) {
  // Numeric segments are array indexes, others keys. (PocketBase strips characters such as
  // ':' from the segments; we do the same so "json.a:lower" reads key "alower" as it does.)
  std::string path;
  for (size_t j = from; j < props.size(); ++j) {
    const std::string_view p = props[j];
    std::string seg;
    for (char c : p)
      if (c != ':') seg += c;
    if (is_index(p)) {
      path += '[';
      path += seg;
      path += ']';
    } else {
      if (j > from) path += '.';
      path += seg;
    }
  }
  if (!path.empty() && path[0] != '[') path.insert(0, ".");
  // The path is user text: it is bound, never spliced into the SQL.
  Param p = bind("$" + path), pb = bind("$.pb" + path);
  const Ident fcol(f.name);
  Operand o;
  o.null_fallback = NullFallback::Disabled;
  o.sql = json_extract_sql(column(w.alias, fcol), p, pb);
  if (w.multi) o.multi = multi(w, json_extract_sql(column(w.mm_alias, fcol), p, pb));
  return o;
}

Operand RecordResolver::finalize(Walk& w, std::string_view prop) {
  std::string_view name, mod;
  split_modifier(prop, name, mod);
  const schema::Field* f = w.coll->field(name);
  if (!f) return missing(w, "unknown field");
  if (f->hidden && !allow_hidden_) throw FilterError("non-filterable field");

  const Ident fcol(f->name);
  const Sql col = column(w.alias, fcol), mm_col = column(w.mm_alias, fcol);
  Operand o;

  if (mod == "length" && f->is_multi_capable()) {
    o.sql = json_array_length_sql(col);
    if (w.multi) o.multi = multi(w, json_array_length_sql(mm_col));
    return o;
  }

  if (mod == "each" && f->is_multi_capable()) {
    Ident je = join(w.key + "/" + f->name + ":each", "__je_" + w.alias.str() + "_" + f->name, nullptr,
                    [&](const Ident& a) {
                      Sql s;
                      s << " LEFT JOIN " << json_each_sql(col) << " " << a;
                      return s;
                    });
    o.sql = column(je, value_col());
    if (f->is_multiple()) w.multi = true;
    if (w.multi) {
      Ident mje = st_.aliases.unique("__je_" + w.mm_alias.str() + "_" + f->name);
      w.mm_joins << " LEFT JOIN " << json_each_sql(mm_col) << " " << mje;
      o.multi = multi(w, column(mje, value_col()));
    }
    return o;
  }

  o.sql = col;
  Sql mm_value = mm_col;
  // Users may not probe hidden emails: only rows that show their email match (client mode).
  if (f->name == "email" && !allow_hidden_ && w.coll->is_auth()) {
    Sql vis;
    vis << column(w.alias, Ident("emailVisibility")) << " = TRUE";
    o.visibility = std::move(vis);
  }
  // A json field compares by its decoded value (so `json = 1` matches the text "1").
  if (f->type == schema::FieldType::Json) {
    Param p = bind(std::string("$")), pb = bind(std::string("$.pb"));
    o.null_fallback = NullFallback::Disabled;
    o.sql = json_extract_sql(col, p, pb);
    mm_value = json_extract_sql(mm_col, p, pb);
  }
  if (mod == "lower") {
    Sql lo;
    lo << "LOWER(" << o.sql << ")";
    o.sql = std::move(lo);
    Sql mlo;
    mlo << "LOWER(" << mm_value << ")";
    mm_value = std::move(mlo);
  }
  if (w.multi) o.multi = multi(w, std::move(mm_value));
  return o;
}

}  // namespace larder::query
