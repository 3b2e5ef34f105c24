// MemFile: one file's bytes in memory, as fixed-size blocks. The page store keeps every SQLite
// file this way (the database, its journal, temp files). Blocks that were never written are
// absent and read as zeros, so a sparse or freshly extended file costs nothing.
//
// Invariant: bytes past size() inside the last block are zero, so growing the file again
// always exposes zeros, as a real file would.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace larder::pages {

// The unit of change tracking, of commit records and of snapshots. 4 KiB matches SQLite's and
// PocketBase's default page size, so a commit record carries exactly the pages that changed.
inline constexpr uint32_t kBlockSize = 4096;
using Block = std::array<uint8_t, kBlockSize>;
using BlockPtr = std::unique_ptr<Block>;

inline uint64_t blocks_for(uint64_t size) { return (size + kBlockSize - 1) / kBlockSize; }

class MemFile {
 public:
  uint64_t size() const { return size_; }
  size_t block_count() const { return blocks_.size(); }

  // Copies up to n bytes from offset; returns how many were available (short at end of file).
  size_t read(uint64_t offset, void* out, size_t n) const;
  // Writes n bytes at offset, growing the file as needed. `before_change(index)` runs once per
  // touched block before it changes (the commit tracker saves before-images there).
  template <typename F>
  void write(uint64_t offset, const void* data, size_t n, F&& before_change);
  void write(uint64_t offset, const void* data, size_t n) {
    write(offset, data, n, [](uint32_t) {});
  }
  // Sets the size, dropping or zero-extending blocks.
  void resize(uint64_t size);

  // Block-level access for the commit log: nullptr means all zeros.
  const Block* block(uint32_t index) const { return index < blocks_.size() ? blocks_[index].get() : nullptr; }
  // Replaces block `index` (which must be below block_count()); nullptr makes it zeros.
  void set_block(uint32_t index, const uint8_t* bytes);
  void set_block(uint32_t index, BlockPtr block);
  // A copy of block `index` (nullptr when it is all zeros): a before-image.
  BlockPtr copy_block(uint32_t index) const;

  void clear() {
    blocks_.clear();
    size_ = 0;
  }

 private:
  void zero_tail();

  std::vector<BlockPtr> blocks_;
  uint64_t size_ = 0;
};

template <typename F>
void MemFile::write(uint64_t offset, const void* data, size_t n, F&& before_change) {
  if (n == 0) return;
  const auto* src = static_cast<const uint8_t*>(data);
  uint64_t end = offset + n;
  if (blocks_for(end) > blocks_.size()) blocks_.resize(blocks_for(end));
  while (n > 0) {
    auto index = static_cast<uint32_t>(offset / kBlockSize);
    size_t at = offset % kBlockSize;
    size_t len = n < kBlockSize - at ? n : kBlockSize - at;
    before_change(index);
    BlockPtr& b = blocks_[index];
    if (!b) b = std::make_unique<Block>();  // value-initialised: zeros
    std::copy(src, src + len, b->data() + at);
    src += len;
    offset += len;
    n -= len;
  }
  if (end > size_) size_ = end;
}

}  // namespace larder::pages
