// Small in-memory, per-process counters with an expiry, standing in for PocketBase's app.Store()
// entries: the 2-minute resend guard of verification/password-reset mails and the OTP attempt
// limit (5 per record and client IP per 180 s). Like PocketBase's they are not shared between
// processes and vanish on restart.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace larder::auth {

class Throttle {
 public:
  // Counts one hit for `key` in a fixed window of `window_s` seconds that starts at the first
  // hit; returns the number of hits in the current window (1 for a fresh one).
  int hit(const std::string& key, int64_t now_s, int64_t window_s);
  // Whether `key` has an unexpired entry.
  bool active(const std::string& key, int64_t now_s) const;
  void remove(const std::string& key);

 private:
  struct Entry {
    int64_t until = 0;
    int count = 0;
  };
  void prune(int64_t now_s);

  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace larder::auth
