// Outgoing HTTP for the core (OAuth2 code exchange, user info, avatars). The core never does I/O
// itself: a host installs an HttpClient with App::set_http_client(), and the core asks it.
//
// Contract for implementations:
//   * fetch() returns whatever the server answered (any status; the body possibly cut to the
//     host's size cap) and throws net::FetchError when no answer could be had (DNS, connect,
//     TLS, timeout, a body over the cap, a malformed response).
//   * A host that cannot block (the wasm host, wasm/http_client.h) throws HostIoNeeded
//     (util/host_io.h) instead, runs the fetch asynchronously and then replays the whole core
//     request with the answer cached. The core supports this by doing every fetch of a request
//     before any side effect, by building byte-identical requests from identical input (no
//     random values in them), and by never catching unknown exception types around fetch().
//   * Redirects are not followed unless the request asks (follow_redirects): a 3xx is returned
//     as is (OAuth2 endpoints never redirect, and following them would let a provider point the
//     server at internal addresses). Avatar downloads follow them, with public_only.
//   * public_only: the host refuses to connect to loopback, private, link-local, multicast or
//     unspecified addresses (util/ip.h is_public_address), judged on the address it actually
//     connects to, for every redirect hop, so DNS cannot point the request inward. A browser
//     host cannot see addresses; there the request is the user's own browser fetching anyway.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "core/http/headers.h"

namespace larder::net {

struct OutRequest {
  std::string method, url;
  http::Headers headers;
  std::string body;
  // Policy and limits; 0 / false mean the host's defaults (30 s, 8 MiB, no redirects).
  int64_t timeout_ms = 0;
  uint64_t max_body = 0;         // a larger answer is a FetchError
  bool follow_redirects = false;  // at most 10 hops
  bool public_only = false;
};

struct OutResponse {
  int status = 0;
  http::Headers headers;
  std::string body;
};

// A transport failure: no (usable) answer from the server.
struct FetchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Throws FetchError on transport failure (see above).
  virtual OutResponse fetch(const OutRequest& req) = 0;
};

}  // namespace larder::net
