// Checking a whole database file handed to an import (a PocketBase data.db, a Larder export)
// before it replaces anything: it must be an SQLite 3 file that passes quick_check. PocketBase
// keeps data.db in WAL mode; the page store has no shared memory, so the header is switched to
// rollback-journal mode (bytes 18–19; valid for a checkpointed file, which is what a copy of a
// closed PocketBase database or a backup is). PocketBase switches it back to WAL when it opens
// an export.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "page_file.h"

namespace larder::pages {

// Checks the header of a file of `size` bytes (head: its first 100 bytes or more) and switches
// WAL mode to rollback mode in place. Returns "" if usable, else why not (a sentence for users).
std::string check_and_normalise_header(uint8_t* head, size_t head_len, uint64_t size);

// PRAGMA quick_check on a file in the page store; "" if ok, else why not.
std::string quick_check(const std::string& path);

// Both, for a whole file in memory (checked in a scratch file of the store).
std::string prepare_import(std::vector<uint8_t>& db);

}  // namespace larder::pages
