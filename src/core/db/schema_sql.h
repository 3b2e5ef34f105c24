// SQL for collection tables: the column definition of each field type, CREATE TABLE / VIEW,
// and (re)creating a collection's indexes (storage-schema.md §5). Identifiers here come from the
// schema (collection and field names are ^\w+$), never from request text.
#pragma once

#include <string>

#include "core/db/sqlite.h"
#include "core/schema/collection.h"

namespace larder::db {

// "`name`" — only for names already validated as ^\w+$.
std::string quote_ident(std::string_view name);

std::string column_definition(const schema::Field& f);
std::string create_table_sql(const schema::Collection& c);  // columns in alphabetical order

// Creates the table (base/auth) or view and the collection's indexes.
void create_collection_storage(Connection& conn, const schema::Collection& c);
// Drops and recreates the collection's indexes from `c.indexes` (table name forced to c.name).
void create_indexes(Connection& conn, const schema::Collection& c);

}  // namespace larder::db
