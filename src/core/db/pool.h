// Connections to one database file: a single writer (writes are serialized on it, as PocketBase
// does) and a set of reader connections for parallel reads on the native host. With
// max_readers = 0 (the wasm host: one thread, one in-memory page store) every lease is the writer.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/db/sqlite.h"

namespace larder::db {

struct PoolConfig {
  std::string path;
  const char* vfs = nullptr;
  size_t max_readers = 0;
  // Run on every new connection (pragmas). The writer gets `writer_setup` too.
  std::string setup_sql;
  std::string writer_setup_sql;
};

class Pool {
 public:
  explicit Pool(PoolConfig cfg);
  ~Pool();

  // A borrowed connection; returned to the pool when the lease dies.
  class Lease {
   public:
    Lease(Lease&&) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_; }

   private:
    friend class Pool;
    Lease(Pool* pool, Connection* conn, bool writer) : pool_(pool), conn_(conn), writer_(writer) {}
    Pool* pool_;
    Connection* conn_;
    bool writer_;
  };

  Lease read();
  Lease write();
  const PoolConfig& config() const { return cfg_; }

 private:
  void release(Connection* c, bool writer);

  PoolConfig cfg_;
  std::unique_ptr<Connection> writer_;
  std::mutex writer_mu_;
  // The writer lease is re-entrant on its owning thread (a read inside a write transaction
  // must use the writer, or it would not see its own uncommitted rows).
  std::thread::id writer_owner_;
  int writer_depth_ = 0;
  std::condition_variable writer_cv_;

  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> readers_;  // all opened readers
  std::vector<Connection*> idle_readers_;
};

}  // namespace larder::db
