// In-memory expiring counters (see throttle.h).
#include "core/auth/throttle.h"

namespace larder::auth {

int Throttle::hit(const std::string& key, int64_t now_s, int64_t window_s) {
  std::lock_guard lock(mu_);
  // Bounded memory: expired entries go whenever the map grows past a size worth scanning.
  if (entries_.size() > 4096) prune(now_s);
  Entry& e = entries_[key];
  if (e.until <= now_s) e = Entry{now_s + window_s, 0};
  return ++e.count;
}

bool Throttle::active(const std::string& key, int64_t now_s) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  return it != entries_.end() && it->second.until > now_s;
}

void Throttle::remove(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

void Throttle::prune(int64_t now_s) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.until <= now_s) it = entries_.erase(it);
    else ++it;
  }
}

}  // namespace larder::auth
