// The rate limiters' counters: PocketBase's in-memory store of fixed-window limiters, one per
// bucket id, each counting per client key (the client IP).
//
// A bucket is created with the max/duration of the rule that first used it and keeps them until
// reset() — which the App calls whenever the settings are saved, as PocketBase drops its whole
// limiter store on a settings reload. Like PocketBase's, the counters are per process and vanish
// on restart.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace larder::ratelimit {

// One counted request, so that it can be given back (refund).
struct Charge {
  std::string bucket_id;
  std::string client;
  int64_t window_start = 0;
};

class Limiter {
 public:
  // Counts one request of `client` in bucket `bucket_id`: true while the client's current window
  // (which starts at its first request and lasts `duration_s` seconds) has fewer than
  // `max_requests` requests, false once it is exhausted (a refused request is not counted).
  // When allowed and `charge` is given, it receives what refund() needs.
  bool allow(const std::string& bucket_id, const std::string& client, int64_t max_requests, int64_t duration_s,
             int64_t now_s, Charge* charge = nullptr);

  // Gives back a counted request whose run was void: a host that cannot block abandons a request
  // that needs I/O (HostIoNeeded, FetchPending) and runs it again from the start, and only that
  // run may count. Nothing happens when the request's window has ended since.
  void refund(const Charge& charge);

  // Forgets every bucket (after a settings change).
  void reset();

  // Number of client windows held (for tests of the clean-up).
  size_t size() const;

 private:
  struct Window {
    int64_t start = 0;
    int64_t available = 0;
  };
  struct Bucket {
    int64_t max_requests = 0;
    int64_t interval = 0;
    std::unordered_map<std::string, Window> clients;
  };
  // Drops windows that have ended. Invisible to clients: an ended window restarts on the next
  // request anyway.
  void clean(int64_t now_s);

  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  size_t windows_ = 0;
  int64_t next_clean_ = 0;
  size_t clean_threshold_ = 10'000;
};

}  // namespace larder::ratelimit
