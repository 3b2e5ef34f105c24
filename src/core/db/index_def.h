// Parsing and rebuilding the `CREATE INDEX` strings collections carry in `indexes`
// (storage-schema.md §4.4). PocketBase stores what the user wrote but creates the SQL index from a
// normalised rebuild (table forced to the collection, identifiers back-quoted), and decides
// "is there a unique index on column X" by parsing. Same here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace larder::db {

struct IndexColumn {
  std::string name;     // identifier, or an expression when it contains '(' or ' '
  std::string collate;  // e.g. "NOCASE"
  std::string sort;     // "ASC", "DESC" or ""
};

struct IndexDef {
  bool unique = false;
  bool if_not_exists = false;
  std::string schema_name;
  std::string name;
  std::string table;
  std::vector<IndexColumn> columns;
  std::string where;

  bool valid() const { return !name.empty() && !table.empty() && !columns.empty(); }
  // `CREATE [UNIQUE] INDEX [IF NOT EXISTS] `name` ON `table` (...) [WHERE ...]`, multi-column
  // lists one per line, as PocketBase builds them.
  std::string build() const;
};

// Never throws; an unparsable string gives an invalid IndexDef.
IndexDef parse_index(std::string_view sql);

// A UNIQUE index whose only column is `column` (case-insensitive name match), if any.
std::optional<IndexDef> find_single_column_unique_index(const std::vector<std::string>& indexes, std::string_view column);

}  // namespace larder::db
