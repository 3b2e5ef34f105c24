// Converting record values between SQLite columns and their normalised form (record.h), with the
// read tolerance PocketBase has for databases written by older versions (storage-schema.md §6):
// NULLs, numbers stored as text, JSON arrays in single-value columns, plain strings in
// multi-value columns, dates in other layouts.
#pragma once

#include <vector>

#include "core/db/sqlite.h"
#include "core/json/json.h"
#include "core/record/record.h"
#include "core/schema/field.h"

namespace larder::record {

// Reads column `col` of the current row as the value of field `f`.
json::Value read_column(const schema::Field& f, const db::Statement& st, int col);
// The zero value of a field ("" / 0 / false / [] / null / {"lon":0,"lat":0}).
json::Value zero_value(const schema::Field& f);
// The SQL value to store for a normalised value.
db::SqlValue to_sql(const schema::Field& f, const json::Value& v);

// Reads whole rows selected as `alias`.* (column names = field names). The column of each field
// is looked up once per statement. Columns that are not fields of the collection are ignored;
// fields without a column get their zero value.
class RowReader {
 public:
  RowReader(const schema::Collection& c, const db::Statement& st);
  Record read() const;

 private:
  const schema::Collection& c_;
  const db::Statement& st_;
  std::vector<int> columns_;  // per field, -1 when absent
};

Record read_record(const schema::Collection& c, const db::Statement& st);

// Go's strconv-style text of a number as PocketBase's cast.ToString writes it (12, 1.5, 1e+21).
std::string number_to_string(double d);

}  // namespace larder::record
