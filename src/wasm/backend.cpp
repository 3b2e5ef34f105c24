// Backend: the App's lifecycle over a page-store database.
#include "wasm/backend.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <exception>

#include "core/util/host_io.h"
#include "wasm/page_store/image.h"
#include "wasm/page_store/page_store.h"
#include "wasm/page_store/vfs.h"

namespace larder::wasm {

namespace {

// The core may keep other files under data_dir in the Emscripten file system (MEMFS).
void ensure_dir(const std::string& dir) {
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') mkdir(dir.substr(0, i).c_str(), 0777);
  }
}

}  // namespace

Backend::Backend(BackendConfig cfg)
    : cfg_(std::move(cfg)), path_(cfg_.data_dir + "/data.db"), staging_path_(cfg_.data_dir + "/.import.db") {
  pages::register_vfs();
  ensure_dir(cfg_.data_dir);
  file_ = &pages::PageStore::instance().attach(path_, cfg_.durable);
}

Backend::~Backend() {
  app_.reset();
  import_abort();
  pages::PageStore::instance().detach(path_);
}

std::string Backend::open() {
  if (app_) return "";
  AppConfig ac;
  ac.data_dir = cfg_.data_dir;
  ac.vfs = pages::kVfsName;
  // The journal lives in memory: a transaction that spills still commits through the page
  // store, and durability comes from the commit log, never from a journal on disk. Never
  // journal_mode=OFF or synchronous=OFF (BROWSER-NOTES: the latter skips the commit path).
  ac.journal_mode = "MEMORY";
  ac.synchronous = "FULL";
  ac.max_readers = 0;
  try {
    app_ = std::make_unique<App>(ac);
    auto store = std::make_unique<WasmStore>();
    store_ = store.get();
    app_->set_file_store(std::move(store));
    auto client = std::make_unique<WasmHttpClient>();
    http_ = client.get();
    app_->set_http_client(std::move(client));
  } catch (const std::exception& e) {
    store_ = nullptr;
    http_ = nullptr;
    app_.reset();
    return std::string("cannot open the database: ") + e.what();
  }
  return "";
}

void Backend::close() {
  store_ = nullptr;  // both owned by the App
  http_ = nullptr;
  app_.reset();
}

Backend::Answer Backend::handle(const http::Request& req, bool as_host) {
  Answer out;
  // Only after a failed open (the host reports why); never dereference a missing App.
  if (!app_) {
    out.res = http::Response::json(503, "{\"data\":{},\"message\":\"The database is not open.\",\"status\":503}\n");
    return out;
  }
  store_->begin_attempt();
  try {
    out.res = as_host ? app_->handle_as_host(req) : app_->handle(req);
  } catch (const HostIoNeeded& need) {
    out.need = need;
    store_->begin_attempt();  // the run is void: none of its file operations happen
    return out;
  }
  out.file_ops = store_->take_ops();
  http_->clear();
  return out;
}

void Backend::rollback() {
  close();
  file_->rollback();
}

std::string Backend::integrity_check() {
  sqlite3* conn = nullptr;
  std::string out;
  int rc = sqlite3_open_v2(path_.c_str(), &conn, SQLITE_OPEN_READONLY, pages::kVfsName);
  sqlite3_stmt* st = nullptr;
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(conn, "PRAGMA integrity_check", -1, &st, nullptr);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(st, 0);
      if (!out.empty()) out += '\n';
      out += text ? reinterpret_cast<const char*>(text) : "";
    }
    if (rc != SQLITE_DONE) out += std::string(out.empty() ? "" : "\n") + sqlite3_errmsg(conn);
  } else {
    out = conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc);
  }
  sqlite3_finalize(st);
  sqlite3_close_v2(conn);
  return out;
}

void Backend::import_begin() {
  import_abort();
  staging_ = &pages::PageStore::instance().attach(staging_path_, false);
  staged_bytes_ = 0;
}

void Backend::import_chunk(const uint8_t* data, size_t n) {
  staging_->write(staged_bytes_, data, n);
  staged_bytes_ += n;
}

std::string Backend::import_end() {
  if (!staging_) return "No import in progress.";
  uint8_t head[100] = {};
  size_t got = staging_->read(0, head, sizeof head);
  std::string why = pages::check_and_normalise_header(head, got, staging_->size());
  if (!why.empty()) return why;
  staging_->write(18, head + 18, 2);
  why = pages::quick_check(staging_path_);
  if (!why.empty()) return why;
  import_chain_ = 0;
  while (import_chain_ == 0) sqlite3_randomness(sizeof import_chain_, &import_chain_);
  import_seq_ = file_->last_seq() + 1;
  return "";
}

pages::SnapshotEncoder Backend::import_stream() { return file_->replacement_stream(staging_->data(), import_chain_); }

void Backend::import_commit() {
  close();
  file_->adopt(staging_->take_contents(), import_seq_, import_chain_);
  import_abort();
}

void Backend::import_abort() {
  if (staging_) pages::PageStore::instance().detach(staging_path_);
  staging_ = nullptr;
  staged_bytes_ = 0;
}

}  // namespace larder::wasm
