// WasmHttpClient (see http_client.h).
#include "wasm/http_client.h"

#include "core/json/json.h"
#include "core/util/host_io.h"

namespace larder::wasm {

std::string WasmHttpClient::key_of(const net::OutRequest& req) {
  json::Array headers;
  for (const auto& [k, v] : req.headers.entries()) headers.push_back(json::Value(json::Array{json::Value(k), json::Value(v)}));
  json::Object o;
  o.set("method", req.method);
  o.set("url", req.url);
  o.set("headers", json::Value(std::move(headers)));
  o.set("body", req.body);
  // The options change what the host does, so they are part of which answer this is. public_only
  // is not sent: a browser cannot see the addresses it connects to (net/http_client.h).
  if (req.timeout_ms > 0) o.set("timeoutMs", static_cast<double>(req.timeout_ms));
  if (req.max_body > 0) o.set("maxBody", static_cast<double>(req.max_body));
  if (req.follow_redirects) o.set("follow", true);
  return json::dump(json::Value(std::move(o)));
}

net::OutResponse WasmHttpClient::fetch(const net::OutRequest& req) {
  std::string key = key_of(req);
  auto it = answers_.find(key);
  if (it == answers_.end()) throw HostIoNeeded{"fetch", std::move(key)};
  if (!it->second.error.empty()) throw net::FetchError(it->second.error);
  return it->second.res;
}

void WasmHttpClient::provide(const std::string& key, net::OutResponse res, std::string error) {
  answers_[key] = Answer{std::move(res), std::move(error)};
}

}  // namespace larder::wasm
