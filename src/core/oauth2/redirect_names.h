// Apple sends the user's name only once, as the `user` JSON field of its form_post back to
// /api/oauth2-redirect, never in the id_token. Like PocketBase (its app.Store() key
// "@redirect_name_<code>"), the redirect keeps the name for one minute under the authorization
// code, and auth-with-oauth2 for apple takes it (once) when the id_token has no name.
// In-memory and per process, as PocketBase's store is.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace larder::oauth2 {

class RedirectNames {
 public:
  static constexpr int64_t kTtlSeconds = 60;
  // PocketBase refuses keys over 1000 bytes; its key is a 15-byte prefix plus the code.
  static constexpr size_t kMaxCodeBytes = 1000 - 15;
  static constexpr size_t kMaxNameBytes = 150;
  // A bound on memory that PocketBase does not have: past it, new names are dropped (the
  // sign-in still works, just without the name).
  static constexpr size_t kMaxEntries = 10000;

  // parseAndStoreAppleRedirectName: reads {"name":{"firstName","lastName"}} from `user_json`
  // and keeps "first last" (cut to 150 bytes, trimmed) for `code`. False (nothing stored) when
  // the JSON does not decode, the code is too long, or the name is empty.
  bool put_from_user_json(std::string_view code, std::string_view user_json, int64_t now_s);
  // The stored name for `code`, removed as it is read; nullopt when absent or expired.
  std::optional<std::string> take(std::string_view code, int64_t now_s);
  void remove(std::string_view code);

 private:
  struct Entry {
    std::string name;
    int64_t until = 0;
  };
  void prune(int64_t now_s);

  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace larder::oauth2
