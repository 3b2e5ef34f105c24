// Fixed-window counters per bucket and client (see limiter.h). The window logic is PocketBase's
// rateClient.consume: a window starts at the first request after the previous one ended and
// allows max_requests requests.
#include "core/ratelimit/limiter.h"

#include <algorithm>

namespace larder::ratelimit {

namespace {

// Ended windows are swept every minute, and sooner when their number doubles (many client IPs);
// the doubling keeps the sweeps amortised O(1) per request even when every window is live.
constexpr int64_t kCleanInterval = 60;
constexpr size_t kMinCleanThreshold = 10'000;

}  // namespace

bool Limiter::allow(const std::string& bucket_id, const std::string& client, int64_t max_requests,
                    int64_t duration_s, int64_t now_s, Charge* charge) {
  std::lock_guard lock(mu_);
  if (now_s >= next_clean_ || windows_ > clean_threshold_) clean(now_s);
  auto [it, created] = buckets_.try_emplace(bucket_id);
  Bucket& b = it->second;
  if (created) {
    b.max_requests = max_requests;
    b.interval = duration_s;
  }
  auto [wit, fresh] = b.clients.try_emplace(client);
  if (fresh) ++windows_;
  Window& w = wit->second;
  if (fresh || now_s - w.start >= b.interval) {
    w.start = now_s;
    w.available = b.max_requests;
  }
  if (w.available > 0) {
    --w.available;
    if (charge) *charge = Charge{bucket_id, client, w.start};
    return true;
  }
  return false;
}

void Limiter::refund(const Charge& charge) {
  std::lock_guard lock(mu_);
  auto bit = buckets_.find(charge.bucket_id);
  if (bit == buckets_.end()) return;
  auto it = bit->second.clients.find(charge.client);
  if (it == bit->second.clients.end() || it->second.start != charge.window_start) return;
  if (it->second.available < bit->second.max_requests) ++it->second.available;
}

void Limiter::reset() {
  std::lock_guard lock(mu_);
  buckets_.clear();
  windows_ = 0;
  clean_threshold_ = kMinCleanThreshold;
}

size_t Limiter::size() const {
  std::lock_guard lock(mu_);
  return windows_;
}

void Limiter::clean(int64_t now_s) {
  next_clean_ = now_s + kCleanInterval;
  for (auto bit = buckets_.begin(); bit != buckets_.end();) {
    auto& clients = bit->second.clients;
    for (auto it = clients.begin(); it != clients.end();) {
      if (now_s - it->second.start >= bit->second.interval) {
        it = clients.erase(it);
        --windows_;
      } else {
        ++it;
      }
    }
    if (clients.empty()) bit = buckets_.erase(bit);
    else ++bit;
  }
  clean_threshold_ = std::max(kMinCleanThreshold, windows_ * 2);
}

}  // namespace larder::ratelimit
