// Collection table DDL.
#include "core/db/schema_sql.h"

#include <algorithm>

#include "core/db/index_def.h"

namespace larder::db {

using schema::FieldType;

std::string quote_ident(std::string_view name) {
  std::string s = "`";
  s += name;
  s += '`';
  return s;
}

std::string column_definition(const schema::Field& f) {
  switch (f.type) {
    case FieldType::Text:
      if (f.primary_key) return "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL";
      return "TEXT DEFAULT '' NOT NULL";
    case FieldType::Number: return "NUMERIC DEFAULT 0 NOT NULL";
    case FieldType::Bool: return "BOOLEAN DEFAULT FALSE NOT NULL";
    case FieldType::Select:
    case FieldType::Relation:
    case FieldType::File: return f.is_multiple() ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL";
    case FieldType::Json: return "JSON DEFAULT NULL";
    case FieldType::GeoPoint: return "JSON DEFAULT '{\"lon\":0,\"lat\":0}' NOT NULL";
    default: return "TEXT DEFAULT '' NOT NULL";
  }
}

std::string create_table_sql(const schema::Collection& c) {
  std::vector<const schema::Field*> fields;
  for (const auto& f : c.fields) fields.push_back(&f);
  std::sort(fields.begin(), fields.end(), [](auto* a, auto* b) { return a->name < b->name; });
  std::string sql = "CREATE TABLE " + quote_ident(c.name) + " (";
  bool first = true;
  for (const auto* f : fields) {
    if (!first) sql += ", ";
    first = false;
    sql += quote_ident(f->name) + " " + column_definition(*f);
  }
  sql += ")";
  return sql;
}

void create_indexes(Connection& conn, const schema::Collection& c) {
  for (const auto& raw : c.indexes) {
    IndexDef idx = parse_index(raw);
    if (!idx.valid()) throw Error(1, "invalid index expression: " + raw);
    conn.exec("DROP INDEX IF EXISTS " + quote_ident(idx.name));
    idx.table = c.name;
    idx.schema_name.clear();
    conn.exec(idx.build());
  }
}

void create_collection_storage(Connection& conn, const schema::Collection& c) {
  if (c.is_view()) {
    conn.exec("CREATE VIEW " + quote_ident(c.name) + " AS SELECT * FROM (" + c.view_query + ")");
    return;
  }
  conn.exec(create_table_sql(c));
  create_indexes(conn, c);
}

}  // namespace larder::db
