// Where record files live, behind one interface the core calls synchronously:
//   native   pb_data/storage/<collectionId>/<recordId>/<name> (+ .attrs sidecars), fsynced
//            (native/fs_store.h)
//   browser  OPFS (service worker) or a directory / memory (Node), reached only by the JS host:
//            wasm/file_store.h
//
// Keys look like "<collectionId>/<recordId>/<filename>" (thumbs one level deeper) and are built
// only through storage_key(), which refuses any component that could leave its directory; every
// implementation re-checks with is_safe_key() before touching anything.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace larder::files {

struct FileInfo {
  uint64_t size = 0;
  int64_t modified_unix = 0;  // seconds (Last-Modified has second resolution)
  std::string content_type;   // as recorded at upload ("application/octet-stream" if unknown)
};

// A store operation that failed (I/O error, unsafe key). Uploads turn it into an error answer.
struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class FileStore {
 public:
  virtual ~FileStore() = default;

  // Stores `data` under `key` durably before returning (native: file and directory fsynced),
  // replacing any previous object. `original_name` goes to the .attrs metadata, as PocketBase
  // records it. Throws StoreError.
  virtual void put(const std::string& key, std::string_view data, const std::string& content_type,
                   const std::string& original_name) = 0;
  // Takes an upload the host stored before the request (http::Request::staged_uploads) as
  // `key`. Only the wasm store has staged uploads; the others refuse.
  virtual void put_staged(const std::string& key, const std::string& staged_id, uint64_t size,
                          const std::string& content_type, const std::string& original_name) {
    (void)key, (void)staged_id, (void)size, (void)content_type, (void)original_name;
    throw StoreError("this store takes no staged uploads");
  }
  // Removes one object (and its metadata). Missing objects are not an error.
  virtual void remove(const std::string& key) = 0;
  // Removes everything under the folder `prefix` ("<collectionId>/<recordId>"), recursively.
  virtual void remove_prefix(const std::string& prefix) = 0;

  virtual std::optional<FileInfo> stat(const std::string& key) = 0;
  bool exists(const std::string& key) { return stat(key).has_value(); }
  // `length` bytes from `offset` (fewer at the end of the file); nullopt when missing.
  virtual std::optional<std::string> read(const std::string& key, uint64_t offset = 0,
                                          uint64_t length = UINT64_MAX) = 0;
  // Keys of the objects under the folder `prefix`, recursively, sorted; metadata excluded.
  virtual std::vector<std::string> list(const std::string& prefix) = 0;
  // A filesystem path the host may stream the object from instead of holding it in memory;
  // nullopt when the store has none (then the core reads the bytes).
  virtual std::optional<std::string> local_path(const std::string&) { return std::nullopt; }
};

// One key component: an id, a file name or a "thumbs_<name>" folder. Non-empty, at most 255
// bytes, not "." or "..", not starting with '.', no '/', '\\', NUL or other control characters.
bool is_safe_key_component(std::string_view c);
// Every '/'-separated component safe (so no leading '/', no "//", no "..").
bool is_safe_key(std::string_view key);
// Joins components with '/'; nullopt if any is unsafe. The only way keys are made.
std::optional<std::string> storage_key(std::initializer_list<std::string_view> components);

}  // namespace larder::files
