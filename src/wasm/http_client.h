// WasmHttpClient: the core's outgoing HTTP (net::HttpClient) in the wasm host, where nothing may
// block. A request it has no answer for throws HostIoNeeded{"fetch", key}: the key is the request
// itself as JSON ({"method","url","headers":[[name,value]...],"body"}), the JS host (sdk/src/
// net.ts) fetches it, hands the answer back with provide() and runs the core request again
// (util/host_io.h). Answers live until the core request that needed them finishes.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/net/http_client.h"

namespace larder::wasm {

class WasmHttpClient final : public net::HttpClient {
 public:
  net::OutResponse fetch(const net::OutRequest& req) override;
  // The host's answer to the request `key`; `error` non-empty: no answer (throws FetchError).
  void provide(const std::string& key, net::OutResponse res, std::string error);
  // The core request finished: its answers are not needed any more.
  void clear() { answers_.clear(); }

  static std::string key_of(const net::OutRequest& req);

 private:
  struct Answer {
    net::OutResponse res;
    std::string error;
  };
  std::map<std::string, Answer> answers_;
};

}  // namespace larder::wasm
