// Collection changes applied to SQLite (see schema_migrate.h). Identifiers come from validated
// collection and field names (^\w+$) and are back-quoted; index and view SQL is the superuser's
// by design and only ever runs as one prepared statement.
#include "core/db/schema_migrate.h"

#include <algorithm>
#include <set>

#include "core/db/index_def.h"
#include "core/db/schema_sql.h"
#include "core/http/headers.h"
#include "core/json/json.h"
#include "core/schema/view_fields.h"
#include "core/util/datetime.h"

namespace larder::db {

namespace {

using schema::Collection;
using schema::Field;
using schema::ValidationError;
using schema::ValidationErrors;

bool table_exists(Connection& conn, std::string_view name) {
  auto st = conn.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND LOWER(name) = LOWER(?) LIMIT 1");
  st.bind(1, name);
  return st.step();
}

std::string fields_json(const std::vector<Field>& fields) {
  json::Array a;
  for (const auto& f : fields) a.push_back(schema::field_to_json(f));
  return json::dump(json::Value(std::move(a)));
}

std::string indexes_json(const std::vector<std::string>& indexes) {
  json::Array a;
  for (const auto& i : indexes) a.emplace_back(i);
  return json::dump(json::Value(std::move(a)));
}

void drop_indexes(Connection& conn, const Collection& c) {
  for (const auto& raw : c.indexes) {
    IndexDef parsed = parse_index(raw);
    // The table may be missing from a hand-written index; the name is all DROP needs.
    if (parsed.name.empty()) throw Error(1, "failed to drop index - missing index name: " + raw);
    conn.exec("DROP INDEX IF EXISTS " + quote_ident(parsed.name));
  }
}

// Each index is rebuilt for this table and created on its own; failures are reported per index
// like PocketBase's createCollectionIndexes.
void create_indexes_checked(Connection& conn, const Collection& c) {
  ValidationErrors errs;
  for (size_t i = 0; i < c.indexes.size(); ++i) {
    IndexDef parsed = parse_index(c.indexes[i]);
    parsed.table = c.name;
    parsed.schema_name.clear();
    if (!parsed.valid()) {
      errs.add(std::to_string(i), ValidationError{"validation_invalid_index_expression", "Invalid CREATE INDEX expression.", {}});
      continue;
    }
    try {
      schema::exec_single_statement(conn, parsed.build());
    } catch (const Error& e) {
      errs.add(std::to_string(i), ValidationError{"validation_invalid_index_expression",
                                                  "Failed to create index " + parsed.name + " - " + e.what() + ".", {}});
    }
  }
  if (!errs.empty()) {
    ValidationErrors out;
    out.add("indexes", std::move(errs));
    throw MigrationRefused(std::move(out));
  }
}

bool multiple(const Field* f) { return f && f->is_multi_capable() && f->is_multiple(); }

// Multiple → single would keep only each record's last value: refused while any record holds
// more than one (runs before any DDL, on the stored table and column names).
void refuse_lossy_single_conversion(Connection& conn, const Collection& c, const Collection& old) {
  ValidationErrors fields;
  for (size_t i = 0; i < c.fields.size(); ++i) {
    const Field& f = c.fields[i];
    const Field* was = old.field_by_id(f.id);
    if (!multiple(was) || multiple(&f) || !f.is_multi_capable()) continue;
    const std::string col = quote_ident(was->name);
    auto st = conn.prepare("SELECT COUNT(*) FROM " + quote_ident(old.name) + " WHERE json_valid(" + col +
                           ") AND json_type(" + col + ") = 'array' AND json_array_length(" + col + ") > 1");
    int64_t n = st.step() ? st.get_int(0) : 0;
    if (n == 0) continue;
    ValidationErrors field;
    field.add("maxSelect", ValidationError{"validation_multiple_values_would_be_lost",
                                           std::to_string(n) +
                                               " record(s) hold more than one value; reduce them to one before "
                                               "making the field single",
                                           json::Value(json::Object{{"records", n}})});
    fields.add(std::to_string(i), std::move(field));
  }
  if (!fields.empty()) {
    ValidationErrors out;
    out.add("fields", std::move(fields));
    throw MigrationRefused(std::move(out));
  }
}

// A column name not used by any field of either version.
std::string temp_column(const Collection& c, const Collection& old, const std::string& name, int& counter) {
  for (;;) {
    std::string t = name + "_tmp" + std::to_string(counter++);
    bool used = c.field(t) || old.field(t);
    if (!used) return t;
  }
}

// PocketBase's normalizeSingleVsMultipleFieldChanges: the column is recreated with the new type
// and the values wrapped into / unwrapped from a JSON array. Views are dropped around it (they
// would otherwise pin the old column) and restored from their stored SQL.
void convert_single_multiple(Connection& conn, const Collection& c, const Collection& old) {
  int counter = 0;
  for (const Field& f : c.fields) {
    const Field* was = old.field_by_id(f.id);
    if (!was || !f.is_multi_capable()) continue;
    const bool was_multi = multiple(was), now_multi = multiple(&f);
    if (was_multi == now_multi) continue;

    std::vector<std::pair<std::string, std::string>> views;
    {
      auto st = conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'view' AND sql IS NOT NULL");
      while (st.step()) views.emplace_back(st.get_text(0), st.get_text(1));
    }
    for (const auto& v : views) conn.exec("DROP VIEW IF EXISTS " + quote_ident(v.first));

    const std::string table = quote_ident(c.name);
    const std::string col = quote_ident(f.name);
    const std::string tmp = quote_ident("_" + temp_column(c, old, f.name, counter));
    conn.exec("ALTER TABLE " + table + " RENAME COLUMN " + col + " TO " + tmp);
    conn.exec("ALTER TABLE " + table + " ADD COLUMN " + col + " " + column_definition(f));
    if (now_multi) {
      conn.exec("UPDATE " + table + " SET " + col + " = (CASE WHEN COALESCE(" + tmp + ", '') = '' THEN '[]' ELSE (CASE WHEN json_valid(" +
                tmp + ") AND json_type(" + tmp + ") = 'array' THEN " + tmp + " ELSE json_array(" + tmp + ") END) END)");
    } else {
      conn.exec("UPDATE " + table + " SET " + col + " = (CASE WHEN COALESCE(" + tmp + ", '[]') = '[]' THEN '' ELSE (CASE WHEN json_valid(" +
                tmp + ") AND json_type(" + tmp + ") = 'array' THEN COALESCE(json_extract(" + tmp +
                ", '$[#-1]'), '') ELSE " + tmp + " END) END)");
    }
    conn.exec("ALTER TABLE " + table + " DROP COLUMN " + tmp);
    for (const auto& v : views) schema::exec_single_statement(conn, v.second);
  }
}

}  // namespace

Savepoint::Savepoint(Connection& conn, std::string name) : conn_(conn), name_(std::move(name)) {
  conn_.exec("SAVEPOINT " + quote_ident(name_));
}

Savepoint::~Savepoint() {
  if (done_) return;
  try {
    conn_.exec("ROLLBACK TO " + quote_ident(name_));
    conn_.exec("RELEASE " + quote_ident(name_));
  } catch (...) {
  }
}

void Savepoint::release() {
  conn_.exec("RELEASE " + quote_ident(name_));
  done_ = true;
}

void write_collection_row(Connection& conn, const Collection& c, bool insert) {
  Statement st = conn.prepare(
      insert ? "INSERT INTO `_collections` (system, type, name, fields, indexes, listRule, viewRule, createRule, "
               "updateRule, deleteRule, options, created, updated, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
             : "UPDATE `_collections` SET system = ?, type = ?, name = ?, fields = ?, indexes = ?, listRule = ?, "
               "viewRule = ?, createRule = ?, updateRule = ?, deleteRule = ?, options = ?, created = ?, updated = ? "
               "WHERE id = ?");
  auto rule = [&](int i, const std::optional<std::string>& r) {
    if (r) st.bind(i, std::string_view(*r));
    else st.bind(i, nullptr);
  };
  st.bind(1, c.system ? 1 : 0).bind(2, schema::collection_type_name(c.type)).bind(3, std::string_view(c.name));
  st.bind(4, fields_json(c.fields)).bind(5, indexes_json(c.indexes));
  rule(6, c.list_rule);
  rule(7, c.view_rule);
  rule(8, c.create_rule);
  rule(9, c.update_rule);
  rule(10, c.delete_rule);
  st.bind(11, json::dump(schema::collection_options_to_json(c)));
  st.bind(12, std::string_view(c.created)).bind(13, std::string_view(c.updated)).bind(14, std::string_view(c.id));
  st.step();
}

void sync_record_table(Connection& conn, const Collection& c, const Collection* old) {
  if (c.is_view()) return;
  if (!old || !table_exists(conn, old->name)) {
    conn.exec(create_table_sql(c));
    create_indexes_checked(conn, c);
    return;
  }

  refuse_lossy_single_conversion(conn, c, *old);

  const bool rename = !http::iequals(old->name, c.name);
  const bool indexes_changed = rename || fields_json(old->fields) != fields_json(c.fields) ||
                               indexes_json(old->indexes) != indexes_json(c.indexes);
  if (indexes_changed) drop_indexes(conn, *old);
  const std::string table = quote_ident(c.name);
  if (rename) conn.exec("ALTER TABLE " + quote_ident(old->name) + " RENAME TO " + table);

  for (const Field& was : old->fields) {
    if (c.field_by_id(was.id)) continue;
    try {
      conn.exec("ALTER TABLE " + table + " DROP COLUMN " + quote_ident(was.name));
    } catch (const Error& e) {
      throw Error(e.code, "failed to drop column " + was.name + " - " + e.what());
    }
  }

  // New and renamed columns go through temporary names first, so swapped names (a, b → b, a)
  // never collide.
  std::vector<std::pair<std::string, std::string>> to_rename;
  int counter = 0;
  for (const Field& f : c.fields) {
    const Field* was = old->field_by_id(f.id);
    if (was && was->name == f.name) continue;
    const std::string tmp = temp_column(c, *old, f.name, counter);
    try {
      if (!was) conn.exec("ALTER TABLE " + table + " ADD COLUMN " + quote_ident(tmp) + " " + column_definition(f));
      else conn.exec("ALTER TABLE " + table + " RENAME COLUMN " + quote_ident(was->name) + " TO " + quote_ident(tmp));
    } catch (const Error& e) {
      throw Error(e.code, std::string(was ? "failed to rename column " : "failed to add column ") +
                              (was ? was->name : f.name) + " - " + e.what());
    }
    to_rename.emplace_back(tmp, f.name);
  }
  for (const auto& [tmp, name] : to_rename)
    conn.exec("ALTER TABLE " + table + " RENAME COLUMN " + quote_ident(tmp) + " TO " + quote_ident(name));

  convert_single_multiple(conn, c, *old);
  if (indexes_changed) create_indexes_checked(conn, c);
}

void persist_collection(Connection& conn, const schema::Schema& schema, Collection& c, const Collection* old) {
  if (c.is_view()) {
    std::vector<Field> fields = schema::infer_view_fields(conn, schema, c.view_query);
    if (old) schema::drop_sql_view(conn, old->name);
    const std::string select = schema::view_query_with_text_id(conn, c.view_query);
    schema::create_sql_view(conn, c.name, select);
    c.fields = std::move(fields);
  }
  write_collection_row(conn, c, old == nullptr);
  if (!c.is_view()) sync_record_table(conn, c, old);
}

void delete_collection(Connection& conn, const Collection& c) {
  if (c.is_view()) schema::drop_sql_view(conn, c.name);
  else conn.exec("DROP TABLE IF EXISTS " + quote_ident(c.name));
  auto st = conn.prepare("DELETE FROM `_collections` WHERE id = ?");
  st.bind(1, std::string_view(c.id));
  st.step();
}

std::vector<std::string> resave_dependent_views(Connection& conn, std::string_view exclude_id) {
  std::vector<std::string> failures;
  auto current = schema::Schema::load(conn);
  for (const auto& view : current->all()) {
    if (!view->is_view() || view->id == exclude_id) continue;
    Savepoint sp(conn, "larder_view_resave");
    try {
      // Each save sees the views saved before it.
      auto latest = schema::Schema::load(conn);
      std::vector<Field> fields = schema::infer_view_fields(conn, *latest, view->view_query);
      auto without_ids = [](std::vector<Field> list) {
        for (auto& f : list) f.id.clear();
        std::string s = fields_json(list);
        for (char& ch : s)
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        return s;
      };
      if (without_ids(fields) == without_ids(view->fields)) {
        sp.release();
        continue;
      }
      Collection updated = *view;
      schema::prepare_for_save(conn, updated, false, false, util::format_datetime(util::now_utc()));
      schema::ValidateOptions opts;
      opts.original = view.get();
      schema::ValidationErrors errs = schema::validate_collection(conn, *latest, updated, opts);
      if (!errs.empty()) throw std::runtime_error(errs.to_string());
      persist_collection(conn, *latest, updated, view.get());
      sp.release();
    } catch (const std::exception& e) {
      failures.push_back("[" + view->name + "] " + e.what());
    }
  }
  return failures;
}

}  // namespace larder::db
