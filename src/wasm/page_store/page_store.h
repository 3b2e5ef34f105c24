// PageStore: every file SQLite opens through the "larder-pages" VFS, by path, kept in memory.
// The host attaches the databases it persists (durable files) before SQLite opens them; journals
// and temp files are ordinary in-memory files that are never persisted (the commit log is what
// makes a commit durable, see page_file.h).
//
// One store per process (the VFS is global). Not thread-safe, like everything in the wasm host.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "page_file.h"

namespace larder::pages {

// A file plus the state the VFS shares between the connections that have it open.
struct StoreEntry {
  explicit StoreEntry(bool durable) : file(durable) {}
  PageFile file;
  int opens = 0;
  int shared_locks = 0;            // handles holding SHARED or more
  const void* writer = nullptr;    // the handle holding RESERVED or more
  int writer_level = 0;            // its level (RESERVED, PENDING or EXCLUSIVE)
  bool delete_on_close = false;
};

class PageStore {
 public:
  static PageStore& instance();

  // Counters for tests and benchmarks: which commit path SQLite took.
  struct Stats {
    uint64_t atomic_batches = 0;  // commits that arrived as one SQLITE_FCNTL_*_ATOMIC_WRITE batch
    uint64_t journal_opens = 0;   // rollback journals opened (the spill / non-batch path)
  };
  Stats& stats() { return stats_; }

  // Creates the file (empty) if needed and returns it; `durable` files track commits.
  PageFile& attach(const std::string& path, bool durable);
  // Forgets a file (frees its memory). The caller guarantees no connection has it open.
  void detach(const std::string& path);
  PageFile* find(const std::string& path);

  // ---- for the VFS ------------------------------------------------------------------------------
  StoreEntry* lookup(const std::string& path);
  StoreEntry* create(const std::string& path);
  StoreEntry* create_anonymous();  // a temp file without a name, gone when closed
  void remove(const std::string& path);  // unlink: open handles keep the data until closed
  void release(StoreEntry* entry);       // a handle closed

 private:
  Stats stats_;
  std::map<std::string, std::unique_ptr<StoreEntry>> files_;
  std::vector<std::unique_ptr<StoreEntry>> unlinked_;  // removed or anonymous, still open
};

}  // namespace larder::pages
