// The "larder-pages" SQLite VFS: files live in the PageStore (memory), the main database
// advertises SQLITE_IOCAP_BATCH_ATOMIC so a commit usually arrives as one atomic batch of pages,
// and the end of every write transaction (the writer dropping its lock) is a commit point.
// Randomness, sleep and time come from the default VFS.
#pragma once

namespace larder::pages {

inline constexpr const char* kVfsName = "larder-pages";

// Registers the VFS once (idempotent; not as the default VFS). Returns its name.
const char* register_vfs();

}  // namespace larder::pages
