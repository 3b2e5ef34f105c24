// The "larder-pages" VFS over the PageStore. Locking follows SQLite's five levels inside one
// process (several connections to one file are allowed, e.g. an export next to the app's
// connection); there is no shared memory, so WAL mode is unavailable by design.
#include "vfs.h"

#include <sqlite3.h>

#include <cstring>
#include <string>

#include "page_store.h"

namespace larder::pages {

namespace {

// SQLite allocates szOsFile bytes per open file and hands them to xOpen; this lives there.
struct Handle {
  sqlite3_file base;  // must come first
  StoreEntry* entry;
  int level;          // this handle's lock level
  int flags;
};

StoreEntry& entry_of(sqlite3_file* f) { return *reinterpret_cast<Handle*>(f)->entry; }
Handle& handle_of(sqlite3_file* f) { return *reinterpret_cast<Handle*>(f); }

sqlite3_vfs* base_vfs() { return sqlite3_vfs_find(nullptr); }

int x_close(sqlite3_file* f) {
  Handle& h = handle_of(f);
  StoreEntry& e = *h.entry;
  if (e.writer == &h) {
    e.writer = nullptr;
    e.writer_level = SQLITE_LOCK_NONE;
  }
  if (h.level >= SQLITE_LOCK_SHARED) --e.shared_locks;
  PageStore::instance().release(h.entry);
  h.entry = nullptr;
  return SQLITE_OK;
}

int x_read(sqlite3_file* f, void* out, int n, sqlite3_int64 offset) {
  size_t got = entry_of(f).file.read(static_cast<uint64_t>(offset), out, static_cast<size_t>(n));
  if (got < static_cast<size_t>(n)) {
    std::memset(static_cast<char*>(out) + got, 0, static_cast<size_t>(n) - got);
    return SQLITE_IOERR_SHORT_READ;
  }
  return SQLITE_OK;
}

int x_write(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
  try {
    entry_of(f).file.write(static_cast<uint64_t>(offset), data, static_cast<size_t>(n));
  } catch (const std::bad_alloc&) {
    return SQLITE_IOERR_NOMEM;
  }
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  try {
    entry_of(f).file.truncate(static_cast<uint64_t>(size));
  } catch (const std::bad_alloc&) {
    return SQLITE_IOERR_NOMEM;
  }
  return SQLITE_OK;
}

// Nothing to flush: durability is the host persisting commit records (page_file.h).
int x_sync(sqlite3_file*, int) { return SQLITE_OK; }

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  *size = static_cast<sqlite3_int64>(entry_of(f).file.size());
  return SQLITE_OK;
}

int x_lock(sqlite3_file* f, int level) {
  Handle& h = handle_of(f);
  StoreEntry& e = *h.entry;
  if (h.level >= level) return SQLITE_OK;
  if (level == SQLITE_LOCK_SHARED) {
    // A pending or exclusive writer keeps new readers out.
    if (e.writer && e.writer != &h && e.writer_level >= SQLITE_LOCK_PENDING) return SQLITE_BUSY;
    ++e.shared_locks;
    h.level = SQLITE_LOCK_SHARED;
    return SQLITE_OK;
  }
  if (e.writer && e.writer != &h) return SQLITE_BUSY;
  e.writer = &h;
  if (level == SQLITE_LOCK_RESERVED) {
    h.level = e.writer_level = SQLITE_LOCK_RESERVED;
    return SQLITE_OK;
  }
  // EXCLUSIVE (SQLite never asks for PENDING directly): wait for the other readers to leave.
  if (e.shared_locks > 1) {
    h.level = e.writer_level = SQLITE_LOCK_PENDING;
    return SQLITE_BUSY;
  }
  h.level = e.writer_level = SQLITE_LOCK_EXCLUSIVE;
  return SQLITE_OK;
}

int x_unlock(sqlite3_file* f, int level) {
  Handle& h = handle_of(f);
  StoreEntry& e = *h.entry;
  if (h.level <= level) return SQLITE_OK;
  if (h.level >= SQLITE_LOCK_RESERVED && level <= SQLITE_LOCK_SHARED) {
    if (e.writer == &h) {
      e.writer = nullptr;
      e.writer_level = SQLITE_LOCK_NONE;
    }
    // End of a write transaction: the commit point (page_file.h).
    e.file.commit_point();
  }
  if (level == SQLITE_LOCK_NONE && h.level >= SQLITE_LOCK_SHARED) --e.shared_locks;
  h.level = level;
  return SQLITE_OK;
}

int x_check_reserved(sqlite3_file* f, int* out) {
  StoreEntry& e = entry_of(f);
  *out = e.writer != nullptr && e.writer != &handle_of(f);
  return SQLITE_OK;
}

int x_file_control(sqlite3_file* f, int op, void*) {
  PageFile& file = entry_of(f).file;
  switch (op) {
    case SQLITE_FCNTL_BEGIN_ATOMIC_WRITE:
      file.begin_batch();
      return SQLITE_OK;
    case SQLITE_FCNTL_COMMIT_ATOMIC_WRITE:
      try {
        file.commit_batch();
        ++PageStore::instance().stats().atomic_batches;
      } catch (const std::bad_alloc&) {
        file.rollback_batch();
        return SQLITE_IOERR_NOMEM;
      }
      return SQLITE_OK;
    case SQLITE_FCNTL_ROLLBACK_ATOMIC_WRITE:
      file.rollback_batch();
      return SQLITE_OK;
    default:
      return SQLITE_NOTFOUND;
  }
}

int x_sector_size(sqlite3_file*) { return static_cast<int>(kBlockSize); }

int x_device_characteristics(sqlite3_file*) {
  return SQLITE_IOCAP_BATCH_ATOMIC | SQLITE_IOCAP_SAFE_APPEND | SQLITE_IOCAP_SEQUENTIAL |
         SQLITE_IOCAP_POWERSAFE_OVERWRITE | SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN;
}

const sqlite3_io_methods kMethods = {
    1,  // iVersion: no shared memory (so no WAL), no mmap
    x_close, x_read, x_write, x_truncate, x_sync, x_file_size, x_lock, x_unlock, x_check_reserved,
    x_file_control, x_sector_size, x_device_characteristics,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  Handle& h = handle_of(f);
  h.base.pMethods = nullptr;  // SQLite must not call xClose if the open fails
  PageStore& store = PageStore::instance();
  StoreEntry* e = nullptr;
  try {
    if (!name) {
      e = store.create_anonymous();
    } else {
      e = store.lookup(name);
      if (!e) {
        if (!(flags & SQLITE_OPEN_CREATE)) return SQLITE_CANTOPEN;
        e = store.create(name);
      }
      if (flags & SQLITE_OPEN_DELETEONCLOSE) e->delete_on_close = true;
    }
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  if (flags & SQLITE_OPEN_MAIN_JOURNAL) ++store.stats().journal_opens;
  ++e->opens;
  h.entry = e;
  h.level = SQLITE_LOCK_NONE;
  h.flags = flags;
  h.base.pMethods = &kMethods;
  if (out_flags) *out_flags = flags;
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int) {
  PageStore::instance().remove(name);
  return SQLITE_OK;
}

int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  StoreEntry* e = PageStore::instance().lookup(name);
  // Like the unix VFS: an empty file does not "exist" (a journal truncated to zero is no journal).
  *out = e != nullptr && (flags != SQLITE_ACCESS_EXISTS || e->file.size() > 0);
  return SQLITE_OK;
}

int x_full_pathname(sqlite3_vfs*, const char* name, int n_out, char* out) {
  std::string full = name[0] == '/' ? std::string(name) : "/" + std::string(name);
  if (static_cast<int>(full.size()) + 1 > n_out) return SQLITE_CANTOPEN;
  std::memcpy(out, full.c_str(), full.size() + 1);
  return SQLITE_OK;
}

int x_randomness(sqlite3_vfs*, int n, char* out) { return base_vfs()->xRandomness(base_vfs(), n, out); }
int x_sleep(sqlite3_vfs*, int us) { return base_vfs()->xSleep(base_vfs(), us); }
int x_current_time(sqlite3_vfs*, double* out) { return base_vfs()->xCurrentTime(base_vfs(), out); }
int x_get_last_error(sqlite3_vfs*, int, char*) { return 0; }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  sqlite3_vfs* b = base_vfs();
  if (b->iVersion >= 2 && b->xCurrentTimeInt64) return b->xCurrentTimeInt64(b, out);
  double d = 0;
  int rc = b->xCurrentTime(b, &d);
  *out = static_cast<sqlite3_int64>(d * 86400000.0);
  return rc;
}

sqlite3_vfs make_vfs() {
  sqlite3_vfs v{};
  v.iVersion = 2;
  v.szOsFile = static_cast<int>(sizeof(Handle));
  v.mxPathname = 512;
  v.zName = kVfsName;
  v.xOpen = x_open;
  v.xDelete = x_delete;
  v.xAccess = x_access;
  v.xFullPathname = x_full_pathname;
  v.xRandomness = x_randomness;
  v.xSleep = x_sleep;
  v.xCurrentTime = x_current_time;
  v.xGetLastError = x_get_last_error;
  v.xCurrentTimeInt64 = x_current_time_int64;
  return v;
}

}  // namespace

const char* register_vfs() {
  static sqlite3_vfs vfs = make_vfs();
  static const int rc = sqlite3_vfs_register(&vfs, 0);
  (void)rc;
  return kVfsName;
}

}  // namespace larder::pages
