// Collection changes applied to SQLite (db/schema_migrate.h), data-driven: collections created
// first, rows inserted, one change (PATCH semantics: JSON merged onto the stored collection),
// then the resulting table (columns and their types), the rows, the indexes, the inferred view
// fields — or the refusal and an untouched table. Runs on fresh in-memory databases and on a
// temporary copy of PocketBase's own test data.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/db/bootstrap.h"
#include "core/db/schema_migrate.h"
#include "core/db/schema_sql.h"
#include "core/json/json.h"
#include "core/schema/collection_input.h"
#include "core/schema/collection_validate.h"
#include "core/schema/view_fields.h"
#include "core/util/datetime.h"

namespace {

using namespace larder;
using schema::Collection;

std::string now() { return util::format_datetime(util::now_utc()); }

std::filesystem::path fixture_db() {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "fixtures" / "pocketbase-testdata" / "data.db";
}

// Saves `c` the way the API does (normalise, validate, apply) in one transaction; a refusal or
// an SQL error rolls everything back and is rethrown.
void save(db::Connection& conn, Collection& c, const Collection* old, bool auto_id = true) {
  db::Transaction tx(conn);
  auto current = schema::Schema::load(conn);
  schema::prepare_for_save(conn, c, old == nullptr, auto_id && !old, now());
  schema::ValidateOptions opts;
  opts.original = old;
  auto errs = schema::validate_collection(conn, *current, c, opts);
  if (!errs.empty()) throw db::MigrationRefused(std::move(errs));
  db::persist_collection(conn, *current, c, old);
  db::resave_dependent_views(conn, c.id);
  tx.commit();
}

Collection create(db::Connection& conn, std::string_view json_text) {
  json::Object body = json::parse(json_text).as_object();
  const json::Value* t = body.find("type");
  auto type = schema::collection_type_from_name(t ? t->as_string() : "base").value_or(schema::CollectionType::Base);
  Collection c = schema::new_collection(type, body.find("name")->as_string());
  EXPECT_TRUE(schema::apply_collection_json(c, body).ok);
  save(conn, c, nullptr);
  return c;
}

// PATCH: the change merged onto the stored collection.
void change(db::Connection& conn, std::string_view name, std::string_view json_text) {
  auto current = schema::Schema::load(conn);
  const Collection* stored = current->find(name);
  ASSERT_NE(stored, nullptr) << name;
  Collection c = *stored;
  ASSERT_TRUE(schema::apply_collection_json(c, json::parse(json_text).as_object(), stored).ok);
  save(conn, c, stored, false);
}

// "name TYPE, ..." in table order.
std::string columns(db::Connection& conn, std::string_view table) {
  auto st = conn.prepare("SELECT name, type FROM pragma_table_info(?)");
  st.bind(1, table);
  std::string out;
  while (st.step()) {
    if (!out.empty()) out += ", ";
    out += st.get_text(0) + " " + st.get_text(1);
  }
  return out;
}

// Rows of a query as "a|b;c|d" (NULL as "∅").
std::string rows(db::Connection& conn, const std::string& sql) {
  auto st = conn.prepare(sql);
  std::string out;
  while (st.step()) {
    if (!out.empty()) out += ";";
    for (int i = 0; i < st.column_count(); ++i) {
      if (i) out += "|";
      out += st.is_null(i) ? "∅" : st.get_text(i);
    }
  }
  return out;
}

std::string indexes(db::Connection& conn, std::string_view table) {
  return rows(conn, "SELECT COALESCE(group_concat(name, ','), '') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND "
                    "sql IS NOT NULL AND tbl_name = '" +
                        std::string(table) + "' ORDER BY name)");
}

std::string view_fields(db::Connection& conn, std::string_view name) {
  auto s = schema::Schema::load(conn);
  const Collection* c = s->find(name);
  if (!c) return "<missing>";
  std::string out;
  for (const auto& f : c->fields) {
    if (!out.empty()) out += ",";
    out += f.name + ":" + std::string(schema::field_type_name(f.type));
    if (f.type == schema::FieldType::Number && f.only_int) out += "(int)";
    if (f.type == schema::FieldType::Relation) out += "->" + f.collection_id;
    if (f.type == schema::FieldType::Text && f.max > 0) out += "(max" + std::to_string(f.max) + ")";
  }
  return out;
}

struct Case {
  const char* name;
  std::vector<const char*> setup;  // collections created first (JSON)
  std::vector<const char*> inserts;
  const char* collection;          // the one changed and checked
  const char* change;              // JSON merged onto it, or nullptr
  const char* refused;             // "path=code" of a refusal, "sql" for an SQL error, or nullptr
  const char* table;               // table/view checked (default: collection)
  const char* columns;             // expected columns, or nullptr
  const char* data_sql;            // query for the rows, or nullptr
  const char* data;
  const char* indexes;             // expected index names, or nullptr
  const char* fields;              // expected fields of the view collection `table`, or nullptr
};

std::string refusal_of(const db::MigrationRefused& e) {
  // The first leaf of the error tree, as "path=code".
  std::string path;
  json::Value v = e.errors.to_json();
  while (v.is_object() && !v.find("code")) {
    auto& o = v.as_object();
    if (o.empty()) break;
    path += (path.empty() ? "" : ".") + o.begin()->first;
    json::Value next = o.begin()->second;
    v = std::move(next);
  }
  const json::Value* code = v.find("code");
  return path + "=" + (code ? code->as_string() : "?");
}

void run(db::Connection& conn, const Case& c) {
  for (const char* s : c.setup) create(conn, s);
  for (const char* sql : c.inserts) conn.exec(sql);
  const std::string table = c.table ? c.table : c.collection;
  const std::string before_cols = columns(conn, table);
  // Only a refused change is compared with the state before it; the data query of an accepted
  // one may name columns or tables that exist only afterwards.
  const std::string before_rows = c.refused && c.data_sql ? rows(conn, c.data_sql) : "";
  if (c.change) {
    std::string outcome = "ok";
    try {
      change(conn, c.collection, c.change);
    } catch (const db::MigrationRefused& e) {
      outcome = refusal_of(e);
    } catch (const db::Error& e) {
      outcome = std::string("sql: ") + e.what();
    } catch (const schema::ViewError& e) {
      outcome = std::string("sql: ") + e.what();
    }
    if (!c.refused) {
      ASSERT_EQ(outcome, "ok") << c.name;
    } else if (std::string(c.refused) == "sql") {
      ASSERT_EQ(outcome.rfind("sql: ", 0), 0u) << c.name << ": " << outcome;
    } else {
      ASSERT_EQ(outcome, c.refused) << c.name;
    }
    if (c.refused) {
      // Rolled back: the table is as it was.
      EXPECT_EQ(columns(conn, table), before_cols) << c.name;
      if (c.data_sql) { EXPECT_EQ(rows(conn, c.data_sql), before_rows) << c.name; }
    }
  }
  if (c.columns) { EXPECT_EQ(columns(conn, table), c.columns) << c.name; }
  if (c.data_sql) { EXPECT_EQ(rows(conn, c.data_sql), c.data) << c.name; }
  if (c.indexes) { EXPECT_EQ(indexes(conn, table), c.indexes) << c.name; }
  if (c.fields) { EXPECT_EQ(view_fields(conn, table), c.fields) << c.name; }
}

const char* kPosts = R"J({"name":"posts","fields":[{"name":"title","type":"text"}],"indexes":["CREATE INDEX idx_title ON posts (title)"]})J";
const char* kAb = R"J({"name":"ab","fields":[{"name":"a","type":"text"},{"name":"b","type":"text"}]})J";
const char* kSel = R"J({"name":"sel","fields":[{"name":"one","type":"select","values":["a","b"]},{"name":"many","type":"select","values":["a","b"],"maxSelect":2}]})J";

const std::vector<Case>& fresh_cases() {
  static const std::vector<Case> cases = {
      {"create: columns alphabetical, types per field",
       {R"J({"name":"all","fields":[{"name":"title","type":"text"},{"name":"n","type":"number"},{"name":"ok","type":"bool"},{"name":"tags","type":"select","values":["a","b"],"maxSelect":2},{"name":"one","type":"select","values":["a","b"]},{"name":"meta","type":"json"},{"name":"pt","type":"geoPoint"},{"name":"at","type":"autodate","onCreate":true}],"indexes":["CREATE INDEX idx_n ON anything (n)"]})J"},
       {}, "all", nullptr, nullptr, nullptr,
       "at TEXT, id TEXT, meta JSON, n NUMERIC, ok BOOLEAN, one TEXT, pt JSON, tags JSON, title TEXT", nullptr, nullptr,
       "idx_n", nullptr},
      // The client renames the column in the index too (PocketBase's admin UI does; the server
      // never rewrites index definitions).
      {"rename a field: data kept", {kPosts}, {"INSERT INTO posts (id, title) VALUES ('r1', 'hello')"}, "posts",
       R"J({"fields":[{"id":"text724990059","name":"heading","type":"text"}],"indexes":["CREATE INDEX idx_title ON posts (heading)"]})J",
       nullptr, nullptr, "id TEXT, heading TEXT", "SELECT id, heading FROM posts", "r1|hello", "idx_title", nullptr},
      {"swap two names: data follows the ids", {kAb}, {"INSERT INTO ab (id, a, b) VALUES ('r1', 'A', 'B')"}, "ab",
       R"J({"fields":[{"id":"text3904355907","name":"b","type":"text"},{"id":"text1908338681","name":"a","type":"text"}]})J",
       // Renames keep column positions (as in PocketBase): the first column is now `b`.
       nullptr, nullptr, "b TEXT, a TEXT, id TEXT", "SELECT id, a, b FROM ab", "r1|B|A", nullptr, nullptr},
      {"drop a field", {kAb}, {"INSERT INTO ab (id, a, b) VALUES ('r1', 'A', 'B')"}, "ab",
       R"J({"fields":[{"name":"a","type":"text"}]})J", nullptr, nullptr, "a TEXT, id TEXT", "SELECT id, a FROM ab", "r1|A",
       nullptr, nullptr},
      {"add a field to existing rows", {kPosts}, {"INSERT INTO posts (id, title) VALUES ('r1', 'hello')"}, "posts",
       R"J({"fields":[{"name":"title","type":"text"},{"name":"n","type":"number"}]})J", nullptr, nullptr,
       "id TEXT, title TEXT, n NUMERIC", "SELECT id, title, n FROM posts", "r1|hello|0", "idx_title", nullptr},
      {"field sent without id keeps its column and data", {kPosts},
       {"INSERT INTO posts (id, title) VALUES ('r1', 'hello')"}, "posts",
       R"J({"fields":[{"name":"title","type":"text","max":10}]})J", nullptr, nullptr, "id TEXT, title TEXT",
       "SELECT id, title FROM posts", "r1|hello", nullptr, nullptr},
      {"same name, other type, no id: a new column", {kPosts}, {"INSERT INTO posts (id, title) VALUES ('r1', 'hello')"},
       "posts", R"J({"fields":[{"name":"title","type":"number"}],"indexes":[]})J", nullptr, nullptr,
       "id TEXT, title NUMERIC", "SELECT id, title FROM posts", "r1|0", "", nullptr},
      {"single -> multiple wraps values", {kSel},
       {"INSERT INTO sel (id, one) VALUES ('r1', 'a')", "INSERT INTO sel (id, one) VALUES ('r2', '')"}, "sel",
       R"J({"fields":[{"name":"one","type":"select","values":["a","b"],"maxSelect":2},{"name":"many","type":"select","values":["a","b"],"maxSelect":2}]})J",
       nullptr, nullptr, "id TEXT, many JSON, one JSON", "SELECT id, one FROM sel ORDER BY id", "r1|[\"a\"];r2|[]",
       nullptr, nullptr},
      {"multiple -> single unwraps single values", {kSel},
       {R"(INSERT INTO sel (id, many) VALUES ('r1', '["b"]'))", "INSERT INTO sel (id, many) VALUES ('r2', '[]')"}, "sel",
       R"J({"fields":[{"name":"one","type":"select","values":["a","b"]},{"name":"many","type":"select","values":["a","b"],"maxSelect":1}]})J",
       nullptr, nullptr, "id TEXT, one TEXT, many TEXT", "SELECT id, many FROM sel ORDER BY id", "r1|b;r2|", nullptr,
       nullptr},
      {"multiple -> single refused when values would be lost", {kSel},
       {R"(INSERT INTO sel (id, many) VALUES ('r1', '["a","b"]'))"}, "sel",
       R"J({"fields":[{"name":"one","type":"select","values":["a","b"]},{"name":"many","type":"select","values":["a","b"],"maxSelect":1}]})J",
       "fields.2.maxSelect=validation_multiple_values_would_be_lost", nullptr, "id TEXT, many JSON, one TEXT",
       "SELECT id, many FROM sel", "r1|[\"a\",\"b\"]", nullptr, nullptr},
      {"rename the collection: table, data and indexes follow", {kPosts},
       {"INSERT INTO posts (id, title) VALUES ('r1', 'hello')"}, "posts", R"J({"name":"articles"})J", nullptr, "articles",
       "id TEXT, title TEXT", "SELECT id, title FROM articles", "r1|hello", "idx_title", nullptr},
      {"unique index over duplicates is refused", {kPosts},
       {"INSERT INTO posts (id, title) VALUES ('r1', 'x')", "INSERT INTO posts (id, title) VALUES ('r2', 'x')"}, "posts",
       R"J({"indexes":["CREATE UNIQUE INDEX idx_u ON posts (title)"]})J",
       "indexes.0=validation_invalid_index_expression", nullptr, "id TEXT, title TEXT",
       "SELECT id, title FROM posts ORDER BY id", "r1|x;r2|x", "idx_title", nullptr},
      {"index with a second statement is refused", {kPosts}, {}, "posts",
       R"J({"indexes":["CREATE INDEX idx_x ON posts (title) WHERE 1; DROP TABLE users"]})J",
       "indexes.0=validation_invalid_index_expression", nullptr, nullptr, "SELECT count(*) FROM users", "0", "idx_title",
       nullptr},
      {"view: fields from the query",
       {kPosts, R"J({"name":"v","type":"view","viewQuery":"select id, title, count(id) as c, cast(title as int) ci, id as ref, 1 + 1 as two from posts group by id"})J"},
       {}, "v", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
       "id:text,title:text,c:number(int),ci:number(int),ref:relation->pbc_1125843985,two:json"},
      {"view: a join keeps the source field types",
       {kPosts, R"J({"name":"v","type":"view","viewQuery":"select p.id, u.email, u.verified as ok from posts p left join users u on u.id = p.title"})J"},
       {}, "v", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "id:text,email:email,ok:bool"},
      {"view: a numeric id is cast to text",
       {R"J({"name":"v","type":"view","viewQuery":"select (ROW_NUMBER() OVER()) as id, email from users"})J"},
       // tokenKey has a unique index and defaults to '' (as in PocketBase): raw inserts need one each.
       {"INSERT INTO users (id, email, tokenKey) VALUES ('u1', 'a@example.com', 'k1'), ('u2', 'b@example.com', 'k2')"}, "v", nullptr, nullptr,
       nullptr, nullptr, "SELECT id, typeof(id) FROM v ORDER BY id", "1|text;2|text", nullptr, "id:text,email:email"},
      {"view: query change re-infers fields", {kPosts, R"J({"name":"v","type":"view","viewQuery":"select id from posts"})J"},
       {}, "v", R"J({"viewQuery":"select id, title as t from posts"})J", nullptr, nullptr, "id TEXT, t TEXT", nullptr,
       nullptr, nullptr, "id:text,t:text"},
      {"view: renamed with the collection", {kPosts, R"J({"name":"v","type":"view","viewQuery":"select id from posts"})J"},
       {}, "v", R"J({"name":"w"})J", nullptr, "w", "id TEXT", nullptr, nullptr, nullptr, nullptr},
      {"dropping a column a view reads fails", {kAb, R"J({"name":"v","type":"view","viewQuery":"select id, b from ab"})J"},
       {}, "ab", R"J({"fields":[{"name":"a","type":"text"}]})J", "sql", nullptr, "a TEXT, b TEXT, id TEXT", nullptr, nullptr,
       nullptr, nullptr},
      {"a dependent view is re-saved with the new field type",
       {kAb, R"J({"name":"v","type":"view","viewQuery":"select id, a from ab"})J"}, {}, "ab",
       R"J({"fields":[{"name":"a","type":"text","max":5},{"name":"b","type":"text"}]})J", nullptr, "v", nullptr, nullptr,
       nullptr, nullptr, "id:text,a:text(max5)"},
      {"rename a field an index still names: refused, as in PocketBase", {kPosts},
       {"INSERT INTO posts (id, title) VALUES ('r1', 'hello')"}, "posts",
       R"J({"fields":[{"id":"text724990059","name":"heading","type":"text"}]})J",
       "indexes.0=validation_invalid_index_expression", nullptr, "id TEXT, title TEXT", "SELECT id, title FROM posts",
       "r1|hello", "idx_title", nullptr},
  };
  return cases;
}

class SchemaMigrateFresh : public ::testing::TestWithParam<Case> {};

TEST_P(SchemaMigrateFresh, Applies) {
  db::Connection conn(":memory:");
  db::bootstrap_data_db(conn);
  run(conn, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Table, SchemaMigrateFresh, ::testing::ValuesIn(fresh_cases()),
                         [](const ::testing::TestParamInfo<Case>& p) { return "case" + std::to_string(p.index); });

const std::vector<Case>& fixture_cases() {
  static const std::vector<Case> cases = {
      {"rename a collection with records and relations to it", {}, {}, "demo2", R"J({"name":"demo2x"})J", nullptr,
       "demo2x", nullptr, "SELECT count(*) FROM demo2x", "3", nullptr, nullptr},
      {"single -> multiple on PocketBase data", {}, {}, "demo5",
       R"J({"fields":[{"id":"_pbf_text_id_","name":"id","type":"text","primaryKey":true,"pattern":"^[a-z0-9]+$","system":true,"required":true},{"id":"sozvpexq","name":"select_one","type":"select","values":["a","b","c","d"],"maxSelect":2},{"id":"qlq1nxlc","name":"select_many","type":"select","values":["a","b","c","d","e"],"maxSelect":5},{"cascadeDelete":false,"collectionId":"4d1blo5cuycfaca","id":"ajrrsq1a","maxSelect":1,"name":"rel_one","type":"relation"},{"cascadeDelete":false,"collectionId":"4d1blo5cuycfaca","id":"soxhs0ou","maxSelect":5,"name":"rel_many","type":"relation"},{"id":"kvbyzuqj","name":"total","type":"number"},{"id":"ob7dsrcl","maxSelect":1,"name":"file","type":"file"},{"id":"_pbf_autodate_created_","name":"created","onCreate":true,"type":"autodate"},{"id":"_pbf_autodate_updated_","name":"updated","onCreate":true,"onUpdate":true,"type":"autodate"}]})J",
       nullptr, nullptr, nullptr, "SELECT select_one FROM demo5 ORDER BY id", "[];[\"b\"]", nullptr, nullptr},
      {"multiple -> single refused on PocketBase data", {}, {}, "demo5",
       R"J({"fields":[{"id":"_pbf_text_id_","name":"id","type":"text","primaryKey":true,"pattern":"^[a-z0-9]+$","system":true,"required":true},{"id":"sozvpexq","name":"select_one","type":"select","values":["a","b","c","d"],"maxSelect":1},{"id":"qlq1nxlc","name":"select_many","type":"select","values":["a","b","c","d","e"],"maxSelect":1},{"cascadeDelete":false,"collectionId":"4d1blo5cuycfaca","id":"ajrrsq1a","maxSelect":1,"name":"rel_one","type":"relation"},{"cascadeDelete":false,"collectionId":"4d1blo5cuycfaca","id":"soxhs0ou","maxSelect":5,"name":"rel_many","type":"relation"},{"id":"kvbyzuqj","name":"total","type":"number"},{"id":"ob7dsrcl","maxSelect":1,"name":"file","type":"file"},{"id":"_pbf_autodate_created_","name":"created","onCreate":true,"type":"autodate"},{"id":"_pbf_autodate_updated_","name":"updated","onCreate":true,"onUpdate":true,"type":"autodate"}]})J",
       "fields.2.maxSelect=validation_multiple_values_would_be_lost", nullptr, nullptr,
       "SELECT select_many FROM demo5 ORDER BY id", "[];[\"b\",\"c\",\"a\"]", nullptr, nullptr},
      {"a new view over PocketBase views", {R"J({"name":"v3","type":"view","viewQuery":"select id, state, rel_many from view2"})J"},
       {}, "v3", nullptr, nullptr, nullptr, nullptr, "SELECT count(*) FROM v3", "3", nullptr,
       "id:text,state:bool,rel_many:relation->_pb_users_auth_"},
  };
  return cases;
}

class SchemaMigrateFixture : public ::testing::TestWithParam<Case> {};

TEST_P(SchemaMigrateFixture, Applies) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("larder-migrate-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                    std::to_string(reinterpret_cast<uintptr_t>(&GetParam())));
  std::filesystem::create_directories(dir);
  const auto path = dir / "data.db";
  std::filesystem::copy_file(fixture_db(), path, std::filesystem::copy_options::overwrite_existing);
  {
    db::Connection conn(path.string());
    run(conn, GetParam());
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Table, SchemaMigrateFixture, ::testing::ValuesIn(fixture_cases()),
                         [](const ::testing::TestParamInfo<Case>& p) { return "case" + std::to_string(p.index); });

TEST(SchemaMigrate, ViewQueryMustBeOneStatement) {
  db::Connection conn(":memory:");
  db::bootstrap_data_db(conn);
  EXPECT_THROW(schema::exec_single_statement(conn, "SELECT 1; DROP TABLE users"), db::Error);
  EXPECT_EQ(rows(conn, "SELECT count(*) FROM sqlite_master WHERE name = 'users'"), "1");
  EXPECT_THROW(schema::normalize_view_query("select 1 as id; drop table users"), schema::ViewError);
  EXPECT_EQ(schema::normalize_view_query("  select ';' as id ;; "), "select ';' as id ");
}

TEST(SchemaMigrate, SelectList) {
  EXPECT_EQ(schema::select_list("SELECT DISTINCT a.id, count(b.x) AS c, cast(y as int) z FROM t WHERE q = 'from'"),
            (std::vector<std::string>{"a.id", "count(b.x) AS c", "cast(y as int) z"}));
  EXPECT_EQ(schema::select_list("with w as (select 1 as q from t) select w.q as id, (select 2) two from w"),
            (std::vector<std::string>{"w.q as id", "(select 2) two"}));
}

TEST(SchemaMigrate, DeleteCollection) {
  db::Connection conn(":memory:");
  db::bootstrap_data_db(conn);
  Collection posts = create(conn, kPosts);
  {
    db::Transaction tx(conn);
    db::delete_collection(conn, posts);
    tx.commit();
  }
  EXPECT_EQ(rows(conn, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'posts'"), "0");
  EXPECT_EQ(rows(conn, "SELECT count(*) FROM _collections WHERE name = 'posts'"), "0");
}

}  // namespace
