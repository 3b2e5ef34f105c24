// HMAC-SHA256: H((K ^ opad) || H((K ^ ipad) || m)).
#include "core/crypto/hmac.h"

#include <array>

#include "core/crypto/sha256.h"

namespace larder::crypto {

std::string hmac_sha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, Sha256::kBlockSize> block{};
  std::string hashed_key;
  if (key.size() > Sha256::kBlockSize) {
    hashed_key = sha256(key);
    key = hashed_key;
  }
  for (size_t i = 0; i < key.size(); ++i) block[i] = static_cast<unsigned char>(key[i]);

  std::array<char, Sha256::kBlockSize> pad{};
  for (size_t i = 0; i < pad.size(); ++i) pad[i] = static_cast<char>(block[i] ^ 0x36);
  Sha256 h;
  h.update(std::string_view(pad.data(), pad.size()));
  h.update(message);
  std::string inner = h.finish();

  for (size_t i = 0; i < pad.size(); ++i) pad[i] = static_cast<char>(block[i] ^ 0x5c);
  h.update(std::string_view(pad.data(), pad.size()));
  h.update(inner);
  return h.finish();
}

}  // namespace larder::crypto
