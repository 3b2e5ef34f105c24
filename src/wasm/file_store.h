// WasmStore: the FileStore of the browser and Node hosts.
//
// The bytes live where only async JS can reach them (OPFS in the service worker; a directory or
// memory in Node), so this store never touches them:
//   writes   become operations the host carries out around the commit — puts before the log
//            record that references them is written, removals once that record is durable
//            (sdk/src/storage/files.ts), matching the native order in api/record_files.h;
//   reads    are answered from facts the host supplied; a missing fact throws HostIoNeeded
//            ("stat" or "read" with the key), the host looks it up and runs the request again.
//   streams  downloads name the key as Response::file_path; the host streams the stored file
//            straight from OPFS (a Blob), so served bytes never pass through the wasm heap.
//
// An "attempt" is one run of a request through the App. Its effects stay in an overlay until the
// attempt finishes: a request that throws HostIoNeeded (or fails) leaves no operations behind.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/files/store.h"

namespace larder::wasm {

class WasmStore final : public files::FileStore {
 public:
  struct Op {
    enum class Kind { Put, Remove, RemovePrefix };
    Kind kind;
    std::string key;
    std::string data;    // Put: the bytes (empty when staged)
    std::string attrs;   // Put: the .attrs sidecar (files/attrs.h)
    std::string staged;  // Put: the host's staged upload to move to `key` instead of `data`
  };

  // A new run of a request begins: drop what an unfinished earlier run left in the overlay.
  void begin_attempt();
  // The run finished: its operations, in order, for the host to carry out. They count as done
  // from now on (a host that fails to do them rolls the whole backend back, forgetting this).
  std::vector<Op> take_ops();
  // Facts from the host. stat: nullopt = no such file; attrs = the sidecar's bytes ("" if none).
  void provide_stat(const std::string& key, std::optional<files::FileInfo> info);
  void provide_data(const std::string& key, std::optional<std::string> data);

  void put(const std::string& key, std::string_view data, const std::string& content_type,
           const std::string& original_name) override;
  void put_staged(const std::string& key, const std::string& staged_id, uint64_t size, const std::string& content_type,
                  const std::string& original_name) override;
  void remove(const std::string& key) override;
  void remove_prefix(const std::string& prefix) override;
  std::optional<files::FileInfo> stat(const std::string& key) override;
  std::optional<std::string> read(const std::string& key, uint64_t offset = 0, uint64_t length = UINT64_MAX) override;
  std::vector<std::string> list(const std::string& prefix) override;
  std::optional<std::string> local_path(const std::string& key) override;

 private:
  struct Fact {
    std::optional<files::FileInfo> info;  // nullopt: known not to exist
  };
  const Fact* fact(const std::string& key) const;
  void apply(const Op& op);

  std::map<std::string, Fact> facts_;        // settled state, as far as known
  std::map<std::string, std::string> data_;  // contents the host supplied (thumb sources)
  std::vector<Op> ops_;                      // this attempt's
  std::map<std::string, Fact> overlay_;      // this attempt's effects
  std::vector<std::string> removed_;         // prefixes removed in this attempt
};

}  // namespace larder::wasm
