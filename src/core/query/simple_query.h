// Filter and sort over a plain system table (filter-and-rules.md §5): the `/api/collections`
// and `/api/logs` lists. Only the listed columns resolve; `json_columns` also accept
// `<col>.<path>` (JSON_EXTRACT). Macros, literals and functions work as in record filters; there
// is no @request, no relation, no modifier.
//
//   SimpleQuery q("_collections", {"id", "created", "updated", "name", "system", "type"});
//   q.where(filter); q.sort(sort);
//   conn.prepare(q.select_sql(per_page, offset)).bind(q.params()) ...
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/sqlite.h"
#include "core/query/errors.h"

namespace larder::query {

class SimpleQuery {
 public:
  // `table` and the column names are Larder's own (^\w+$).
  SimpleQuery(std::string_view table, std::vector<std::string> columns, std::vector<std::string> json_columns = {});
  ~SimpleQuery();
  SimpleQuery(SimpleQuery&&) noexcept;
  SimpleQuery& operator=(SimpleQuery&&) noexcept;

  // Same contracts as RecordQuery::where / sort (FilterError, all-or-nothing).
  void where(std::string_view filter);
  void sort(std::string_view sort_param);

  // SELECT * FROM `table` [WHERE ...] [ORDER BY ...] [LIMIT/OFFSET]
  std::string select_sql(std::optional<int64_t> limit = std::nullopt, std::optional<int64_t> offset = std::nullopt) const;
  std::string count_sql() const;
  // The bare condition ("" when none) and ORDER BY list ("" when none), for callers that build
  // their own statement (e.g. log stats).
  std::string where_clause() const;
  std::string order_by_clause() const;
  const std::vector<db::NamedParam>& params() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace larder::query
