// The wasm host's entry point: the core App behind Embind, for the service worker and the npm
// package. JS moves bytes in and out; everything else happens in the core.
//
// Transport encoding, chosen to cross the JS/wasm boundary cheaply: headers travel as one string
// of "name: value\n" lines (header values cannot contain newlines), bodies as bytes (a
// Uint8Array in, a Uint8Array copy out).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <sys/stat.h>

#include <memory>
#include <string>

#include "core/app/app.h"
#include "core/db/sqlite.h"
#include "core/json/json.h"

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

}  // namespace

class Backend {
 public:
  // config: JSON {"dataDir": "/pb_data"} (more keys arrive with the storage engine).
  explicit Backend(const std::string& config_json) {
    json::Value cfg = json::parse(config_json.empty() ? "{}" : config_json);
    AppConfig ac;
    ac.data_dir = std::string(cfg.find("dataDir") ? cfg.find("dataDir")->get_string("/pb_data") : "/pb_data");
    // One thread, one connection; the journal lives in memory until the page-store VFS lands.
    ac.journal_mode = "MEMORY";
    ac.synchronous = "FULL";
    ac.max_readers = 0;
    ensure_dir(ac.data_dir);
    app_ = std::make_unique<App>(ac);
  }

  // Returns {status, headers, body} with headers as "name: value\n" lines and body a Uint8Array.
  val handle(const std::string& method, const std::string& target, const std::string& header_lines,
             const std::string& body, const std::string& remote_ip) {
    http::Request req;
    req.method = method;
    req.target = target;
    parse_header_lines(header_lines, req.headers);
    req.body = body;
    req.remote_ip = remote_ip;
    http::Response res = app_->handle(req);

    std::string lines;
    for (const auto& [k, v] : res.headers.entries()) {
      lines += k;
      lines += ": ";
      lines += v;
      lines += '\n';
    }
    val out = val::object();
    out.set("status", res.status);
    out.set("headers", lines);
    out.set("body", val::global("Uint8Array").new_(emscripten::typed_memory_view(res.body.size(),
                                                   reinterpret_cast<const uint8_t*>(res.body.data()))));
    return out;
  }

 private:
  static void ensure_dir(const std::string& dir) {
    // MEMFS: create each path component; mkdir on an existing directory is harmless.
    std::string path;
    for (size_t i = 0; i <= dir.size(); ++i) {
      if (i == dir.size() || (dir[i] == '/' && i > 0)) {
        path = dir.substr(0, i);
        mkdir(path.c_str(), 0777);
      }
    }
  }

  std::unique_ptr<App> app_;
};

std::string sqlite_version() { return std::string(db::sqlite_version()); }

}  // namespace larder::wasm

EMSCRIPTEN_BINDINGS(larder) {
  emscripten::class_<larder::wasm::Backend>("Backend")
      .constructor<const std::string&>()
      .function("handle", &larder::wasm::Backend::handle);
  emscripten::function("sqliteVersion", &larder::wasm::sqlite_version);
}
