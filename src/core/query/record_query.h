// Building SELECTs over one collection from API rules, client filters and sorts
// (filter-and-rules.md). This is the only way records are queried by user-influenced
// conditions: every literal, macro value and @request value is a bound parameter; identifiers
// come only from the schema (see sql_builder.h).
//
// The main table is aliased by the collection name (FROM `posts`), or by the virtual row's name.
//
// Typical use (records list):
//   RecordQuery q(schema, collection, info);
//   if (!superuser && rule non-empty) q.where(*collection.list_rule);   // rule mode
//   q.set_client_mode(!superuser);
//   q.where(filter_param);                                               // client mode
//   q.sort(sort_param);
//   auto st = conn.prepare(q.select_sql(per_page, offset)); st.bind(q.params());
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/db/sqlite.h"
#include "core/query/errors.h"
#include "core/query/request_info.h"
#include "core/schema/schema.h"

namespace larder::query {

class RecordQuery {
 public:
  // `schema`, `collection` and `info` must outlive the query (it keeps references).
  RecordQuery(const schema::Schema& schema, const schema::Collection& collection, const RequestInfo& info);
  ~RecordQuery();
  RecordQuery(RecordQuery&&) noexcept;
  RecordQuery& operator=(RecordQuery&&) noexcept;

  // Rule mode (default): hidden fields allowed, no relation restrictions — for API rules.
  // Client mode: the restrictions of filter-and-rules.md §9 (2-5) — for the `filter`/`sort`
  // query parameters of non-superusers and realtime subscription filters. Applies to the
  // where()/sort() calls that follow.
  void set_client_mode(bool client);

  // ANDs a filter/rule expression. Throws FilterError (syntax, unknown field, hidden field in
  // client mode, more than 200 comparisons, nesting too deep, ...). An empty string is a no-op
  // (a whitespace-only one is an error, as in PocketBase). On error the query is unchanged.
  void where(std::string_view expression);
  // ANDs a trusted SQL condition written by Larder itself (never user text), e.g.
  // "`posts`.`id` = :rid" with its parameter. Parameter names must not start with "__q".
  void where_sql(std::string sql, std::vector<db::NamedParam> params = {});
  // Adds ORDER BY terms from a `sort` parameter ("-created,title,@random,-@rowid").
  // Throws FilterError on unknown fields, more than 8 terms, or names longer than 255 bytes.
  void sort(std::string_view sort_param);

  // Evaluates against a virtual one-row table instead of the collection's table (the create
  // rule: the record does not exist yet). Columns are field names of the collection (anything
  // else throws FilterError). Must be called before where()/sort().
  void use_virtual_row(std::vector<std::pair<std::string, db::SqlValue>> columns);

  // [WITH ...] SELECT [DISTINCT] `<alias>`.* FROM ... [JOIN ...] WHERE ... ORDER BY ... [LIMIT/OFFSET]
  std::string select_sql(std::optional<int64_t> limit = std::nullopt, std::optional<int64_t> offset = std::nullopt) const;
  // Number of matching rows (distinct rows when joins are present).
  std::string count_sql() const;
  // SELECT 1 ... LIMIT 1: whether any row matches.
  std::string exists_sql() const;
  const std::vector<db::NamedParam>& params() const;

  // The alias of the main table (the collection name, or the virtual row's name).
  const std::string& alias() const;
  // Whether joins were needed (the SELECT is DISTINCT).
  bool has_joins() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace larder::query
