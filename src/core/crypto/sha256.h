// SHA-256 (FIPS 180-4) and a hex helper. Underpins HMAC-SHA256, i.e. the signatures of the JWTs
// Larder issues; written here because the core may not depend on OpenSSL (the wasm build has none).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace larder::crypto {

// Streaming hasher: update() any number of times, then finish().
class Sha256 {
 public:
  static constexpr size_t kDigestSize = 32;
  static constexpr size_t kBlockSize = 64;

  Sha256() { reset(); }
  void reset();
  void update(std::string_view data);
  // Returns the 32 raw digest bytes and resets the hasher, so one object can hash many messages.
  std::string finish();

 private:
  void compress(const unsigned char* block);

  std::array<uint32_t, 8> state_{};
  std::array<unsigned char, kBlockSize> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// One-shot SHA-256: 32 raw bytes.
std::string sha256(std::string_view data);

// Lowercase hex of raw bytes (e.g. hex(sha256(x)) is the usual 64-char form).
std::string hex(std::string_view bytes);

}  // namespace larder::crypto
