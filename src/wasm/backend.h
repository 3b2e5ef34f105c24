// Backend: one App (the whole core) over one database in the page store, for a JS host. The host
// drives storage around every core call: it recovers the file from its commit log before open(),
// takes the commit record a call produced, persists it, and only then releases the answer; if
// persisting fails it calls rollback(). See docs/storage-format.md and sdk/src/storage/.
//
// Plain C++ (no Embind here): bindings.cpp is the JS-facing layer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/app/app.h"
#include "core/http/message.h"
#include "core/util/host_io.h"
#include "wasm/file_store.h"
#include "wasm/http_client.h"
#include "wasm/page_store/page_file.h"

namespace larder::wasm {

struct BackendConfig {
  std::string data_dir = "/pb_data";
  // Durable: the host persists commit records (OPFS, a directory). Not durable: an in-memory
  // database for tests and demos; nothing is recorded.
  bool durable = false;
};

class Backend {
 public:
  explicit Backend(BackendConfig cfg);
  ~Backend();
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  // Creates the App on the current file contents (a new database is bootstrapped: that is a
  // commit the host must persist too). Returns "" or why it failed.
  std::string open();
  // Closes the App (its connections); the file stays.
  void close();
  bool is_open() const { return app_ != nullptr; }

  // One run of a request. Either `need` is set (the file store lacks a fact, or the HTTP client an
  // answer: the host supplies it through store() / http_client() and runs the request again;
  // nothing of this run happened), or `res` is the
  // answer and `file_ops` what the host must do in storage for it (wasm/file_store.h). Never
  // throws: the App turns every other failure into an error envelope.
  struct Answer {
    http::Response res;
    std::optional<HostIoNeeded> need;
    std::vector<WasmStore::Op> file_ops;
  };
  // `as_host`: App::handle_as_host (the host's own setup calls).
  Answer handle(const http::Request& req, bool as_host = false);
  // The open App's file store and HTTP client (null while closed): the host's answers go here.
  WasmStore* store() { return store_; }
  WasmHttpClient* http_client() { return http_; }
  // The App's realtime broker, or null while closed. Its clients die with the App (close,
  // rollback, import), so a host's streams must not outlive the App they were opened on.
  realtime::Broker* realtime() { return app_ ? &app_->realtime() : nullptr; }

  pages::PageFile& file() { return *file_; }
  // Persisting failed: close the App and restore the last persisted state. The host reopens
  // with open() (which may bootstrap, i.e. commit, if the persisted state is an empty file).
  void rollback();
  // PRAGMA integrity_check on a second, read-only connection: "ok" or SQLite's findings.
  std::string integrity_check();
  // ---- import, in steps: the database arrives in chunks into a staging file, is checked,
  // its snapshot is persisted by the host, and only then does it replace the current one ----
  void import_begin();
  void import_chunk(const uint8_t* data, size_t n);
  // Checks (header, quick_check) and normalises the staged file; "" or why it was refused.
  std::string import_end();
  // The staged database as snapshot last_seq()+1 with a fresh chain value, to persist.
  pages::SnapshotEncoder import_stream();
  // Closes the App; the staged database becomes current (the host reopens with open()).
  void import_commit();
  void import_abort();

 private:
  BackendConfig cfg_;
  std::string path_;
  pages::PageFile* file_;
  std::unique_ptr<App> app_;
  WasmStore* store_ = nullptr;  // owned by app_
  WasmHttpClient* http_ = nullptr;  // owned by app_
  std::string staging_path_;
  pages::PageFile* staging_ = nullptr;
  uint64_t staged_bytes_ = 0;
  uint32_t import_chain_ = 0;
  uint64_t import_seq_ = 0;
};

}  // namespace larder::wasm
