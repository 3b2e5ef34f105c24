// Constant-time comparison for secrets (signatures, password hashes), so the time taken does
// not reveal how many leading bytes matched.
#pragma once

#include <cstddef>
#include <string_view>

namespace larder::crypto {

// Equal lengths: examines every byte whatever the content. Different lengths return false at
// once — lengths are public (a signature or hash has a fixed size), like Go's
// subtle.ConstantTimeCompare.
inline bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // volatile keeps the compiler from turning the loop into an early-exit memcmp.
  volatile unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  return diff == 0;
}

}  // namespace larder::crypto
