// Making a data.db PocketBase-shaped: on a new (empty) database, the system tables, the default
// collections, the settings row and the migration rows of a fresh PocketBase v0.39 install
// (storage-schema.md §3, §8), all in one transaction. An existing PocketBase database is left
// as it is.
#pragma once

#include "core/db/sqlite.h"

namespace larder::db {

// Returns true when the database was fresh and has been initialised.
bool bootstrap_data_db(Connection& conn);

// The default settings object (api.md §5), with `smtp.password` (stored form).
std::string default_settings_json(bool with_secrets);

}  // namespace larder::db
