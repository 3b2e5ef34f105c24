// JSON column expressions (see json_sql.h).
#include "core/query/json_sql.h"

namespace larder::query {

namespace {

// CASE WHEN iif(json_valid(c), json_type(c)='array', FALSE) THEN c ELSE <otherwise> END
Sql array_or(const Sql& c, const Sql& otherwise) {
  Sql s;
  s << "CASE WHEN iif(json_valid(" << c << "), json_type(" << c << ")='array', FALSE) THEN " << c << " ELSE "
    << otherwise << " END";
  return s;
}

}  // namespace

Sql json_each_sql(const Sql& col) {
  Sql single;
  single << "json_array(" << col << ")";
  Sql s;
  s << "json_each(" << array_or(col, single) << ")";
  return s;
}

Sql json_array_length_sql(const Sql& col) {
  Sql other;
  other << "(CASE WHEN " << col << " = '' OR " << col << " IS NULL THEN json_array() ELSE json_array(" << col
        << ") END)";
  Sql s;
  s << "json_array_length(" << array_or(col, other) << ")";
  return s;
}

Sql json_extract_sql(const Sql& col, Param path, Param pb_path) {
  Sql s;
  s << "(CASE WHEN json_valid(" << col << ") THEN JSON_EXTRACT(" << col << ", " << path
    << ") ELSE JSON_EXTRACT(json_object('pb', " << col << "), " << pb_path << ") END)";
  return s;
}

}  // namespace larder::query
