// Outgoing HTTP for the core (OAuth2 code exchange, user info, avatars). The core never does I/O
// itself: a host installs an HttpClient with App::set_http_client(), and the core asks it.
//
// Contract for implementations:
//   * fetch() returns whatever the server answered (any status; the body possibly cut to the
//     host's size cap) and throws net::FetchError when no answer could be had (DNS, connect,
//     TLS, timeout, a body over the cap, a malformed response).
//   * A host that cannot block (the wasm host) may throw its own exception type instead, run the
//     fetch asynchronously and then replay the whole core request with the answer cached. The
//     core supports this by doing every fetch of a request before any side effect, by building
//     byte-identical requests from identical input (no random values in them), and by never
//     catching unknown exception types around fetch(). Such an exception should not derive from
//     std::exception, or App::handle turns it into a 500 (net::FetchPending below is one).
//   * Redirects are not followed: a 3xx is returned as is (OAuth2 endpoints never redirect, and
//     following them would let a provider point the server at internal addresses).
#pragma once

#include <stdexcept>
#include <string>

#include "core/http/headers.h"

namespace larder::net {

struct OutRequest {
  std::string method, url;
  http::Headers headers;
  std::string body;
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

// For hosts that cannot block: "the answer is not here yet, replay the request later". Not a
// std::exception, so no generic handler in the core swallows it.
struct FetchPending {
  std::string url;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Throws FetchError on transport failure (see above).
  virtual OutResponse fetch(const OutRequest& req) = 0;
};

}  // namespace larder::net
