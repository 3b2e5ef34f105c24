// View collections: the SQL view behind them and the fields inferred from their SELECT
// (storage-schema.md §5.4).
//
// Inference asks SQLite rather than parsing SQL: the query is prepared as
// `SELECT * FROM (<query>) LIMIT 0` and, per result column, SQLite reports the name and — built
// with SQLITE_ENABLE_COLUMN_METADATA — the table and column it comes from (through joins,
// subqueries and other views). A column from a collection table keeps that field's type and
// options (a source `id` becomes a single relation to that collection); the column named `id` is
// the primary key; count()/total()/CAST(... AS type) columns become number/text/bool; anything
// else is json. Only those expression shapes and a `*` column are read from the query text.
//
// The view query is superuser-provided SQL by design (as in PocketBase). It only ever reaches
// SQLite wrapped in one statement that is prepared first, and any text after that statement is
// refused, so it cannot smuggle a second statement.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/sqlite.h"
#include "core/schema/schema.h"

namespace larder::schema {

// A view query SQLite or the inference refuses. what() is the raw error PocketBase would show
// after "Invalid query - " or "Raw error: ".
struct ViewError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Trims spaces and ';' at both ends; refuses a query with another statement after a ';'.
std::string normalize_view_query(std::string_view query);

// The top-level SELECT's column expressions as written (empty when there is no SELECT list).
std::vector<std::string> select_list(std::string_view query);

// The fields of a view over `query`, in column order. Throws ViewError (SQL error, a `*` column,
// no `id` column); `partial`, when given, receives the fields inferred before an `id` check
// failed (PocketBase validates those).
std::vector<Field> infer_view_fields(db::Connection& conn, const Schema& schema, std::string_view query,
                                     std::vector<Field>* partial = nullptr);

// PocketBase's normalizeViewQueryId: `query` itself when its id column is declared TEXT, else
// wrapped so that id is CAST to TEXT (ids are strings everywhere else).
std::string view_query_with_text_id(db::Connection& conn, std::string_view query);

// (Re)creates the SQL view `name` AS SELECT * FROM (<query>) and checks SQLite can read it.
void create_sql_view(db::Connection& conn, std::string_view name, std::string_view query);
void drop_sql_view(db::Connection& conn, std::string_view name);

// PocketBase's DryRunView minus the sample records: normalises the query, infers and validates
// its fields, and checks the first `sample_size` rows have non-empty, distinct ids. Returns the
// fields and the SELECT to read sample rows from (id cast to TEXT when needed).
struct DryRunView {
  std::vector<Field> fields;
  std::string select;
};
DryRunView dry_run_view(db::Connection& conn, const Schema& schema, std::string_view query, int sample_size);

// Runs exactly one statement: prepared first, refused if anything but spaces follows it.
void exec_single_statement(db::Connection& conn, std::string_view sql);

}  // namespace larder::schema
