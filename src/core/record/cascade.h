// Deleting a record with PocketBase's relation cleanup (api.md §6.8): every relation field in
// any collection that points at the deleted record loses that id; a referencing record whose
// list becomes empty is deleted too when the field has cascadeDelete, and the whole delete fails
// when the field is required. Runs inside the caller's transaction.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "core/db/sqlite.h"
#include "core/record/record.h"
#include "core/schema/schema.h"

namespace larder::record {

struct RequiredReference : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Deletes `r` and cleans up references. `deleted` collects every record removed (the record
// itself first, then cascaded ones) so the caller can remove their files and emit events;
// `updated`, when given, every referencing record saved with the id taken out (as saved; a
// record may appear more than once, and may be deleted later in the same cascade).
void delete_with_cascade(db::Connection& conn, const schema::Schema& schema, const Record& r,
                         const std::string& now, std::vector<Record>& deleted,
                         std::vector<Record>* updated = nullptr);

}  // namespace larder::record
