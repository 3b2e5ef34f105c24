// The native HTTP host: Boost.Beast on Asio. I/O threads only parse and write bytes; every core
// call (which may block on SQLite) runs on a separate worker pool, so one slow query never
// stalls other connections.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/app/app.h"

namespace larder::native {

struct ServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 8090;
  unsigned io_threads = 0;      // 0 = hardware concurrency
  unsigned worker_threads = 0;  // 0 = 2 x hardware concurrency
  uint64_t body_limit = 32ull << 20;  // PocketBase's default request body limit (32 MiB)
};

class HttpServer {
 public:
  HttpServer(App& app, ServerConfig cfg);
  ~HttpServer();

  // Binds the listening socket; throws std::runtime_error with a PocketBase-styled message
  // ("listen tcp 127.0.0.1:8090: bind: address already in use") on failure.
  void listen();
  // The port actually bound (useful with port 0).
  uint16_t port() const;
  // Serves until stop() (or SIGINT/SIGTERM when handle_signals was requested) and returns after
  // in-flight requests finished (or the drain timeout passed).
  void run(bool handle_signals);
  void stop();

  struct Impl;  // opaque; public only so the connection sessions in the .cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace larder::native
