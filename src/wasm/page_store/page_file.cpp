// PageFile: change tracking, commit records, rollback, snapshots and recovery for one file.
#include "page_file.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "record.h"

namespace larder::pages {

PageFile::PageFile(bool durable) : durable_(durable) { reset_epochs(); }

void PageFile::reset_epochs() {
  epochs_.clear();
  if (!durable_) return;
  Epoch open;
  open.size_before = file_.size();
  epochs_.push_back(std::move(open));
}

void PageFile::touch(uint32_t index) {
  if (!durable_) return;
  auto& before = epochs_.back().before;
  if (before.find(index) == before.end()) before.emplace(index, file_.copy_block(index));
}

void PageFile::write(uint64_t offset, const void* data, size_t n) {
  if (batching_) {
    const auto* p = static_cast<const uint8_t*>(data);
    batch_.emplace_back(offset, std::vector<uint8_t>(p, p + n));
    return;
  }
  if (n == 0) return;
  in_txn_ = true;
  file_.write(offset, data, n, [this](uint32_t index) { touch(index); });
}

void PageFile::truncate(uint64_t size) {
  if (size == file_.size()) return;
  in_txn_ = true;
  if (durable_ && size < file_.size()) {
    // Dropped blocks move into the before-images (no copy); a partial last block is copied
    // because resize() zeroes its tail.
    auto& before = epochs_.back().before;
    uint64_t keep = blocks_for(size);
    for (uint64_t i = keep; i < file_.block_count(); ++i) {
      auto index = static_cast<uint32_t>(i);
      if (before.find(index) == before.end()) before.emplace(index, file_.copy_block(index));
    }
    if (size % kBlockSize != 0) touch(static_cast<uint32_t>(size / kBlockSize));
  }
  file_.resize(size);
}

void PageFile::begin_batch() {
  batching_ = true;
  batch_.clear();
}

void PageFile::commit_batch() {
  batching_ = false;
  for (auto& [offset, bytes] : batch_) write(offset, bytes.data(), bytes.size());
  batch_.clear();
}

void PageFile::rollback_batch() {
  batching_ = false;
  batch_.clear();
}

void PageFile::commit_point() {
  if (!in_txn_) return;
  in_txn_ = false;
  ++commit_count_;
}

bool PageFile::has_unpersisted() const {
  if (!durable_) return false;
  if (epochs_.size() > 1) return true;
  const Epoch& open = epochs_.back();
  return !open.before.empty() || open.size_before != file_.size();
}

std::optional<PageFile::Encoded> PageFile::take() {
  if (!durable_) return std::nullopt;
  if (in_txn_ || batching_) throw std::logic_error("page store: commit record requested inside a write transaction");
  Epoch& open = epochs_.back();
  if (open.before.empty() && open.size_before == file_.size()) return std::nullopt;

  uint64_t limit = blocks_for(file_.size());
  std::vector<uint32_t> blocks;
  blocks.reserve(open.before.size());
  for (const auto& [index, image] : open.before) {
    if (index < limit) blocks.push_back(index);
  }
  std::sort(blocks.begin(), blocks.end());
  Encoded rec;
  rec.seq = last_seq_ + 1;
  rec.bytes = encode_log(rec.seq, file_.size(), last_chain_, blocks,
                         [this](uint32_t i) -> const uint8_t* {
                           const Block* b = file_.block(i);
                           return b ? b->data() : nullptr;
                         });
  last_seq_ = rec.seq;
  last_chain_ = chain_of(rec.bytes);
  open.seq = last_seq_;
  open.chain = last_chain_;
  Epoch next;
  next.size_before = file_.size();
  epochs_.push_back(std::move(next));
  return rec;
}

void PageFile::persisted(uint64_t seq) {
  if (!durable_) return;
  while (epochs_.size() > 1 && epochs_.front().seq != 0 && epochs_.front().seq <= seq) {
    persisted_seq_ = epochs_.front().seq;
    persisted_chain_ = epochs_.front().chain;
    epochs_.pop_front();
  }
}

void PageFile::rollback() {
  if (!durable_) return;
  // Newest first, so a block touched in several epochs ends with its oldest image.
  for (auto it = epochs_.rbegin(); it != epochs_.rend(); ++it) {
    file_.resize(it->size_before);
    for (auto& [index, image] : it->before) {
      if (index < file_.block_count()) file_.set_block(index, std::move(image));
    }
  }
  in_txn_ = false;
  batching_ = false;
  batch_.clear();
  last_seq_ = persisted_seq_;
  last_chain_ = persisted_chain_;
  reset_epochs();
}

uint64_t PageFile::persisted_size() const {
  return durable_ && !epochs_.empty() ? epochs_.front().size_before : file_.size();
}

BlockSource PageFile::persisted_source() const {
  return [this](uint32_t i) -> const uint8_t* {
    // The oldest unpersisted epoch that touched a block holds its persisted image.
    for (const Epoch& e : epochs_) {
      auto found = e.before.find(i);
      if (found != e.before.end()) return found->second ? found->second->data() : nullptr;
    }
    const Block* b = file_.block(i);
    return b ? b->data() : nullptr;
  };
}

PageFile::Encoded PageFile::snapshot() const {
  Encoded snap;
  snap.seq = persisted_seq_;
  snap.bytes = encode_snapshot(persisted_seq_, persisted_size(), persisted_chain_, persisted_source());
  return snap;
}

SnapshotEncoder PageFile::snapshot_stream() const {
  return SnapshotEncoder(persisted_seq_, persisted_size(), persisted_chain_, persisted_source());
}

SnapshotEncoder PageFile::replacement_stream(const MemFile& content, uint32_t chain) const {
  return SnapshotEncoder(last_seq_ + 1, content.size(), chain, [&content](uint32_t i) -> const uint8_t* {
    const Block* b = content.block(i);
    return b ? b->data() : nullptr;
  });
}

std::vector<uint8_t> PageFile::contents() const {
  std::vector<uint8_t> out(static_cast<size_t>(file_.size()));
  file_.read(0, out.data(), out.size());
  return out;
}

bool PageFile::load_snapshot(const uint8_t* data, size_t n) {
  SnapshotDecoder decoder;
  decoder.feed(data, n);
  return adopt(decoder);
}

bool PageFile::adopt(SnapshotDecoder& decoder) {
  auto v = decoder.finish();
  if (!v) return false;
  file_ = std::move(decoder.file());
  in_txn_ = false;
  batching_ = false;
  batch_.clear();
  last_seq_ = persisted_seq_ = v->seq;
  last_chain_ = persisted_chain_ = v->chain;
  reset_epochs();
  return true;
}

void PageFile::adopt(MemFile&& content, uint64_t seq, uint32_t chain) {
  file_ = std::move(content);
  in_txn_ = false;
  batching_ = false;
  batch_.clear();
  last_seq_ = persisted_seq_ = seq;
  last_chain_ = persisted_chain_ = chain;
  reset_epochs();
}

MemFile PageFile::take_contents() {
  MemFile out = std::move(file_);
  file_.clear();
  reset_epochs();
  return out;
}

bool PageFile::apply_log(const uint8_t* data, size_t n) {
  if (has_unpersisted() || in_txn_) throw std::logic_error("page store: log replay on a file with unpersisted changes");
  auto v = parse_log(data, n);
  if (!v || v->seq != last_seq_ + 1 || v->prev_chain != last_chain_) return false;
  file_.resize(v->db_size);
  for (uint32_t i = 0; i < v->count; ++i) file_.set_block(v->block_number(i), v->block_data(i));
  last_seq_ = persisted_seq_ = v->seq;
  last_chain_ = persisted_chain_ = v->chain;
  reset_epochs();
  return true;
}

PageFile::Encoded PageFile::encode_replacement(const std::vector<uint8_t>& db, uint32_t chain) const {
  Encoded snap;
  snap.seq = last_seq_ + 1;
  snap.bytes = encode_snapshot(snap.seq, db.size(), chain, [&db](uint32_t i) -> const uint8_t* {
    return db.data() + static_cast<size_t>(i) * kBlockSize;
  });
  return snap;
}

}  // namespace larder::pages
