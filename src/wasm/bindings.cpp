// The wasm host's entry point: Backend (backend.h) behind Embind, for the service worker and the
// npm package. JS moves bytes in and out and does all waiting; the core and the page store
// decide everything else. The JS side of this contract is sdk/src/core.ts.
//
// Realtime (GET /api/realtime): there are no threads here, so no broker wakeups either. handle()
// reports the stream's client id, and the JS host polls realtimeTake() for every open stream
// after each call that may have published, and on a timer that also calls realtimeSweep().
//
// Transport encoding, chosen to cross the JS/wasm boundary cheaply: headers travel as one string
// of "name: value\n" lines (header values cannot contain newlines), bodies and storage records as
// bytes (a Uint8Array in; a Uint8Array copy out). Failures that JS must show to a user come back
// as {error: "sentence"} objects rather than exceptions (a C++ exception reaching JS carries no
// readable message in this Emscripten).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/db/sqlite.h"
#include "core/files/attrs.h"
#include "core/json/json.h"
#include "wasm/backend.h"
#include "wasm/page_store/page_store.h"

using emscripten::val;

namespace larder::wasm {

namespace {

void parse_header_lines(std::string_view lines, http::Headers& out) {
  while (!lines.empty()) {
    size_t nl = lines.find('\n');
    std::string_view line = lines.substr(0, nl);
    lines = nl == std::string_view::npos ? std::string_view{} : lines.substr(nl + 1);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    out.add(std::string(line.substr(0, colon)), std::string(value));
  }
}

void parse_staged_lines(std::string_view lines, std::map<std::string, uint64_t, std::less<>>& out) {
  while (!lines.empty()) {
    size_t nl = lines.find('\n');
    std::string_view line = lines.substr(0, nl);
    lines = nl == std::string_view::npos ? std::string_view{} : lines.substr(nl + 1);
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos || sp == 0) continue;
    uint64_t size = 0;
    for (char c : line.substr(sp + 1)) {
      if (c < '0' || c > '9') break;
      size = size * 10 + static_cast<uint64_t>(c - '0');
    }
    out.emplace(std::string(line.substr(0, sp)), size);
  }
}

val bytes_to_js(const uint8_t* data, size_t n) {
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(n, data));
}

val error_object(const std::string& message) {
  val out = val::object();
  out.set("error", message);
  return out;
}

val encoded_to_js(const pages::PageFile::Encoded& e) {
  val out = val::object();
  out.set("seq", static_cast<double>(e.seq));
  out.set("bytes", bytes_to_js(e.bytes.data(), e.bytes.size()));
  return out;
}

const uint8_t* data_of(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

// [{kind: "put", key, data, attrs} | {kind: "remove" | "removePrefix", key}], bytes as copies.
val file_ops_to_js(const std::vector<WasmStore::Op>& ops) {
  val out = val::array();
  for (size_t i = 0; i < ops.size(); ++i) {
    const WasmStore::Op& op = ops[i];
    val o = val::object();
    o.set("key", op.key);
    switch (op.kind) {
      case WasmStore::Op::Kind::Put:
        o.set("kind", std::string("put"));
        if (!op.staged.empty()) o.set("staged", op.staged);
        o.set("data", bytes_to_js(data_of(op.data), op.data.size()));
        o.set("attrs", bytes_to_js(data_of(op.attrs), op.attrs.size()));
        break;
      case WasmStore::Op::Kind::Remove:
        o.set("kind", std::string("remove"));
        break;
      case WasmStore::Op::Kind::RemovePrefix:
        o.set("kind", std::string("removePrefix"));
        break;
    }
    out.set(i, o);
  }
  return out;
}

}  // namespace

// The JS-facing object: config JSON {"dataDir": "/pb_data", "durable": false}.
class JsBackend {
 public:
  explicit JsBackend(const std::string& config_json) : backend_(parse_config(config_json)) {}

  // "" or why the database could not be opened.
  std::string open() { return backend_.open(); }
  void close() { backend_.close(); }
  bool isOpen() const { return backend_.is_open(); }

  // Returns {status, headers, body} with headers as "name: value\n" lines and body a Uint8Array.
  // `staged`: the uploads the host stored for this call, as "id size\n" lines
  // (http::Request::staged_uploads).
  val handle(const std::string& method, const std::string& target, const std::string& header_lines,
             const std::string& body, const std::string& remote_ip, const std::string& staged) {
    return run(method, target, header_lines, body, remote_ip, staged, false);
  }
  // handle() as the host's own superuser (App::handle_as_host): applying the app's shipped
  // collections and seed records. Only worker code reaches it, never a page's request.
  val handleAsHost(const std::string& method, const std::string& target, const std::string& header_lines,
                   const std::string& body) {
    return run(method, target, header_lines, body, "127.0.0.1", "", true);
  }

 private:
  val run(const std::string& method, const std::string& target, const std::string& header_lines,
          const std::string& body, const std::string& remote_ip, const std::string& staged, bool as_host) {
    http::Request req;
    req.method = method;
    req.target = target;
    parse_header_lines(header_lines, req.headers);
    req.body = body;
    req.remote_ip = remote_ip;
    parse_staged_lines(staged, req.staged_uploads);
    Backend::Answer answer = backend_.handle(req, as_host);
    val out = val::object();
    if (answer.need) {
      // Nothing happened: the host supplies the fact (fileStat / fileData) and calls again.
      val need = val::object();
      need.set("kind", answer.need->kind);
      need.set("key", answer.need->key);
      out.set("need", need);
      return out;
    }
    http::Response& res = answer.res;
    // JS polls rather than being woken (no threads to wake from), but registering marks the
    // client as streamed: the broker then keeps it until realtimeDisconnect() instead of
    // treating it as an abandoned connection.
    if (!res.stream_client.empty())
      if (realtime::Broker* broker = backend_.realtime()) broker->set_wakeup(res.stream_client, [] {});

    std::string lines;
    for (const auto& [k, v] : res.headers.entries()) {
      lines += k;
      lines += ": ";
      lines += v;
      lines += '\n';
    }
    out.set("need", val::null());
    out.set("status", res.status);
    out.set("headers", lines);
    out.set("body", bytes_to_js(reinterpret_cast<const uint8_t*>(res.body.data()), res.body.size()));
    // Non-empty: the body is this realtime client's SSE stream, pulled with realtimeTake().
    out.set("streamClient", res.stream_client);
    // Non-empty: the body is [fileOffset, fileOffset + fileLength) of this stored file, which
    // the host streams from storage itself.
    out.set("filePath", res.file_path);
    out.set("fileOffset", static_cast<double>(res.file_offset));
    out.set("fileLength", static_cast<double>(res.file_length));
    out.set("fileOps", file_ops_to_js(answer.file_ops));
    return out;
  }


 public:
  // ---- files: see sdk/src/storage/files.ts -------------------------------------------------------
  // What the host found for a "stat" need: exists, size, mtime (seconds) and the .attrs bytes.
  void fileStat(const std::string& key, bool exists, double size, double mtime, const std::string& attrs) {
    WasmStore* store = backend_.store();
    if (!store) return;
    if (!exists) return store->provide_stat(key, std::nullopt);
    files::FileInfo info;
    info.size = static_cast<uint64_t>(size);
    info.modified_unix = static_cast<int64_t>(mtime);
    info.content_type = files::attrs_content_type(attrs);
    store->provide_stat(key, info);
  }
  // The answer to a "fetch" need (sdk/src/net.ts): ok false = no answer, `error` says why.
  void fetchResult(const std::string& key, bool ok, double status, const std::string& header_lines,
                   const std::string& body, const std::string& error) {
    WasmHttpClient* client = backend_.http_client();
    if (!client) return;
    net::OutResponse res;
    if (ok) {
      res.status = static_cast<int>(status);
      parse_header_lines(header_lines, res.headers);
      res.body = body;
    }
    client->provide(key, std::move(res), ok ? std::string() : (error.empty() ? "the request failed" : error));
  }
  // What the host found for a "read" need: the whole file, or exists false.
  void fileData(const std::string& key, bool exists, const std::string& bytes) {
    if (WasmStore* store = backend_.store()) store->provide_data(key, exists ? std::optional<std::string>(bytes) : std::nullopt);
  }

  // ---- realtime: see sdk/src/realtime.ts ----------------------------------------------------------
  // {open, data}: whole SSE frames (a Uint8Array copy, possibly empty) queued for the client;
  // open false means the stream must end (unknown, overflowed or expired client, or the App
  // was closed since the stream began).
  val realtimeTake(const std::string& client_id, double max_bytes) {
    realtime::Broker* broker = backend_.realtime();
    realtime::Broker::Chunk chunk;
    if (broker) chunk = broker->take(client_id, static_cast<size_t>(max_bytes));
    else chunk.open = false;
    val out = val::object();
    out.set("open", chunk.open);
    out.set("data", bytes_to_js(data_of(chunk.data), chunk.data.size()));
    return out;
  }
  // The stream was cancelled or ended: forget the client (unknown ids are ignored).
  void realtimeDisconnect(const std::string& client_id) {
    if (realtime::Broker* broker = backend_.realtime()) broker->disconnect(client_id);
  }
  // Marks clients idle or alive too long as closed (their next take says open: false).
  void realtimeSweep() {
    if (realtime::Broker* broker = backend_.realtime()) broker->sweep();
  }

  // ---- storage: see sdk/src/storage/engine.ts for how the host uses these --------------------------
  double commitCount() const { return static_cast<double>(file().commit_count()); }
  double lastSeq() const { return static_cast<double>(file().last_seq()); }
  double persistedSeq() const { return static_cast<double>(file().persisted_seq()); }
  double databaseSize() const { return static_cast<double>(file().size()); }
  bool hasUnpersisted() const { return file().has_unpersisted(); }

  // null when nothing changed since the last take; {seq, bytes}; or {error}.
  val takeCommit() {
    try {
      auto rec = backend_.file().take();
      return rec ? encoded_to_js(*rec) : val::null();
    } catch (const std::exception& e) {
      return error_object(e.what());
    }
  }
  void persisted(double seq) { backend_.file().persisted(static_cast<uint64_t>(seq)); }
  // Closes the App and restores the last persisted state; the host calls open() next.
  void rollback() { backend_.rollback(); }
  std::string integrityCheck() { return backend_.integrity_check(); }

  // Snapshots leave as a stream: snapshotBegin() / importSnapshotBegin() give {seq, size}; then
  // streamNext(max) until `size` bytes came. Each chunk is a view into wasm memory, valid until
  // the next call: the host copies it at once, and drains the stream without yielding.
  val snapshotBegin() { return begin_stream(backend_.file().snapshot_stream()); }
  val importSnapshotBegin() { return begin_stream(backend_.import_stream()); }
  val streamNext(double max) {
    if (!stream_) return bytes_view(nullptr, 0);
    chunk_.resize(static_cast<size_t>(max));
    size_t n = stream_->next(chunk_.data(), chunk_.size());
    if (n == 0) stream_.reset();
    return bytes_view(chunk_.data(), n);
  }

  // Recovery, before open(): a snapshot arrives in chunks (loadBegin, loadChunk..., loadEnd:
  // true if it was intact and is now current), then log records one by one.
  void loadBegin() { loader_.emplace(); }
  bool loadChunk(const std::string& bytes) { return loader_ && loader_->feed(data_of(bytes), bytes.size()); }
  bool loadEnd() {
    bool ok = loader_ && backend_.file().adopt(*loader_);
    loader_.reset();
    return ok;
  }
  bool applyLog(const std::string& bytes) {
    try {
      return backend_.file().apply_log(data_of(bytes), bytes.size());
    } catch (const std::exception&) {
      return false;
    }
  }

  val exportDatabase() const {
    std::vector<uint8_t> db = file().contents();
    return bytes_to_js(db.data(), db.size());
  }

  // Import: importBegin, importChunk..., importEnd ("" or why refused), importSnapshotBegin +
  // streamNext (persist it), then importCommit (closes the App; open() next) — or importAbort.
  void importBegin() { backend_.import_begin(); }
  void importChunk(const std::string& bytes) { backend_.import_chunk(data_of(bytes), bytes.size()); }
  std::string importEnd() { return backend_.import_end(); }
  void importCommit() { backend_.import_commit(); }
  void importAbort() { backend_.import_abort(); }

 private:
  static BackendConfig parse_config(const std::string& config_json) {
    json::Value cfg = json::parse(config_json.empty() ? "{}" : config_json);
    BackendConfig bc;
    if (const json::Value* d = cfg.find("dataDir")) bc.data_dir = std::string(d->get_string("/pb_data"));
    if (const json::Value* d = cfg.find("durable")) bc.durable = d->get_bool(false);
    return bc;
  }
  const pages::PageFile& file() const { return const_cast<Backend&>(backend_).file(); }
  val begin_stream(pages::SnapshotEncoder enc) {
    val out = val::object();
    out.set("seq", static_cast<double>(enc.seq()));
    out.set("size", static_cast<double>(enc.size()));
    stream_.emplace(std::move(enc));
    return out;
  }
  static val bytes_view(const uint8_t* data, size_t n) { return val(emscripten::typed_memory_view(n, data)); }

  Backend backend_;
  std::optional<pages::SnapshotEncoder> stream_;
  std::vector<uint8_t> chunk_;
  std::optional<pages::SnapshotDecoder> loader_;
};

std::string sqlite_version() { return std::string(db::sqlite_version()); }

val page_store_stats() {
  const auto& s = pages::PageStore::instance().stats();
  val out = val::object();
  out.set("atomicBatches", static_cast<double>(s.atomic_batches));
  out.set("journalOpens", static_cast<double>(s.journal_opens));
  return out;
}

}  // namespace larder::wasm

EMSCRIPTEN_BINDINGS(larder) {
  using larder::wasm::JsBackend;
  emscripten::class_<JsBackend>("Backend")
      .constructor<const std::string&>()
      .function("open", &JsBackend::open)
      .function("close", &JsBackend::close)
      .function("isOpen", &JsBackend::isOpen)
      .function("handle", &JsBackend::handle)
      .function("handleAsHost", &JsBackend::handleAsHost)
      .function("fileStat", &JsBackend::fileStat)
      .function("fileData", &JsBackend::fileData)
      .function("fetchResult", &JsBackend::fetchResult)
      .function("realtimeTake", &JsBackend::realtimeTake)
      .function("realtimeDisconnect", &JsBackend::realtimeDisconnect)
      .function("realtimeSweep", &JsBackend::realtimeSweep)
      .function("commitCount", &JsBackend::commitCount)
      .function("lastSeq", &JsBackend::lastSeq)
      .function("persistedSeq", &JsBackend::persistedSeq)
      .function("databaseSize", &JsBackend::databaseSize)
      .function("hasUnpersisted", &JsBackend::hasUnpersisted)
      .function("takeCommit", &JsBackend::takeCommit)
      .function("persisted", &JsBackend::persisted)
      .function("rollback", &JsBackend::rollback)
      .function("integrityCheck", &JsBackend::integrityCheck)
      .function("snapshotBegin", &JsBackend::snapshotBegin)
      .function("importSnapshotBegin", &JsBackend::importSnapshotBegin)
      .function("streamNext", &JsBackend::streamNext)
      .function("loadBegin", &JsBackend::loadBegin)
      .function("loadChunk", &JsBackend::loadChunk)
      .function("loadEnd", &JsBackend::loadEnd)
      .function("applyLog", &JsBackend::applyLog)
      .function("exportDatabase", &JsBackend::exportDatabase)
      .function("importBegin", &JsBackend::importBegin)
      .function("importChunk", &JsBackend::importChunk)
      .function("importEnd", &JsBackend::importEnd)
      .function("importCommit", &JsBackend::importCommit)
      .function("importAbort", &JsBackend::importAbort);
  emscripten::function("sqliteVersion", &larder::wasm::sqlite_version);
  emscripten::function("pageStoreStats", &larder::wasm::page_store_stats);
}
