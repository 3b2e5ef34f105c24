// The commit log's two file formats (docs/storage-format.md is the normative description):
//   log record  log/<seq>   the blocks one commit (or one group of commits) changed, and the size
//   snapshot    snap/<seq>  the whole database as of log record <seq>
// Both end in a masked CRC-32C of everything before it. Records form a chain: each carries the
// checksum of the record (or snapshot) it applies on top of, so a stale or foreign file can never
// be replayed onto the wrong base, even if its sequence number happens to fit.
//
// Pure functions over bytes: the JS hosts only move these files around, all checking is here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "mem_file.h"

namespace larder::pages {

inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kHeaderSize = 40;
inline constexpr size_t kTrailerSize = 4;

// A log record that passed every check; points into the caller's bytes.
struct LogView {
  uint64_t seq = 0;
  uint64_t db_size = 0;      // file size after the commit (carries truncation)
  uint32_t prev_chain = 0;   // chain value of the record/snapshot this one applies to
  uint32_t chain = 0;        // this record's own chain value (its stored checksum)
  uint32_t count = 0;        // number of blocks
  const uint8_t* numbers = nullptr;  // count little-endian u32 block numbers
  const uint8_t* data = nullptr;     // count blocks of kBlockSize bytes

  uint32_t block_number(uint32_t i) const;
  const uint8_t* block_data(uint32_t i) const { return data + static_cast<size_t>(i) * kBlockSize; }
};

struct SnapshotView {
  uint64_t seq = 0;
  uint64_t db_size = 0;
  uint32_t chain = 0;        // the chain value log record seq+1 must name as prev_chain
  const uint8_t* bytes = nullptr;  // db_size bytes of database (nullptr from SnapshotDecoder)
};

// nullopt for anything that is not a complete, intact record of this format (wrong magic,
// version or block size, bad length, bad checksum, block numbers unsorted or past the size).
std::optional<LogView> parse_log(const uint8_t* data, size_t n);
std::optional<SnapshotView> parse_snapshot(const uint8_t* data, size_t n);

// Supplies block `index` of the state being written (nullptr = zeros).
using BlockSource = std::function<const uint8_t*(uint32_t index)>;

// `blocks` must be ascending and below blocks_for(db_size).
std::vector<uint8_t> encode_log(uint64_t seq, uint64_t db_size, uint32_t prev_chain,
                                const std::vector<uint32_t>& blocks, const BlockSource& source);
std::vector<uint8_t> encode_snapshot(uint64_t seq, uint64_t db_size, uint32_t chain, const BlockSource& source);

// The chain value of an encoded record or snapshot (its stored checksum).
uint32_t chain_of(const std::vector<uint8_t>& encoded);

// Snapshots of big databases are streamed, so the database never exists twice in wasm memory:
// the host pulls (or pushes) a few MB at a time and copies them straight to (from) storage.

// Produces a snapshot's bytes in order. `source` must not change until the stream is drained
// (the host drains it in one synchronous loop).
class SnapshotEncoder {
 public:
  SnapshotEncoder(uint64_t seq, uint64_t db_size, uint32_t chain, BlockSource source);
  uint64_t size() const { return kHeaderSize + db_size_ + kTrailerSize; }
  uint64_t seq() const { return seq_; }
  // Writes the next min(n, remaining) bytes to out; returns how many (0 once done).
  size_t next(uint8_t* out, size_t n);

 private:
  uint64_t seq_;
  uint64_t db_size_;
  uint8_t header_[kHeaderSize];
  BlockSource source_;
  uint64_t pos_ = 0;  // bytes produced so far
  uint32_t crc_ = 0;
};

// Consumes a snapshot's bytes in order into a MemFile, checking as it goes.
class SnapshotDecoder {
 public:
  // false as soon as the bytes cannot be a valid snapshot (then stop feeding).
  bool feed(const uint8_t* data, size_t n);
  // The header of a complete, intact snapshot (its contents are in file()); nullopt otherwise.
  std::optional<SnapshotView> finish();
  MemFile& file() { return file_; }

 private:
  uint8_t header_[kHeaderSize] = {};
  uint8_t trailer_[kTrailerSize] = {};
  uint64_t pos_ = 0;
  uint64_t db_size_ = 0;
  uint32_t crc_ = 0;
  bool bad_ = false;
  MemFile file_;
};

}  // namespace larder::pages
