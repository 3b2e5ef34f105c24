// MemFile: reads, resizes and block replacement (writes are inline in the header).
#include "mem_file.h"

#include <algorithm>
#include <cstring>

namespace larder::pages {

size_t MemFile::read(uint64_t offset, void* out, size_t n) const {
  if (offset >= size_) return 0;
  if (n > size_ - offset) n = static_cast<size_t>(size_ - offset);
  auto* dst = static_cast<uint8_t*>(out);
  size_t done = 0;
  while (done < n) {
    auto index = static_cast<uint32_t>(offset / kBlockSize);
    size_t at = offset % kBlockSize;
    size_t len = std::min(n - done, static_cast<size_t>(kBlockSize - at));
    const Block* b = block(index);
    if (b) std::memcpy(dst + done, b->data() + at, len);
    else std::memset(dst + done, 0, len);
    done += len;
    offset += len;
  }
  return n;
}

void MemFile::resize(uint64_t size) {
  blocks_.resize(blocks_for(size));
  size_ = size;
  zero_tail();
}

void MemFile::zero_tail() {
  size_t at = size_ % kBlockSize;
  if (at == 0 || blocks_.empty() || !blocks_.back()) return;
  std::memset(blocks_.back()->data() + at, 0, kBlockSize - at);
}

void MemFile::set_block(uint32_t index, const uint8_t* bytes) {
  if (!bytes) {
    blocks_[index].reset();
    return;
  }
  if (!blocks_[index]) blocks_[index] = std::make_unique<Block>();
  std::memcpy(blocks_[index]->data(), bytes, kBlockSize);
  if (index + 1 == blocks_.size()) zero_tail();
}

void MemFile::set_block(uint32_t index, BlockPtr block) {
  blocks_[index] = std::move(block);
  if (index + 1 == blocks_.size()) zero_tail();
}

BlockPtr MemFile::copy_block(uint32_t index) const {
  const Block* b = block(index);
  return b ? std::make_unique<Block>(*b) : nullptr;
}

}  // namespace larder::pages
