// Reading and writing single records in a collection's table. Column names come from the
// schema; every value is a bound parameter.
#pragma once

#include <memory>
#include <string_view>

#include "core/db/sqlite.h"
#include "core/record/record.h"
#include "core/schema/collection.h"

namespace larder::record {

// The record with this id, or nullptr.
std::shared_ptr<Record> find_by_id(db::Connection& conn, const schema::Collection& c, std::string_view id);

// INSERT with every field column.
void insert(db::Connection& conn, const Record& r);
// UPDATE every field column of the row whose id is `old_id` (the id itself may not change, but
// it is written like any other column so a legacy row gets normalised values).
void update(db::Connection& conn, const Record& r, std::string_view old_id);
// DELETE one row (no cascade; see the delete API for relation cleanup).
void remove(db::Connection& conn, const schema::Collection& c, std::string_view id);

}  // namespace larder::record
