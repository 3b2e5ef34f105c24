// relation fields (PocketBase's field_relation.go): the values follow the select list rules
// (select.cpp); validation adds min/max counts and checks that every id exists in the related
// collection's table.
#include <algorithm>

#include "core/record/fields/common.h"

namespace larder::record::fields {

namespace {

// Ids per query: far below SQLite's bound-parameter limit, however large maxSelect is.
constexpr size_t kIdsPerQuery = 500;

// How many rows of `table` have one of `ids`; a failing query finds nothing (PocketBase ignores
// the error and compares a zero count).
size_t count_existing(db::Connection& conn, std::string_view table, const std::vector<std::string>& ids) {
  size_t total = 0;
  try {
    for (size_t start = 0; start < ids.size(); start += kIdsPerQuery) {
      size_t n = std::min(kIdsPerQuery, ids.size() - start);
      std::string sql = "SELECT count(*) FROM " + quote_ident(table) + " WHERE id IN (";
      for (size_t i = 0; i < n; ++i) sql += i ? ",?" : "?";
      sql += ")";
      db::Statement st = conn.prepare(sql);
      for (size_t i = 0; i < n; ++i) st.bind(static_cast<int>(i + 1), ids[start + i]);
      if (st.step()) total += static_cast<size_t>(st.get_int(0));
    }
  } catch (const db::Error&) {
    return 0;
  }
  return total;
}

}  // namespace

std::optional<FieldError> validate_relation(const schema::Field& f, const Draft& d, const ValidateContext& ctx) {
  const json::Value* v = d.record.get(f.name);
  const std::vector<std::string> ids = to_unique_strings(v ? *v : json::Value());
  if (ids.empty()) {
    if (f.required) return required_error();
    return std::nullopt;
  }
  if (f.min_select > 0 && ids.size() < static_cast<size_t>(f.min_select))
    return make_error("validation_not_enough_values", "Select at least " + std::to_string(f.min_select),
                      json::Object{{"minSelect", f.min_select}});
  const int max_select = std::max(f.max_select, 1);
  if (ids.size() > static_cast<size_t>(max_select))
    return make_error("validation_too_many_values", "Select no more than " + std::to_string(max_select),
                      json::Object{{"maxSelect", max_select}});
  const schema::Collection* related = ctx.schema.find(f.collection_id);
  if (!related)
    return make_error("validation_missing_rel_collection", "Relation connection is missing or cannot be accessed");
  if (count_existing(ctx.conn, related->name, ids) != ids.size())
    return make_error("validation_missing_rel_records", "Failed to find all relation records with the provided ids");
  return std::nullopt;
}

}  // namespace larder::record::fields
