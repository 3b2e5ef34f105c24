// Single-record SQL.
#include "core/record/store.h"

#include "core/db/schema_sql.h"
#include "core/record/codec.h"

namespace larder::record {

using db::quote_ident;

std::shared_ptr<Record> find_by_id(db::Connection& conn, const schema::Collection& c, std::string_view id) {
  std::string t = quote_ident(c.name);
  auto st = conn.prepare("SELECT " + t + ".* FROM " + t + " WHERE " + t + ".`id` = ? LIMIT 1");
  st.bind(1, id);
  if (!st.step()) return nullptr;
  return std::make_shared<Record>(read_record(c, st));
}

void insert(db::Connection& conn, const Record& r) {
  const schema::Collection& c = *r.collection;
  std::string cols, marks;
  for (const auto& f : c.fields) {
    if (!cols.empty()) {
      cols += ", ";
      marks += ", ";
    }
    cols += quote_ident(f.name);
    marks += "?";
  }
  auto st = conn.prepare("INSERT INTO " + quote_ident(c.name) + " (" + cols + ") VALUES (" + marks + ")");
  int i = 1;
  for (const auto& f : c.fields) {
    const json::Value* v = r.values.find(f.name);
    st.bind(i++, to_sql(f, v ? *v : zero_value(f)));
  }
  st.step();
}

void update(db::Connection& conn, const Record& r, std::string_view old_id) {
  const schema::Collection& c = *r.collection;
  std::string sets;
  for (const auto& f : c.fields) {
    if (!sets.empty()) sets += ", ";
    sets += quote_ident(f.name) + " = ?";
  }
  auto st = conn.prepare("UPDATE " + quote_ident(c.name) + " SET " + sets + " WHERE `id` = ?");
  int i = 1;
  for (const auto& f : c.fields) {
    const json::Value* v = r.values.find(f.name);
    st.bind(i++, to_sql(f, v ? *v : zero_value(f)));
  }
  st.bind(i, old_id);
  st.step();
}

void remove(db::Connection& conn, const schema::Collection& c, std::string_view id) {
  auto st = conn.prepare("DELETE FROM " + quote_ident(c.name) + " WHERE `id` = ?");
  st.bind(1, id);
  st.step();
}

}  // namespace larder::record
