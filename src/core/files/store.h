// Where record files live, behind one interface the core calls synchronously:
//   native   pb_data/storage/<collectionId>/<recordId>/<name> (+ .attrs sidecars), fsynced
//   browser  OPFS, owned by the service worker; the wasm side keeps an index of what exists and
//            queues writes/deletes that the worker performs before the commit is persisted
//
// Keys look like "<collectionId>/<recordId>/<filename>" and are built only from validated ids
// and names (files::is_safe_filename), never from raw request paths.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace larder::files {

struct FileInfo {
  int64_t size = 0;
  int64_t modified_unix_ms = 0;
  std::string content_type;  // as recorded at upload ("application/octet-stream" if unknown)
};

class FileStore {
 public:
  virtual ~FileStore() = default;

  // Stores `data` under `key` durably before returning (native), or queues it to be made
  // durable before the current write's commit is persisted (browser). `original_name` goes to
  // the .attrs metadata, as PocketBase records it.
  virtual void put(const std::string& key, std::string_view data, const std::string& content_type,
                   const std::string& original_name) = 0;
  // Removes one key, or everything under `prefix/` when the key ends with '/'. Called after the
  // commit that stopped referencing the files; failures are logged, not fatal.
  virtual void remove(const std::string& key_or_prefix) = 0;

  virtual std::optional<FileInfo> stat(const std::string& key) = 0;
  // The bytes of a stored file, or nullopt when the store cannot read synchronously right now
  // (the browser: the host then loads the file and retries; see App::needs_file).
  virtual std::optional<std::string> read(const std::string& key) = 0;
};

}  // namespace larder::files
