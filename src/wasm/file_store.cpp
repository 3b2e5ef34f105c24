// WasmStore (see file_store.h).
#include "wasm/file_store.h"

#include <algorithm>
#include <ctime>

#include "core/files/attrs.h"
#include "core/util/host_io.h"

namespace larder::wasm {

namespace {

// Facts are re-fetched on demand, so the map only needs a bound, not an eviction policy.
constexpr size_t kMaxFacts = 20000;

bool under(const std::string& key, const std::string& prefix) {
  return key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0 && key[prefix.size()] == '/';
}

std::string slice(const std::string& s, uint64_t offset, uint64_t length) {
  if (offset >= s.size()) return {};
  return s.substr(static_cast<size_t>(offset), static_cast<size_t>(std::min<uint64_t>(length, s.size() - offset)));
}

}  // namespace

void WasmStore::begin_attempt() {
  ops_.clear();
  overlay_.clear();
  removed_.clear();
}

std::vector<WasmStore::Op> WasmStore::take_ops() {
  if (facts_.size() > kMaxFacts) facts_.clear();
  for (const auto& op : ops_) apply(op);
  std::vector<Op> out = std::move(ops_);
  begin_attempt();
  data_.clear();  // thumb sources are needed by one request only
  return out;
}

void WasmStore::apply(const Op& op) {
  switch (op.kind) {
    case Op::Kind::Put:
      if (auto it = overlay_.find(op.key); it != overlay_.end()) facts_[op.key] = it->second;
      break;
    case Op::Kind::Remove:
      facts_[op.key] = Fact{};
      data_.erase(op.key);
      break;
    case Op::Kind::RemovePrefix:
      // Forgotten rather than marked missing: the same keys may be written again later.
      std::erase_if(facts_, [&](const auto& kv) { return under(kv.first, op.key); });
      std::erase_if(data_, [&](const auto& kv) { return under(kv.first, op.key); });
      break;
  }
}

void WasmStore::provide_stat(const std::string& key, std::optional<files::FileInfo> info) { facts_[key] = Fact{std::move(info)}; }

void WasmStore::provide_data(const std::string& key, std::optional<std::string> data) {
  if (data) data_[key] = std::move(*data);
  else facts_[key] = Fact{};
}

const WasmStore::Fact* WasmStore::fact(const std::string& key) const {
  if (auto it = overlay_.find(key); it != overlay_.end()) return &it->second;
  static const Fact missing{};
  for (const auto& p : removed_)
    if (under(key, p)) return &missing;
  if (auto it = facts_.find(key); it != facts_.end()) return &it->second;
  return nullptr;
}

void WasmStore::put(const std::string& key, std::string_view data, const std::string& content_type,
                    const std::string& original_name) {
  if (!files::is_safe_key(key)) throw files::StoreError("unsafe storage key");
  files::FileInfo info;
  info.size = data.size();
  info.modified_unix = static_cast<int64_t>(std::time(nullptr));
  info.content_type = content_type;
  ops_.push_back(Op{Op::Kind::Put, key, std::string(data), files::encode_attrs(data, content_type, original_name), {}});
  overlay_[key] = Fact{std::move(info)};
}

void WasmStore::put_staged(const std::string& key, const std::string& staged_id, uint64_t size,
                           const std::string& content_type, const std::string& original_name) {
  if (!files::is_safe_key(key)) throw files::StoreError("unsafe storage key");
  files::FileInfo info;
  info.size = size;
  info.modified_unix = static_cast<int64_t>(std::time(nullptr));
  info.content_type = content_type;
  ops_.push_back(Op{Op::Kind::Put, key, {}, files::encode_attrs(std::nullopt, content_type, original_name), staged_id});
  overlay_[key] = Fact{std::move(info)};
}

void WasmStore::remove(const std::string& key) {
  if (!files::is_safe_key(key)) return;  // never stored, so nothing to remove
  // An upload of this same attempt (a write that failed before its commit) is simply not done.
  const size_t before = ops_.size();
  std::erase_if(ops_, [&](const Op& op) { return op.kind == Op::Kind::Put && op.key == key; });
  const bool cancelled = ops_.size() != before;
  overlay_[key] = Fact{};
  if (!cancelled) ops_.push_back(Op{Op::Kind::Remove, key, {}, {}, {}});
}

void WasmStore::remove_prefix(const std::string& prefix) {
  if (!files::is_safe_key(prefix)) throw files::StoreError("unsafe storage key");
  // Puts are carried out before the commit and removals after it, so a put this removal covers
  // must not be done at all.
  std::erase_if(ops_, [&](const Op& op) { return op.kind == Op::Kind::Put && under(op.key, prefix); });
  std::erase_if(overlay_, [&](const auto& kv) { return under(kv.first, prefix); });
  removed_.push_back(prefix);
  ops_.push_back(Op{Op::Kind::RemovePrefix, prefix, {}, {}, {}});
}

std::optional<files::FileInfo> WasmStore::stat(const std::string& key) {
  if (!files::is_safe_key(key)) return std::nullopt;
  if (const Fact* f = fact(key)) return f->info;
  throw HostIoNeeded{"stat", key};
}

std::optional<std::string> WasmStore::read(const std::string& key, uint64_t offset, uint64_t length) {
  if (!files::is_safe_key(key)) return std::nullopt;
  for (auto it = ops_.rbegin(); it != ops_.rend(); ++it)
    if (it->kind == Op::Kind::Put && it->key == key)  // a staged upload's bytes were never here
      return it->staged.empty() ? std::optional(slice(it->data, offset, length)) : std::nullopt;
  if (const Fact* f = fact(key); f && !f->info) return std::nullopt;
  if (auto it = data_.find(key); it != data_.end()) return slice(it->second, offset, length);
  throw HostIoNeeded{"read", key};
}

std::vector<std::string> WasmStore::list(const std::string&) {
  throw files::StoreError("listing stored files is not available in the browser store");
}

std::optional<std::string> WasmStore::local_path(const std::string& key) {
  // A file put by this very request is still only in memory: the core sends those bytes.
  for (const auto& op : ops_)
    if (op.kind == Op::Kind::Put && op.key == key) return std::nullopt;
  return key;
}

}  // namespace larder::wasm
