// PageStore: the path → file registry behind the VFS.
#include "page_store.h"

#include <algorithm>

namespace larder::pages {

PageStore& PageStore::instance() {
  static PageStore store;
  return store;
}

PageFile& PageStore::attach(const std::string& path, bool durable) {
  auto& slot = files_[path];
  if (!slot || slot->file.durable() != durable) slot = std::make_unique<StoreEntry>(durable);
  return slot->file;
}

void PageStore::detach(const std::string& path) { files_.erase(path); }

PageFile* PageStore::find(const std::string& path) {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second->file;
}

StoreEntry* PageStore::lookup(const std::string& path) {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : it->second.get();
}

StoreEntry* PageStore::create(const std::string& path) {
  auto& slot = files_[path];
  if (!slot) slot = std::make_unique<StoreEntry>(false);
  return slot.get();
}

StoreEntry* PageStore::create_anonymous() {
  unlinked_.push_back(std::make_unique<StoreEntry>(false));
  unlinked_.back()->delete_on_close = true;
  return unlinked_.back().get();
}

void PageStore::remove(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) return;
  if (it->second->opens > 0) {
    it->second->delete_on_close = true;
    unlinked_.push_back(std::move(it->second));
  }
  files_.erase(it);
}

void PageStore::release(StoreEntry* entry) {
  if (--entry->opens > 0 || !entry->delete_on_close) return;
  auto it = std::find_if(unlinked_.begin(), unlinked_.end(), [&](const auto& e) { return e.get() == entry; });
  if (it != unlinked_.end()) {
    unlinked_.erase(it);
    return;
  }
  for (auto f = files_.begin(); f != files_.end(); ++f) {
    if (f->second.get() == entry) {
      files_.erase(f);
      return;
    }
  }
}

}  // namespace larder::pages
