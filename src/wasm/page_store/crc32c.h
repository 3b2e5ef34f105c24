// CRC-32C (Castagnoli), the checksum of every commit record and snapshot in the browser's
// commit log (docs/storage-format.md). Stored "masked", as LevelDB does, so that a record that
// happens to contain another record's checksum does not weaken its own.
#pragma once

#include <cstddef>
#include <cstdint>

namespace larder::pages {

// Continues a CRC-32C over `n` more bytes; start with crc = 0.
uint32_t crc32c_extend(uint32_t crc, const void* data, size_t n);

inline uint32_t crc32c(const void* data, size_t n) { return crc32c_extend(0, data, n); }

inline uint32_t crc_mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }
inline uint32_t crc_unmask(uint32_t masked) {
  uint32_t rot = masked - 0xa282ead8u;
  return (rot >> 17) | (rot << 15);
}

}  // namespace larder::pages
