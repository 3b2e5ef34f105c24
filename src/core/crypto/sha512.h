// SHA-512 and SHA-384 (FIPS 180-4): the digests of RS384/RS512 id_token signatures and the hash
// inside Ed25519. Portable like sha256.h (the wasm build has no OpenSSL).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace larder::crypto {

// Streaming SHA-512 family hasher; SHA-384 is the same compression with other initial values
// and a truncated output.
class Sha512 {
 public:
  static constexpr size_t kBlockSize = 128;

  // digest_size 64 (SHA-512) or 48 (SHA-384).
  explicit Sha512(size_t digest_size = 64) : digest_size_(digest_size == 48 ? 48 : 64) { reset(); }
  void reset();
  void update(std::string_view data);
  // Returns the raw digest (64 or 48 bytes) and resets the hasher.
  std::string finish();

 private:
  void compress(const unsigned char* block);

  size_t digest_size_;
  std::array<uint64_t, 8> state_{};
  std::array<unsigned char, kBlockSize> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

// One-shot digests (raw bytes).
std::string sha512(std::string_view data);
std::string sha384(std::string_view data);

}  // namespace larder::crypto
