// One SMTP transaction over Boost.Asio (see smtp_mailer.h). Asynchronous operations driven by
// io_context::run_for give every step a deadline; blocking socket calls would not.
#include <utility>  // before Boost 1.74's asio, whose awaitable.hpp uses std::exchange unincluded

#include <boost/asio.hpp>
#ifdef LARDER_SMTP_TLS
#include <boost/asio/ssl.hpp>
#endif

#include <strings.h>

#include <chrono>
#include <cstdlib>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/crypto/base64.h"
#include "native/smtp_mailer.h"

namespace larder::native {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // text after "NNN-" / "NNN "
  std::string text() const {
    std::string t = std::to_string(code);
    for (const auto& l : lines) t += " " + l;
    return t;
  }
};

// Refuses CR/LF (command injection) and angle brackets in an address put into MAIL/RCPT.
std::string checked_address(const std::string& a) {
  if (a.empty() || a.find_first_of("\r\n<>") != std::string::npos)
    throw std::runtime_error("invalid mail address \"" + a + "\"");
  return a;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

class Session {
 public:
  explicit Session(const SmtpConfig& cfg)
      : cfg_(cfg)
#ifdef LARDER_SMTP_TLS
        , tls_ctx_(asio::ssl::context::tls_client), stream_(io_, tls_ctx_)
#endif
  {
#ifdef LARDER_SMTP_TLS
    tls_ctx_.set_default_verify_paths();
    stream_.set_verify_mode(asio::ssl::verify_peer);
    stream_.set_verify_callback(asio::ssl::host_name_verification(cfg_.host));
#endif
  }

  void connect() {
    tcp::resolver resolver(io_);
    tcp::resolver::results_type endpoints;
    error_code ec;
    bool done = false;
    resolver.async_resolve(cfg_.host, std::to_string(cfg_.port), [&](const error_code& e, tcp::resolver::results_type r) {
      ec = e;
      endpoints = std::move(r);
      done = true;
    });
    wait(done, ec, "resolve");
    done = false;
    asio::async_connect(socket(), endpoints, [&](const error_code& e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    wait(done, ec, "connect");
  }

  // Implicit TLS, or the upgrade after STARTTLS.
  void start_tls() {
#ifdef LARDER_SMTP_TLS
    // SNI: servers hosting several names pick the certificate by it.
    SSL_set_tlsext_host_name(stream_.native_handle(), cfg_.host.c_str());
    error_code ec;
    bool done = false;
    stream_.async_handshake(asio::ssl::stream_base::client, [&](const error_code& e) {
      ec = e;
      done = true;
    });
    wait(done, ec, "TLS handshake");
    tls_ = true;
#else
    throw std::runtime_error("TLS is not available in this build (no OpenSSL)");
#endif
  }

  Reply read_reply() {
    Reply r;
    for (;;) {
      std::string line = read_line();
      if (line.size() < 3) throw std::runtime_error("malformed SMTP reply \"" + line + "\"");
      int code = std::atoi(line.substr(0, 3).c_str());
      if (r.lines.empty()) r.code = code;
      r.lines.push_back(line.size() > 4 ? line.substr(4) : "");
      if (line.size() == 3 || line[3] != '-') return r;
      if (r.lines.size() > 1000) throw std::runtime_error("SMTP reply too long");
    }
  }

  // Sends `line` (CRLF added) and expects a reply of class `want` (2 or 3); returns it.
  Reply command(const std::string& line, int want, const char* what) {
    write(line + "\r\n");
    Reply r = read_reply();
    if (r.code / 100 != want) throw std::runtime_error(std::string(what) + " failed: " + r.text());
    return r;
  }

  void write(const std::string& data) {
    error_code ec;
    bool done = false;
    auto h = [&](const error_code& e, size_t) {
      ec = e;
      done = true;
    };
#ifdef LARDER_SMTP_TLS
    if (tls_) asio::async_write(stream_, asio::buffer(data), h);
    else
#endif
      asio::async_write(socket(), asio::buffer(data), h);
    wait(done, ec, "write");
  }

  bool tls_active() const { return tls_; }

 private:
  tcp::socket& socket() {
#ifdef LARDER_SMTP_TLS
    return stream_.next_layer();
#else
    return socket_;
#endif
  }

  std::string read_line() {
    error_code ec;
    bool done = false;
    auto h = [&](const error_code& e, size_t) {
      ec = e;
      done = true;
    };
#ifdef LARDER_SMTP_TLS
    if (tls_) asio::async_read_until(stream_, buf_, "\r\n", h);
    else
#endif
      asio::async_read_until(socket(), buf_, "\r\n", h);
    wait(done, ec, "read");
    std::istream in(&buf_);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }

  void wait(bool& done, error_code& ec, const char* step) {
    io_.restart();
    io_.run_for(std::chrono::seconds(cfg_.timeout_seconds));
    if (!done) {
      error_code ignored;
      socket().close(ignored);  // cancels the pending operation
      io_.restart();
      io_.run();
      throw std::runtime_error(std::string("SMTP ") + step + " timed out");
    }
    if (ec) throw std::runtime_error(std::string("SMTP ") + step + ": " + ec.message());
  }

  const SmtpConfig& cfg_;
  asio::io_context io_;
  // A read may fetch more than one line; the rest waits here. Bounded so that a server streaming
  // garbage without CRLF cannot grow it without limit.
  asio::streambuf buf_{64 * 1024};
#ifdef LARDER_SMTP_TLS
  asio::ssl::context tls_ctx_;
  asio::ssl::stream<tcp::socket> stream_;
#else
  tcp::socket socket_{io_};
#endif
  bool tls_ = false;
};

#ifdef LARDER_SMTP_TLS
bool has_extension(const Reply& ehlo, const std::string& name) {
  for (size_t i = 1; i < ehlo.lines.size(); ++i) {
    const std::string& l = ehlo.lines[i];
    if (l.size() >= name.size() && strncasecmp(l.c_str(), name.c_str(), name.size()) == 0 &&
        (l.size() == name.size() || l[name.size()] == ' '))
      return true;
  }
  return false;
}
#endif

// Lines starting with '.' get another one (RFC 5321 §4.5.2); the input already uses CRLF.
std::string dot_stuff(const std::string& data) {
  std::string out;
  out.reserve(data.size() + 16);
  bool line_start = true;
  for (char ch : data) {
    if (line_start && ch == '.') out += '.';
    out += ch;
    line_start = ch == '\n';
  }
  return out;
}

}  // namespace

void smtp_deliver(const SmtpConfig& cfg, const mail::Message& msg) {
  std::string from = checked_address(msg.from.address);
  std::string to = checked_address(msg.to);
  std::string helo = cfg.local_name.empty() ? "localhost" : cfg.local_name;
  if (helo.find_first_of("\r\n ") != std::string::npos) throw std::runtime_error("invalid SMTP localName");

  Session s(cfg);
  s.connect();
  if (cfg.tls) s.start_tls();
  Reply greeting = s.read_reply();
  if (greeting.code != 220) throw std::runtime_error("SMTP greeting: " + greeting.text());
  Reply ehlo = s.command("EHLO " + helo, 2, "EHLO");
#ifdef LARDER_SMTP_TLS
  if (!s.tls_active() && has_extension(ehlo, "STARTTLS")) {
    s.command("STARTTLS", 2, "STARTTLS");
    s.start_tls();
    ehlo = s.command("EHLO " + helo, 2, "EHLO");
  }
#endif
  if (!cfg.username.empty()) {
    // Like Go's smtp.PlainAuth: never put a password on an unencrypted wire to a remote host.
    if (!s.tls_active() && !is_loopback(cfg.host))
      throw std::runtime_error("refusing SMTP AUTH over an unencrypted connection");
    if (cfg.auth_method == "LOGIN") {
      s.command("AUTH LOGIN", 3, "AUTH LOGIN");
      s.command(crypto::base64_encode(cfg.username), 3, "AUTH LOGIN username");
      s.command(crypto::base64_encode(cfg.password), 2, "AUTH LOGIN password");
    } else {
      std::string creds = std::string(1, '\0') + cfg.username + std::string(1, '\0') + cfg.password;
      s.command("AUTH PLAIN " + crypto::base64_encode(creds), 2, "AUTH PLAIN");
    }
  }
  s.command("MAIL FROM:<" + from + ">", 2, "MAIL FROM");
  s.command("RCPT TO:<" + to + ">", 2, "RCPT TO");
  s.command("DATA", 3, "DATA");
  s.command(dot_stuff(format_mime(msg)) + ".", 2, "message");  // format_mime ends in CRLF
  try {
    s.command("QUIT", 2, "QUIT");
  } catch (const std::exception&) {
    // The message is accepted already; a server that drops the line on QUIT changes nothing.
  }
}

}  // namespace larder::native
