// Visibility flags and expand.
#include "core/api/enrich.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/db/index_def.h"
#include "core/db/schema_sql.h"
#include "core/query/record_query.h"
#include "core/record/codec.h"

namespace larder::api {

namespace {

constexpr int kMaxExpandDepth = 6;
constexpr int kMaxBackRelations = 1000;

// "items" of a relation-like value as a list of ids.
std::vector<std::string> ids_of(const json::Value* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_string()) {
    if (!v->as_string().empty()) out.push_back(v->as_string());
  } else if (v->is_array()) {
    for (const auto& e : v->as_array())
      if (e.is_string() && !e.as_string().empty()) out.push_back(e.as_string());
  }
  return out;
}

// The related records the requester may view (viewRule, context "expand"); empty on any failure.
RecordList fetch_viewable(db::Connection& conn, const schema::Schema& schema, const schema::Collection& c,
                          const std::vector<std::string>& ids, const query::RequestInfo& info, bool& ok) {
  RecordList out;
  ok = true;
  if (ids.empty()) return out;
  query::RequestInfo expand_info = info;
  expand_info.context = "expand";
  try {
    query::RecordQuery q(schema, c, expand_info);
    if (!info.is_superuser()) {
      if (!c.view_rule) {
        ok = false;
        return out;
      }
      q.where(*c.view_rule);
    }
    std::string in;
    std::vector<db::NamedParam> params;
    for (size_t i = 0; i < ids.size(); ++i) {
      std::string name = "expand_id" + std::to_string(i);
      if (i) in += ", ";
      in += ":" + name;
      params.push_back({name, ids[i]});
    }
    q.where_sql(db::quote_ident(q.alias()) + ".`id` IN (" + in + ")", std::move(params));
    auto st = conn.prepare(q.select_sql());
    st.bind(q.params());
    record::RowReader reader(c, st);
    while (st.step()) out.push_back(std::make_shared<record::Record>(reader.read()));
  } catch (const std::exception&) {
    ok = false;
    out.clear();
    return out;
  }
  resolve_visibility(conn, schema, out, expand_info);
  return out;
}

// True when `name` is "<collection>_via_<field>" (or the legacy "<collection>(<field>)").
bool split_back_relation(std::string_view name, std::string& coll, std::string& field) {
  size_t via = name.find("_via_");
  if (via != std::string_view::npos && via > 0 && via + 5 < name.size()) {
    coll = std::string(name.substr(0, via));
    field = std::string(name.substr(via + 5));
    return field.find("_via_") == std::string::npos;
  }
  size_t open = name.find('(');
  if (open != std::string_view::npos && open > 0 && name.back() == ')') {
    coll = std::string(name.substr(0, open));
    field = std::string(name.substr(open + 1, name.size() - open - 2));
    return !field.empty();
  }
  return false;
}

bool expand_path(db::Connection& conn, const schema::Schema& schema, const RecordList& records, std::string_view path,
                 const query::RequestInfo& info, int depth) {
  if (path.empty() || depth > kMaxExpandDepth || records.empty()) return true;
  const schema::Collection& main = *records.front()->collection;
  size_t dot = path.find('.');
  std::string head(path.substr(0, dot));
  std::string_view rest = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);

  const schema::Collection* rel_collection = nullptr;
  bool multiple = false;
  // ids per parent record, in stored order
  std::vector<std::vector<std::string>> rel_ids(records.size());

  std::string back_coll, back_field;
  if (split_back_relation(head, back_coll, back_field)) {
    rel_collection = schema.find(back_coll);
    if (!rel_collection) return false;
    const schema::Field* f = rel_collection->field(back_field);
    if (!f || f->type != schema::FieldType::Relation || f->collection_id != main.id) return false;
    std::string t = db::quote_ident(rel_collection->name);
    std::string col = db::quote_ident(f->name);
    std::string sql = "SELECT `id` FROM " + t + " WHERE ";
    sql += f->is_multiple() ? "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(" + col + ") THEN " + col +
                                  " ELSE json_array(" + col + ") END) je WHERE je.value = :id)"
                            : col + " = :id";
    sql += " LIMIT " + std::to_string(kMaxBackRelations);
    auto st = conn.prepare(sql);
    for (size_t i = 0; i < records.size(); ++i) {
      st.reset();
      st.bind({{"id", std::string(records[i]->id())}});
      while (st.step()) rel_ids[i].push_back(st.get_text(0));
    }
    multiple = !db::find_single_column_unique_index(rel_collection->indexes, f->name).has_value();
  } else {
    const schema::Field* f = main.field(head);
    if (!f || f->type != schema::FieldType::Relation) return false;
    rel_collection = schema.by_id(f->collection_id);
    if (!rel_collection) return false;
    multiple = f->is_multiple();
    for (size_t i = 0; i < records.size(); ++i) rel_ids[i] = ids_of(records[i]->values.find(f->name));
  }

  std::vector<std::string> unique_ids;
  std::unordered_set<std::string> seen;
  for (const auto& list : rel_ids)
    for (const auto& id : list)
      if (seen.insert(id).second) unique_ids.push_back(id);

  bool ok = true;
  RecordList rels = fetch_viewable(conn, schema, *rel_collection, unique_ids, info, ok);
  if (!ok) return false;
  if (!rest.empty() && !expand_path(conn, schema, rels, rest, info, depth + 1)) return false;

  std::unordered_map<std::string_view, std::shared_ptr<record::Record>> by_id;
  for (const auto& r : rels) by_id.emplace(r->id(), r);

  for (size_t i = 0; i < records.size(); ++i) {
    record::Record& parent = *records[i];
    if (!parent.expand) parent.expand.emplace();
    record::ExpandEntry entry{head, multiple, {}};
    for (const auto& id : rel_ids[i])
      if (auto it = by_id.find(id); it != by_id.end()) entry.records.push_back(it->second);
    if (entry.records.empty()) continue;
    if (!multiple) entry.records.resize(1);
    // An earlier path may already have expanded the same key (e.g. "a.b" after "a.c"): keep
    // the nested expansions of both.
    for (auto& old : *parent.expand) {
      if (old.key != head) continue;
      for (const auto& prev : old.records)
        for (auto& now : entry.records)
          if (now->id() == prev->id() && prev->expand) {
            if (!now->expand) now->expand.emplace();
            for (const auto& e : *prev->expand) {
              bool present = false;
              for (const auto& ne : *now->expand) present = present || ne.key == e.key;
              if (!present) now->expand->push_back(e);
            }
          }
      old = std::move(entry);
      entry.records.clear();
      break;
    }
    if (!entry.records.empty()) parent.expand->push_back(std::move(entry));
  }
  return true;
}

}  // namespace

std::vector<std::string> normalize_expands(std::string_view param) {
  std::vector<std::string> paths;
  size_t start = 0;
  while (start <= param.size()) {
    size_t comma = param.find(',', start);
    std::string_view raw = param.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    std::string p;
    for (char c : raw)
      if (c != ' ') p += c;
    while (!p.empty() && p.front() == '.') p.erase(p.begin());
    while (!p.empty() && p.back() == '.') p.pop_back();
    if (!p.empty()) paths.push_back(std::move(p));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < paths.size(); ++i) {
    bool covered = false;
    for (size_t j = 0; j < paths.size() && !covered; ++j)
      covered = i != j && paths[j].rfind(paths[i] + ".", 0) == 0;
    if (!covered && std::find(out.begin(), out.end(), paths[i]) == out.end()) out.push_back(paths[i]);
  }
  return out;
}

void resolve_visibility(db::Connection& conn, const schema::Schema& schema, const RecordList& records,
                        const query::RequestInfo& info) {
  if (records.empty()) return;
  const schema::Collection& c = *records.front()->collection;
  if (info.is_superuser()) {
    for (auto& r : records) {
      r->show_hidden = true;
      r->show_email = true;
    }
  }
  if (!c.is_auth()) return;
  if (info.auth)
    for (auto& r : records)
      if (r->id() == info.auth->id() && info.auth->collection->id == c.id) r->show_email = true;
  if (!c.auth.manage_rule || c.auth.manage_rule->empty()) return;
  // Records the requester manages show their email too.
  try {
    query::RecordQuery q(schema, c, info);
    q.where(*c.auth.manage_rule);
    std::string in;
    std::vector<db::NamedParam> params;
    for (size_t i = 0; i < records.size(); ++i) {
      std::string name = "manage_id" + std::to_string(i);
      if (i) in += ", ";
      in += ":" + name;
      params.push_back({name, std::string(records[i]->id())});
    }
    q.where_sql(db::quote_ident(q.alias()) + ".`id` IN (" + in + ")", std::move(params));
    auto st = conn.prepare(q.select_sql());
    st.bind(q.params());
    std::unordered_set<std::string> managed;
    int id_col = -1;
    for (int i = 0; i < st.column_count(); ++i)
      if (st.column_name(i) == "id") id_col = i;
    while (st.step())
      if (id_col >= 0) managed.insert(st.get_text(id_col));
    for (auto& r : records)
      if (managed.count(std::string(r->id()))) r->show_email = true;
  } catch (const std::exception&) {
    // A broken manage rule grants nothing.
  }
}

void expand_records(db::Connection& conn, const schema::Schema& schema, const RecordList& records,
                    const std::vector<std::string>& paths, const query::RequestInfo& info) {
  for (const auto& p : paths) {
    try {
      expand_path(conn, schema, records, p, info, 1);
    } catch (const std::exception&) {
      // Expand failures are silent (api.md §3.5).
    }
  }
}

void enrich_records(db::Connection& conn, const schema::Schema& schema, const RecordList& records,
                    const query::RequestInfo& info, std::string_view expand_param) {
  resolve_visibility(conn, schema, records, info);
  if (!expand_param.empty()) expand_records(conn, schema, records, normalize_expands(expand_param), info);
}

}  // namespace larder::api
