// Outgoing HTTP over Boost.Beast (see http_client.h). Each step is asynchronous on a private
// io_context that is run only until the request's deadline, so a silent server costs at most
// the timeout; closing the socket then cancels whatever was pending.
#include "native/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <vector>
#ifdef LARDER_SMTP_TLS
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#endif

#include "core/util/ip.h"

namespace larder::native {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

struct BeastHttpClient::Tls {
#ifdef LARDER_SMTP_TLS
  asio::ssl::context ctx{asio::ssl::context::tls_client};
  Tls() {
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(asio::ssl::verify_peer);
  }
#endif
};

ParsedUrl parse_url(const std::string& url) {
  ParsedUrl u;
  std::string_view rest = url;
  if (rest.rfind("https://", 0) == 0) {
    u.https = true;
    rest.remove_prefix(8);
  } else if (rest.rfind("http://", 0) == 0) {
    rest.remove_prefix(7);
  } else {
    throw net::FetchError("unsupported URL scheme");
  }
  rest = rest.substr(0, rest.find('#'));
  size_t end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, end);
  std::string_view target = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  if (authority.find('@') != std::string_view::npos) throw net::FetchError("credentials in URLs are not supported");
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) throw net::FetchError("malformed IPv6 host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw net::FetchError("malformed host");
      port = after.substr(1);
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) throw net::FetchError("missing host");
  for (char c : host)
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '\\') throw net::FetchError("malformed host");
  if (port.empty()) port = u.https ? "443" : "80";
  if (port.size() > 5) throw net::FetchError("bad port");
  for (char c : port)
    if (c < '0' || c > '9') throw net::FetchError("bad port");
  if (std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535) throw net::FetchError("bad port");
  u.host = std::string(host);
  u.port = std::string(port);
  u.host_header = std::string(authority);
  u.target = target.empty() ? "/" : std::string(target);
  if (u.target.front() == '?') u.target.insert(0, "/");
  for (char c : u.target)
    if (static_cast<unsigned char>(c) <= ' ') throw net::FetchError("malformed path");
  return u;
}

namespace {

// Runs `io` until `done` or the deadline; on timeout closes `close` and reports it.
template <class Closer>
void wait(asio::io_context& io, bool& done, const error_code& ec, std::chrono::steady_clock::time_point deadline,
          Closer close, const char* step) {
  io.restart();
  auto left = deadline - std::chrono::steady_clock::now();
  if (left > std::chrono::steady_clock::duration::zero()) io.run_for(left);
  if (!done) {
    close();
    io.restart();
    io.run();  // lets the cancelled operation finish
    throw net::FetchError(std::string(step) + " timed out");
  }
  if (ec) throw net::FetchError(std::string(step) + ": " + ec.message());
}

}  // namespace

BeastHttpClient::BeastHttpClient(HttpClientConfig cfg) : cfg_(cfg), tls_(std::make_unique<Tls>()) {}
BeastHttpClient::~BeastHttpClient() = default;

std::string resolve_location(const std::string& base, std::string_view location) {
  if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) return std::string(location);
  ParsedUrl b = parse_url(base);
  const std::string origin = (b.https ? "https://" : "http://") + b.host_header;
  if (location.rfind("//", 0) == 0) return (b.https ? "https:" : "http:") + std::string(location);
  if (!location.empty() && location.front() == '/') return origin + std::string(location);
  std::string dir = b.target.substr(0, b.target.find('?'));
  dir = dir.substr(0, dir.rfind('/') + 1);
  if (!location.empty() && location.front() == '?') return origin + b.target.substr(0, b.target.find('?')) + std::string(location);
  return origin + dir + std::string(location);
}

net::OutResponse BeastHttpClient::fetch(const net::OutRequest& req) {
  const auto timeout = req.timeout_ms > 0 ? std::chrono::milliseconds(req.timeout_ms) : cfg_.timeout;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!req.follow_redirects) return fetch_one(req, deadline);
  // Go's client: at most 10 redirects; 301/302/303 turn a non-GET/HEAD into a body-less GET,
  // 307/308 repeat the request as it was. Every hop is held to the same policy (public_only).
  net::OutRequest hop = req;
  for (int redirects = 0;; ++redirects) {
    net::OutResponse res = fetch_one(hop, deadline);
    const bool redirect = res.status == 301 || res.status == 302 || res.status == 303 || res.status == 307 || res.status == 308;
    std::string_view location = res.headers.get("Location");
    if (!redirect || location.empty()) return res;
    if (redirects == 10) throw net::FetchError("stopped after 10 redirects");
    hop.url = resolve_location(hop.url, location);
    if (res.status <= 303 && hop.method != "GET" && hop.method != "HEAD") {
      hop.method = "GET";
      hop.body.clear();
    }
  }
}

net::OutResponse BeastHttpClient::fetch_one(const net::OutRequest& req, std::chrono::steady_clock::time_point deadline) {
  ParsedUrl u = parse_url(req.url);
  asio::io_context io;
  error_code ec;
  bool done = false;

  tcp::resolver resolver(io);
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(u.host, u.port, [&](const error_code& e, tcp::resolver::results_type r) {
    ec = e;
    endpoints = std::move(r);
    done = true;
  });
  wait(io, done, ec, deadline, [&] { resolver.cancel(); }, "resolve");
  // The addresses it may connect to: judged after resolution, so a name cannot point inward.
  std::vector<tcp::endpoint> allowed;
  for (const auto& e : endpoints) {
    if (req.public_only) {
      auto ip = util::parse_ip(e.endpoint().address().to_string());
      if (!ip || !util::is_public_address(*ip)) continue;
    }
    allowed.push_back(e.endpoint());
  }
  if (allowed.empty()) throw net::FetchError(req.public_only ? "the host resolves to no public address" : "no address");

  bhttp::request<bhttp::string_body> out;
  out.method_string(req.method);
  out.target(u.target);
  out.version(11);
  out.set(bhttp::field::host, u.host_header);
  for (const auto& [k, v] : req.headers.entries()) {
    if (k.find_first_of("\r\n:") != std::string::npos || v.find_first_of("\r\n") != std::string::npos)
      throw net::FetchError("invalid header");
    out.insert(k, v);
  }
  out.set(bhttp::field::connection, "close");
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    out.body() = req.body;
    out.prepare_payload();
  }

  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(req.max_body > 0 ? req.max_body : cfg_.max_body);
  parser.header_limit(static_cast<std::uint32_t>(cfg_.max_header));
  beast::flat_buffer buffer;

  // One exchange over any stream type (plain socket or TLS).
  auto exchange = [&](auto& stream, auto close) {
    done = false;
    bhttp::async_write(stream, out, [&](const error_code& e, size_t) {
      ec = e;
      done = true;
    });
    wait(io, done, ec, deadline, close, "write");
    done = false;
    bhttp::async_read(stream, buffer, parser, [&](const error_code& e, size_t) {
      ec = e;
      done = true;
    });
    wait(io, done, ec, deadline, close, "read");
  };

  tcp::socket plain(io);
#ifdef LARDER_SMTP_TLS
  std::optional<asio::ssl::stream<tcp::socket>> tls;
  if (u.https) tls.emplace(io, tls_->ctx);
  tcp::socket& socket = tls ? tls->next_layer() : plain;
#else
  if (u.https) throw net::FetchError("HTTPS is not available in this build (no OpenSSL)");
  tcp::socket& socket = plain;
#endif
  auto close_socket = [&] {
    error_code ignored;
    socket.close(ignored);
  };
  done = false;
  asio::async_connect(socket, allowed, [&](const error_code& e, const tcp::endpoint&) {
    ec = e;
    done = true;
  });
  wait(io, done, ec, deadline, close_socket, "connect");

#ifdef LARDER_SMTP_TLS
  if (tls) {
    // SNI, and the certificate must name the host we asked for.
    if (!SSL_set_tlsext_host_name(tls->native_handle(), u.host.c_str())) throw net::FetchError("TLS: bad host name");
    tls->set_verify_callback(asio::ssl::host_name_verification(u.host));
    done = false;
    tls->async_handshake(asio::ssl::stream_base::client, [&](const error_code& e) {
      ec = e;
      done = true;
    });
    wait(io, done, ec, deadline, close_socket, "TLS handshake");
    exchange(*tls, close_socket);
  } else {
    exchange(plain, close_socket);
  }
#else
  exchange(plain, close_socket);
#endif
  close_socket();

  auto& msg = parser.get();
  net::OutResponse res;
  res.status = static_cast<int>(msg.result_int());
  for (const auto& field : msg) res.headers.add(std::string(field.name_string()), std::string(field.value()));
  res.body = std::move(msg.body());
  return res;
}

}  // namespace larder::native
