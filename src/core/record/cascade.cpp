// Cascading delete.
#include "core/record/cascade.h"

#include <algorithm>

#include "core/db/schema_sql.h"
#include "core/record/codec.h"
#include "core/record/store.h"

namespace larder::record {

namespace {

constexpr int kMaxCascadeDepth = 1000;  // guards against pathological reference chains

void delete_rec(db::Connection& conn, const schema::Schema& schema, const Record& r, const std::string& now,
                std::vector<Record>& deleted, std::vector<Record>* updated, int depth) {
  if (depth > kMaxCascadeDepth) throw RequiredReference("cascade too deep");
  const schema::Collection& main = *r.collection;
  std::string id(r.id());
  // The row goes first, so A<->B relations cannot loop back into it.
  remove(conn, main, id);
  deleted.push_back(r);

  std::vector<const schema::Collection*> refs;
  for (const auto& c : schema.all())
    if (!c->is_view()) refs.push_back(c.get());
  std::sort(refs.begin(), refs.end(), [](auto* a, auto* b) { return a->name < b->name; });

  for (const schema::Collection* rc : refs) {
    for (const auto& f : rc->fields) {
      if (f.type != schema::FieldType::Relation || f.collection_id != main.id) continue;
      std::string t = db::quote_ident(rc->name);
      std::string col = t + "." + db::quote_ident(f.name);
      std::string where = f.is_multiple()
                              ? "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(" + col + ") THEN " + col +
                                    " ELSE json_array(" + col + ") END) je WHERE je.value = :id)"
                              : col + " = :id";
      if (rc->id == main.id) where += " AND " + t + ".`id` != :id";
      // Each pass removes the id from every row it returns, so the loop ends.
      for (;;) {
        std::vector<Record> rows;
        {
          auto st = conn.prepare("SELECT " + t + ".* FROM " + t + " WHERE " + where + " LIMIT 4000");
          st.bind({{"id", id}});
          RowReader reader(*rc, st);
          while (st.step()) rows.push_back(reader.read());
        }
        if (rows.empty()) break;
        for (Record& ref : rows) {
          json::Value* v = ref.values.find(f.name);
          json::Array ids;
          if (v && v->is_array()) ids = v->as_array();
          else if (v && v->is_string() && !v->as_string().empty()) ids.push_back(*v);
          for (size_t i = ids.size(); i-- > 0;) {
            if (ids[i].is_string() && ids[i].as_string() == id) {
              ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(i));
              break;
            }
          }
          if (ids.empty() && f.cascade_delete) {
            delete_rec(conn, schema, ref, now, deleted, updated, depth + 1);
            continue;
          }
          if (ids.empty() && f.required)
            throw RequiredReference("record " + std::string(ref.id()) + " of " + rc->name + " requires it");
          json::Value nv = f.is_multiple() ? json::Value(std::move(ids))
                                           : (ids.empty() ? json::Value("") : ids.back());
          ref.values.set(f.name, std::move(nv));
          for (const auto& af : rc->fields)
            if (af.type == schema::FieldType::Autodate && af.on_update) ref.values.set(af.name, now);
          update(conn, ref, ref.id());
          if (updated) updated->push_back(ref);
        }
        if (rows.size() < 4000) break;
      }
    }
  }
}

}  // namespace

void delete_with_cascade(db::Connection& conn, const schema::Schema& schema, const Record& r, const std::string& now,
                         std::vector<Record>& deleted, std::vector<Record>* updated) {
  delete_rec(conn, schema, r, now, deleted, updated, 0);
}

}  // namespace larder::record
