// The native FileStore: PocketBase's local storage layout under pb_data/storage/, readable by
// PocketBase itself (same keys, same .attrs sidecars). Writes are crash-safe: a temporary file is
// written and fsynced, renamed into place, and the directory fsynced, so once put() returns the
// file survives power loss, and a crash mid-write leaves no half file under the real name.
#pragma once

#include <string>

#include "core/files/store.h"

namespace larder::native {

class FsStore final : public files::FileStore {
 public:
  // Creates `root` if needed. Throws files::StoreError when it cannot.
  explicit FsStore(std::string root);

  void put(const std::string& key, std::string_view data, const std::string& content_type,
           const std::string& original_name) override;
  void remove(const std::string& key) override;
  void remove_prefix(const std::string& prefix) override;
  std::optional<files::FileInfo> stat(const std::string& key) override;
  std::optional<std::string> read(const std::string& key, uint64_t offset = 0, uint64_t length = UINT64_MAX) override;
  std::vector<std::string> list(const std::string& prefix) override;
  std::optional<std::string> local_path(const std::string& key) override;

 private:
  // root_ + "/" + key after is_safe_key(); throws StoreError otherwise.
  std::string path_of(const std::string& key) const;
  std::string root_;
};

}  // namespace larder::native
