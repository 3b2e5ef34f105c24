// The native host's outgoing HTTP (net::HttpClient): one request per connection over
// Boost.Beast, HTTPS through OpenSSL when the build found it (LARDER_SMTP_TLS) with the
// certificate checked against the system trust store and the host name, an overall deadline per
// request, and caps on header and body size so a hostile server cannot exhaust memory.
// Redirects are returned, not followed, unless a request asks (see core/net/http_client.h);
// `public_only` requests connect only to public addresses, checked after DNS resolution.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/net/http_client.h"

namespace larder::native {

struct HttpClientConfig {
  std::chrono::milliseconds timeout{30000};  // the whole request: resolve to last body byte
  size_t max_body = 8u << 20;                 // larger answers are a FetchError
  size_t max_header = 64u << 10;
};

class BeastHttpClient : public net::HttpClient {
 public:
  explicit BeastHttpClient(HttpClientConfig cfg = {});
  ~BeastHttpClient() override;
  BeastHttpClient(const BeastHttpClient&) = delete;
  BeastHttpClient& operator=(const BeastHttpClient&) = delete;

  // Thread-safe: every call has its own connection and I/O context.
  net::OutResponse fetch(const net::OutRequest& req) override;

 private:
  net::OutResponse fetch_one(const net::OutRequest& req, std::chrono::steady_clock::time_point deadline);

  struct Tls;  // the shared OpenSSL context, when built with TLS
  HttpClientConfig cfg_;
  std::unique_ptr<Tls> tls_;
};

// The pieces of an absolute http(s) URL (exposed for tests). Throws net::FetchError when the URL
// is not one this client can fetch (other schemes, user info, a bad port).
struct ParsedUrl {
  bool https = false;
  std::string host;         // without IPv6 brackets
  std::string host_header;  // as sent in Host:
  std::string port;
  std::string target;       // path + query, at least "/"
};
ParsedUrl parse_url(const std::string& url);

// A redirect's Location resolved against the URL that answered it (absolute, scheme-relative,
// absolute-path, query-only and relative-path references). Throws net::FetchError for a base
// this client cannot fetch.
std::string resolve_location(const std::string& base, std::string_view location);

}  // namespace larder::native
