// Connection pool.
#include "core/db/pool.h"

namespace larder::db {

Pool::Pool(PoolConfig cfg) : cfg_(std::move(cfg)) {
  Connection::Options o;
  o.vfs = cfg_.vfs;
  writer_ = std::make_unique<Connection>(cfg_.path, o);
  if (!cfg_.setup_sql.empty()) writer_->exec(cfg_.setup_sql);
  if (!cfg_.writer_setup_sql.empty()) writer_->exec(cfg_.writer_setup_sql);
}

Pool::~Pool() = default;

Pool::Lease::Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(o.conn_), writer_(o.writer_) { o.pool_ = nullptr; }

Pool::Lease::~Lease() {
  if (pool_) pool_->release(conn_, writer_);
}

Pool::Lease Pool::write() {
  std::unique_lock lock(writer_mu_);
  auto me = std::this_thread::get_id();
  if (writer_depth_ > 0 && writer_owner_ == me) {
    ++writer_depth_;
    return Lease(this, writer_.get(), true);
  }
  writer_cv_.wait(lock, [&] { return writer_depth_ == 0; });
  writer_owner_ = me;
  writer_depth_ = 1;
  return Lease(this, writer_.get(), true);
}

Pool::Lease Pool::read() {
  if (cfg_.max_readers == 0) return write();
  {
    // Inside this thread's write transaction, reads go to the writer.
    std::lock_guard wlock(writer_mu_);
    if (writer_depth_ > 0 && writer_owner_ == std::this_thread::get_id()) {
      ++writer_depth_;
      return Lease(this, writer_.get(), true);
    }
  }
  std::lock_guard lock(readers_mu_);
  if (!idle_readers_.empty()) {
    Connection* c = idle_readers_.back();
    idle_readers_.pop_back();
    return Lease(this, c, false);
  }
  // Opening one more reader than max_readers only under contention is fine: readers are cheap
  // and the bound exists to cap file handles, so block nobody.
  Connection::Options o;
  o.vfs = cfg_.vfs;
  o.create = false;
  auto conn = std::make_unique<Connection>(cfg_.path, o);
  if (!cfg_.setup_sql.empty()) conn->exec(cfg_.setup_sql);
  Connection* raw = conn.get();
  readers_.push_back(std::move(conn));
  return Lease(this, raw, false);
}

void Pool::release(Connection* c, bool writer) {
  if (writer) {
    bool free_now;
    {
      std::lock_guard lock(writer_mu_);
      free_now = (--writer_depth_ == 0);
    }
    if (free_now) writer_cv_.notify_one();
    return;
  }
  std::lock_guard lock(readers_mu_);
  idle_readers_.push_back(c);
}

}  // namespace larder::db
