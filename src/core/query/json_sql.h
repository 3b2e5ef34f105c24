// SQL shapes for reading the JSON-encoded columns tolerantly (storage-schema.md §6 "Read
// tolerance": a multi-value column may hold a JSON array, a plain string or ''), mirroring
// PocketBase's tools/dbutils/json.go.
#pragma once

#include "core/query/sql_builder.h"

namespace larder::query {

// json_each over the column's items; a non-array value counts as one item.
Sql json_each_sql(const Sql& col);
// Item count; '' and NULL count 0, a non-array value 1.
Sql json_array_length_sql(const Sql& col);
// JSON_EXTRACT(col, path) for a JSON column, or of {"pb": col} for non-JSON text so that plain
// values still compare. `path` must hold "$..." and `pb_path` "$.pb..." (bound parameters).
Sql json_extract_sql(const Sql& col, Param path, Param pb_path);

}  // namespace larder::query
