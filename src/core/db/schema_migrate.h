// Applying a collection change to SQLite (storage-schema.md §5.4): the `_collections` row, the
// record table (create, rename, drop/add/rename columns by field id, single↔multiple value
// conversion, indexes) or the SQL view, and the view collections that depend on the change.
// Every function runs inside the caller's transaction; nothing here commits.
//
// One change PocketBase makes silently is refused here: turning a multiple select/relation/file
// field into a single one while some record holds more than one value (PocketBase keeps only the
// last value and drops the rest). The client gets a validation error on that field's maxSelect
// and can reduce the values first. Field type changes are already refused by validation, as in
// PocketBase.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/sqlite.h"
#include "core/schema/collection_validate.h"
#include "core/schema/schema.h"

namespace larder::db {

// The database cannot apply the change for a reason that is the client's (an index that cannot
// be created, data that would be lost): answered like a validation failure.
struct MigrationRefused : std::runtime_error {
  schema::ValidationErrors errors;
  explicit MigrationRefused(schema::ValidationErrors e)
      : std::runtime_error("collection change refused"), errors(std::move(e)) {}
};

// SAVEPOINT on construction; rolled back to (and released) unless release() was called.
class Savepoint {
 public:
  Savepoint(Connection& conn, std::string name);
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  void release();

 private:
  Connection& conn_;
  std::string name_;
  bool done_ = false;
};

// INSERT (new) or UPDATE of the collection's `_collections` row, options with secrets.
void write_collection_row(Connection& conn, const schema::Collection& c, bool insert);

// Creates the record table of a base/auth collection (`old` null or its table missing) or
// migrates it from `old` to `c`. Throws MigrationRefused (indexes, data loss) or db::Error.
void sync_record_table(Connection& conn, const schema::Collection& c, const schema::Collection* old);

// PocketBase's save of a validated collection: a view gets its SQL view (re)created and its fields
// re-inferred into `c`; the row is written; a table is created or migrated. Throws
// MigrationRefused, schema::ViewError or db::Error.
void persist_collection(Connection& conn, const schema::Schema& schema, schema::Collection& c,
                        const schema::Collection* old);

// Drops the collection's table or view and its row.
void delete_collection(Connection& conn, const schema::Collection& c);

// Re-infers the fields of every view collection but `exclude_id` and saves those whose fields
// changed (each in its own savepoint). Returns one "[name] reason" per view that could not be
// saved; callers decide whether that blocks their change.
std::vector<std::string> resave_dependent_views(Connection& conn, std::string_view exclude_id);

}  // namespace larder::db
