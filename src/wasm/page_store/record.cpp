// Encoding and checking log records and snapshots. Layout (little-endian, docs/storage-format.md):
//
//   0  magic[8]      "LARDERLG" (log record) or "LARDERSN" (snapshot)
//   8  u32 version   1
//  12  u32 block     4096
//  16  u64 seq
//  24  u64 db size   bytes
//  32  u32 chain     log: prev_chain · snapshot: its own chain value
//  36  u32 count     log: number of blocks · snapshot: 0
//  40  ...           log: count u32 block numbers, then count blocks · snapshot: db size bytes
// end-4 u32 crc      masked CRC-32C of bytes [0, end-4)
#include "record.h"

#include <algorithm>
#include <cstring>

#include "crc32c.h"

namespace larder::pages {

namespace {

constexpr char kLogMagic[8] = {'L', 'A', 'R', 'D', 'E', 'R', 'L', 'G'};
constexpr char kSnapMagic[8] = {'L', 'A', 'R', 'D', 'E', 'R', 'S', 'N'};

uint32_t get32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}
uint64_t get64(const uint8_t* p) { return static_cast<uint64_t>(get32(p)) | static_cast<uint64_t>(get32(p + 4)) << 32; }
void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void put64(uint8_t* p, uint64_t v) {
  put32(p, static_cast<uint32_t>(v));
  put32(p + 4, static_cast<uint32_t>(v >> 32));
}

void put_header(uint8_t* p, const char* magic, uint64_t seq, uint64_t db_size, uint32_t chain, uint32_t count) {
  std::memcpy(p, magic, 8);
  put32(p + 8, kFormatVersion);
  put32(p + 12, kBlockSize);
  put64(p + 16, seq);
  put64(p + 24, db_size);
  put32(p + 32, chain);
  put32(p + 36, count);
}

void seal(std::vector<uint8_t>& out) {
  size_t body = out.size() - kTrailerSize;
  put32(out.data() + body, crc_mask(crc32c(out.data(), body)));
}

// Common checks: length, magic, version, block size, checksum.
bool intact(const uint8_t* data, size_t n, const char* magic) {
  if (!data || n < kHeaderSize + kTrailerSize) return false;
  if (std::memcmp(data, magic, 8) != 0) return false;
  if (get32(data + 8) != kFormatVersion || get32(data + 12) != kBlockSize) return false;
  size_t body = n - kTrailerSize;
  return crc_unmask(get32(data + body)) == crc32c(data, body);
}

void copy_block(uint8_t* dst, const BlockSource& source, uint32_t index, size_t len) {
  const uint8_t* b = source(index);
  if (b) std::memcpy(dst, b, len);
  else std::memset(dst, 0, len);
}

}  // namespace

uint32_t LogView::block_number(uint32_t i) const { return get32(numbers + static_cast<size_t>(i) * 4); }

std::optional<LogView> parse_log(const uint8_t* data, size_t n) {
  if (!intact(data, n, kLogMagic)) return std::nullopt;
  LogView v;
  v.seq = get64(data + 16);
  v.db_size = get64(data + 24);
  v.prev_chain = get32(data + 32);
  v.count = get32(data + 36);
  v.chain = get32(data + n - kTrailerSize);
  // Written as 64-bit arithmetic so a hostile count cannot overflow the length check.
  if (static_cast<uint64_t>(v.count) * (4 + kBlockSize) != n - kHeaderSize - kTrailerSize) return std::nullopt;
  v.numbers = data + kHeaderSize;
  v.data = v.numbers + static_cast<size_t>(v.count) * 4;
  uint64_t limit = blocks_for(v.db_size);
  for (uint32_t i = 0; i < v.count; ++i) {
    uint32_t b = v.block_number(i);
    if (b >= limit || (i > 0 && b <= v.block_number(i - 1))) return std::nullopt;
  }
  return v;
}

std::optional<SnapshotView> parse_snapshot(const uint8_t* data, size_t n) {
  if (!intact(data, n, kSnapMagic)) return std::nullopt;
  SnapshotView v;
  v.seq = get64(data + 16);
  v.db_size = get64(data + 24);
  v.chain = get32(data + 32);
  if (get32(data + 36) != 0 || v.db_size != n - kHeaderSize - kTrailerSize) return std::nullopt;
  v.bytes = data + kHeaderSize;
  return v;
}

std::vector<uint8_t> encode_log(uint64_t seq, uint64_t db_size, uint32_t prev_chain,
                                const std::vector<uint32_t>& blocks, const BlockSource& source) {
  auto count = static_cast<uint32_t>(blocks.size());
  std::vector<uint8_t> out(kHeaderSize + static_cast<size_t>(count) * (4 + kBlockSize) + kTrailerSize);
  put_header(out.data(), kLogMagic, seq, db_size, prev_chain, count);
  uint8_t* numbers = out.data() + kHeaderSize;
  uint8_t* data = numbers + static_cast<size_t>(count) * 4;
  for (uint32_t i = 0; i < count; ++i) {
    put32(numbers + static_cast<size_t>(i) * 4, blocks[i]);
    copy_block(data + static_cast<size_t>(i) * kBlockSize, source, blocks[i], kBlockSize);
  }
  seal(out);
  return out;
}

std::vector<uint8_t> encode_snapshot(uint64_t seq, uint64_t db_size, uint32_t chain, const BlockSource& source) {
  SnapshotEncoder enc(seq, db_size, chain, source);
  std::vector<uint8_t> out(static_cast<size_t>(enc.size()));
  enc.next(out.data(), out.size());
  return out;
}

SnapshotEncoder::SnapshotEncoder(uint64_t seq, uint64_t db_size, uint32_t chain, BlockSource source)
    : seq_(seq), db_size_(db_size), source_(std::move(source)) {
  put_header(header_, kSnapMagic, seq, db_size, chain, 0);
}

size_t SnapshotEncoder::next(uint8_t* out, size_t n) {
  size_t done = 0;
  // Header.
  while (done < n && pos_ < kHeaderSize) {
    size_t len = std::min<uint64_t>(n - done, kHeaderSize - pos_);
    std::memcpy(out + done, header_ + pos_, len);
    crc_ = crc32c_extend(crc_, out + done, len);
    done += len;
    pos_ += len;
  }
  // Database bytes, block by block.
  while (done < n && pos_ < kHeaderSize + db_size_) {
    uint64_t at = pos_ - kHeaderSize;
    auto index = static_cast<uint32_t>(at / kBlockSize);
    size_t in_block = static_cast<size_t>(at % kBlockSize);
    size_t len = std::min<uint64_t>({n - done, kBlockSize - in_block, db_size_ - at});
    const uint8_t* b = source_(index);
    if (b) std::memcpy(out + done, b + in_block, len);
    else std::memset(out + done, 0, len);
    crc_ = crc32c_extend(crc_, out + done, len);
    done += len;
    pos_ += len;
  }
  // Trailer.
  if (done < n && pos_ >= kHeaderSize + db_size_ && pos_ < size()) {
    uint8_t trailer[kTrailerSize];
    put32(trailer, crc_mask(crc_));
    size_t from = static_cast<size_t>(pos_ - kHeaderSize - db_size_);
    size_t len = std::min(n - done, kTrailerSize - from);
    std::memcpy(out + done, trailer + from, len);
    done += len;
    pos_ += len;
  }
  return done;
}

bool SnapshotDecoder::feed(const uint8_t* data, size_t n) {
  if (bad_) return false;
  while (n > 0) {
    if (pos_ < kHeaderSize) {
      size_t len = std::min<uint64_t>(n, kHeaderSize - pos_);
      std::memcpy(header_ + pos_, data, len);
      crc_ = crc32c_extend(crc_, data, len);
      pos_ += len;
      data += len;
      n -= len;
      if (pos_ == kHeaderSize) {
        if (std::memcmp(header_, kSnapMagic, 8) != 0 || get32(header_ + 8) != kFormatVersion ||
            get32(header_ + 12) != kBlockSize || get32(header_ + 36) != 0) {
          bad_ = true;
          return false;
        }
        db_size_ = get64(header_ + 24);
      }
      continue;
    }
    uint64_t data_end = kHeaderSize + db_size_;
    if (pos_ < data_end) {
      size_t len = std::min<uint64_t>(n, data_end - pos_);
      file_.write(pos_ - kHeaderSize, data, len);
      crc_ = crc32c_extend(crc_, data, len);
      pos_ += len;
      data += len;
      n -= len;
      continue;
    }
    uint64_t from = pos_ - data_end;
    if (from + n > kTrailerSize) {  // longer than the header says
      bad_ = true;
      return false;
    }
    std::memcpy(trailer_ + from, data, n);
    pos_ += n;
    n = 0;
  }
  return true;
}

std::optional<SnapshotView> SnapshotDecoder::finish() {
  if (bad_ || pos_ < kHeaderSize || pos_ != kHeaderSize + db_size_ + kTrailerSize) return std::nullopt;
  if (crc_unmask(get32(trailer_)) != crc_) return std::nullopt;
  SnapshotView v;
  v.seq = get64(header_ + 16);
  v.db_size = db_size_;
  v.chain = get32(header_ + 32);
  return v;
}

uint32_t chain_of(const std::vector<uint8_t>& encoded) {
  return encoded.size() < kTrailerSize ? 0 : get32(encoded.data() + encoded.size() - kTrailerSize);
}

}  // namespace larder::pages
