// Beast server: accept loop, one Session per connection (keep-alive), core calls on a worker
// pool, graceful drain on shutdown. A GET /api/realtime answer turns its Session into an SSE
// stream fed from the core's realtime broker (see Session::start_stream); a file download that
// names a file on disk is streamed from it in pieces (see Session::write_file).
#include "native/http_server.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/http/error.h"

namespace larder::native {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr auto kIdleTimeout = 120s;   // keep-alive connection with no request
constexpr auto kIoTimeout = 300s;     // one request's header/body, or one response write
constexpr uint32_t kHeaderLimit = 1u << 20;  // Go's default MaxHeaderBytes
constexpr auto kStreamWriteTimeout = 60s;     // a realtime client that reads nothing this long is dropped
constexpr size_t kStreamChunk = 64 * 1024;    // bytes taken from the broker per write
constexpr auto kRealtimeSweep = 5s;           // how often idle/expired realtime clients are closed
constexpr auto kAuthPurge = 1h;               // how often spent _otps/_mfas rows are deleted (PocketBase: hourly)
constexpr size_t kFileChunk = 256 * 1024;     // bytes read from disk per write of a file download
constexpr size_t kBodyReadChunk = 64 * 1024;  // socket read size while a large body comes in
constexpr size_t kIdleBuffer = 8 * 1024;      // read buffer kept by a connection between requests

// A file being sent: its descriptor and the part still to go.
struct FileSend {
  int fd = -1;
  uint64_t offset = 0;
  uint64_t remain = 0;
  std::string buf;
  FileSend() = default;
  FileSend(const FileSend&) = delete;
  FileSend& operator=(const FileSend&) = delete;
  ~FileSend() {
    if (fd >= 0) ::close(fd);
  }
};

std::string http_date() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace

class Session;

struct HttpServer::Impl {
  App& app;
  ServerConfig cfg;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};

  std::mutex sessions_mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  Impl(App& a, ServerConfig c)
      : app(a),
        cfg(c),
        ioc(static_cast<int>(c.io_threads)),
        workers(c.worker_threads),
        acceptor(ioc),
        signals(ioc) {}

  void do_accept();
  void sweep_realtime();
  void purge_expired_auth();
  void begin_shutdown();
  void drain(std::chrono::steady_clock::time_point deadline);
  size_t session_count() {
    std::lock_guard lock(sessions_mu);
    return sessions.size();
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl& srv, tcp::socket&& socket) : srv_(srv), stream_(std::move(socket)) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip_ = ep.address().to_string();
  }

  ~Session() {
    if (!rt_client_.empty() && !rt_closed_) srv_.app.realtime().disconnect(rt_client_);
    std::lock_guard lock(srv_.sessions_mu);
    srv_.sessions.erase(this);
  }

  void start() {
    {
      std::lock_guard lock(srv_.sessions_mu);
      srv_.sessions.emplace(this, weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // Called on shutdown: idle keep-alive connections close now; busy ones close after their
  // response (keep-alive is refused once stopping is set).
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->streaming_) return self->finish_stream();
      if (self->idle_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  HttpServer::Impl& srv_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_ip_;
  bool idle_ = true;

  // Realtime stream state (touched only on the strand).
  bool streaming_ = false;
  bool rt_chunked_ = false;   // HTTP/1.1: chunked; HTTP/1.0: close-delimited
  bool rt_writing_ = false;
  bool rt_closed_ = false;
  std::string rt_client_;
  std::string rt_out_;                 // the frames being written
  std::array<char, 256> rt_probe_{};   // reads only to notice the peer closing

  void read_header() {
    if (srv_.stopping) return close();
    idle_ = true;
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(srv_.cfg.body_limit);
    stream_.expires_after(kIdleTimeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, size_t) {
    idle_ = false;
    if (ec) return fail_read(ec);
    auto& req = parser_->get();
    // Refuse an over-limit body before reading any of it.
    if (auto len = parser_->content_length(); len && *len > srv_.cfg.body_limit) {
      return write_error(413, req.version(), false);
    }
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, req.version());
      stream_.expires_after(kIoTimeout);
      bhttp::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code wec, size_t) {
        if (wec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    // Beast reads max(512, free capacity) bytes at a time, and the parser empties the buffer
    // into the body after each read, so without room a 10 MB upload took 20,000 reads of 512
    // bytes (one reactor round trip each). Room for 64 KiB reads, only while a body larger than
    // what the buffer holds is coming; on_read gives it back.
    auto len = parser_->content_length();
    if ((!len || *len > buffer_.capacity()) && !parser_->is_done())
      buffer_.reserve(std::min<uint64_t>(len.value_or(kBodyReadChunk), kBodyReadChunk));
    stream_.expires_after(kIoTimeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void fail_read(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return write_error(413, 11, false);
    // Any other parser error is a malformed request (Go answers 400 and closes); a peer that
    // went away or timed out just gets closed.
    bool parse_error = ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                       ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
    if (parse_error) return write_error(400, 11, false);
    close();
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec) return fail_read(ec);
    bhttp::request<bhttp::string_body> req = parser_->release();
    if (buffer_.capacity() > kIdleBuffer) buffer_.shrink_to_fit();  // idle keep-alive stays small

    http::Request lreq;
    lreq.method = std::string(req.method_string());
    lreq.target = std::string(req.target());
    for (const auto& f : req) lreq.headers.add(std::string(f.name_string()), std::string(f.value()));
    lreq.body = std::move(req.body());
    lreq.remote_ip = remote_ip_;
    bool keep_alive = req.keep_alive();
    unsigned version = req.version();
    bool head = req.method() == bhttp::verb::head;

    stream_.expires_never();
    asio::post(srv_.workers, [self = shared_from_this(), lreq = std::move(lreq), keep_alive, version, head]() mutable {
      http::Response res = self->srv_.app.handle(lreq);
      asio::post(self->stream_.get_executor(), [self, res = std::move(res), keep_alive, version, head]() mutable {
        self->write(std::move(res), keep_alive, version, head);
      });
    });
  }

  void write_error(int status, unsigned version, bool keep_alive) {
    write(http::ApiError(status, "").to_response(), keep_alive, version, false);
  }

  void write(http::Response res, bool keep_alive, unsigned version, bool head) {
    if (!res.stream_client.empty()) return start_stream(std::move(res), version);
    if (!res.file_path.empty()) return write_file(std::move(res), keep_alive, version, head);
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
    msg->version(version);
    msg->result(static_cast<unsigned>(res.status));
    for (const auto& [k, v] : res.headers.entries()) msg->insert(k, v);
    msg->set(bhttp::field::date, http_date());
    msg->keep_alive(keep_alive && !srv_.stopping);
    if (res.status == 204 || res.status == 304 || res.status < 200) {
      // No body and no Content-Length, as Go's net/http writes these statuses.
    } else if (head) {
      msg->content_length(res.body.size());
    } else {
      msg->body() = std::move(res.body);
      msg->prepare_payload();
    }
    stream_.expires_after(kIoTimeout);
    auto on_write = [self = shared_from_this(), msg](beast::error_code ec, size_t) {
      if (ec || !msg->keep_alive()) return self->close();
      self->read_header();
    };
    if (head) {
      // Header only: the body stays empty although Content-Length announces its size.
      auto sr = std::make_shared<bhttp::response_serializer<bhttp::string_body>>(*msg);
      bhttp::async_write_header(stream_, *sr, [sr, on_write](beast::error_code ec, size_t n) { on_write(ec, n); });
    } else {
      bhttp::async_write(stream_, *msg, on_write);
    }
  }

  // A file download: the core chose the file and the byte range and set every header but
  // Content-Length; the bytes go out in kFileChunk pieces read with pread, so memory stays flat
  // whatever the size. The file is opened here, after the core call: if it vanished (deleted
  // by a concurrent write) or shrank, the answer is the 404 the core would have given.
  void write_file(http::Response res, bool keep_alive, unsigned version, bool head) {
    auto file = std::make_shared<FileSend>();
    file->fd = ::open(res.file_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    file->offset = res.file_offset;
    file->remain = res.file_length;
    struct ::stat st {};
    if (file->fd < 0 || ::fstat(file->fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<uint64_t>(st.st_size) < res.file_offset + res.file_length) {
      http::Response missing = http::ApiError::not_found().to_response();
      missing.headers.set("X-Content-Type-Options", "nosniff");
      return write(std::move(missing), keep_alive, version, head);
    }
    auto msg = std::make_shared<bhttp::response<bhttp::empty_body>>(static_cast<bhttp::status>(res.status), version);
    for (const auto& [k, v] : res.headers.entries()) msg->insert(k, v);
    msg->set(bhttp::field::date, http_date());
    msg->content_length(res.file_length);
    msg->keep_alive(keep_alive && !srv_.stopping);
    auto sr = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*msg);
    stream_.expires_after(kIoTimeout);
    bhttp::async_write_header(stream_, *sr, [self = shared_from_this(), msg, sr, file, head](beast::error_code ec, size_t) {
      if (ec) return self->close();
      if (head) return self->after_response(msg->keep_alive());
      self->send_file_chunk(file, msg->keep_alive());
    });
  }

  void send_file_chunk(const std::shared_ptr<FileSend>& file, bool keep_alive) {
    if (file->remain == 0) return after_response(keep_alive);
    file->buf.resize(static_cast<size_t>(std::min<uint64_t>(file->remain, kFileChunk)));
    ssize_t n;
    do {
      n = ::pread(file->fd, file->buf.data(), file->buf.size(), static_cast<off_t>(file->offset));
    } while (n < 0 && errno == EINTR);
    // A file that shrank mid-send can no longer match the Content-Length already sent.
    if (n <= 0) return close();
    file->buf.resize(static_cast<size_t>(n));
    file->offset += static_cast<uint64_t>(n);
    file->remain -= static_cast<uint64_t>(n);
    stream_.expires_after(kIoTimeout);
    asio::async_write(stream_, asio::buffer(file->buf), [self = shared_from_this(), file, keep_alive](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->send_file_chunk(file, keep_alive);
    });
  }

  void after_response(bool keep_alive) {
    if (!keep_alive) return close();
    read_header();
  }

  // SSE: send the headers, then write whatever the broker has queued whenever it wakes us.
  // Nothing blocks: the wakeup only posts pump() to this strand, and pump() takes without
  // waiting, so thousands of streams share the I/O threads and a slow reader only delays
  // itself (its queue overflows in the broker, which then closes it).
  void start_stream(http::Response res, unsigned version) {
    streaming_ = true;
    idle_ = false;
    rt_client_ = std::move(res.stream_client);
    rt_chunked_ = version >= 11;
    auto msg = std::make_shared<bhttp::response<bhttp::empty_body>>(static_cast<bhttp::status>(res.status), version);
    for (const auto& [k, v] : res.headers.entries()) msg->insert(k, v);
    msg->set(bhttp::field::date, http_date());
    if (rt_chunked_) {
      msg->chunked(true);
      msg->set(bhttp::field::connection, "keep-alive");
    } else {
      msg->keep_alive(false);
    }
    auto sr = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*msg);
    stream_.expires_after(kStreamWriteTimeout);
    bhttp::async_write_header(stream_, *sr, [self = shared_from_this(), msg, sr](beast::error_code ec, size_t) {
      if (ec) return self->abort_stream();
      self->stream_.expires_never();
      self->watch_peer();
      std::weak_ptr<Session> weak = self;
      auto exec = self->stream_.get_executor();
      // May run on any thread (the worker that committed a write): only schedule.
      self->srv_.app.realtime().set_wakeup(self->rt_client_, [weak, exec] {
        asio::post(exec, [weak] {
          if (auto s = weak.lock()) s->pump();
        });
      });
      self->pump();
    });
  }

  void pump() {
    if (rt_closed_ || rt_writing_) return;
    auto chunk = srv_.app.realtime().take(rt_client_, kStreamChunk);
    if (!chunk.open) return finish_stream();
    if (chunk.data.empty()) return;
    rt_out_ = std::move(chunk.data);
    rt_writing_ = true;
    stream_.expires_after(kStreamWriteTimeout);
    auto done = [self = shared_from_this()](beast::error_code ec, size_t) {
      self->rt_writing_ = false;
      if (ec) return self->abort_stream();
      self->stream_.expires_never();
      self->pump();
    };
    if (rt_chunked_) asio::async_write(stream_, bhttp::make_chunk(asio::buffer(rt_out_)), done);
    else asio::async_write(stream_, asio::buffer(rt_out_), done);
  }

  // The request is fully read, so any read completion means the peer closed (or sent junk).
  void watch_peer() {
    stream_.socket().async_read_some(asio::buffer(rt_probe_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->abort_stream();
      self->watch_peer();
    });
  }

  // Server-side end (idle/lifetime expiry, overflow, shutdown): terminate the body properly.
  void finish_stream() {
    if (rt_closed_) return;
    rt_closed_ = true;
    srv_.app.realtime().disconnect(rt_client_);
    if (!rt_chunked_ || rt_writing_) return close();
    stream_.expires_after(kStreamWriteTimeout);
    asio::async_write(stream_, bhttp::make_chunk_last(),
                      [self = shared_from_this()](beast::error_code, size_t) { self->close(); });
  }

  void abort_stream() {
    if (!rt_closed_) {
      rt_closed_ = true;
      srv_.app.realtime().disconnect(rt_client_);
    }
    close();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }
};

void HttpServer::Impl::do_accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor.is_open()) return;  // shutting down
      // Transient failures (e.g. EMFILE) must not end the accept loop.
      auto t = std::make_shared<asio::steady_timer>(ioc, 50ms);
      t->async_wait([this, t](beast::error_code) { do_accept(); });
      return;
    }
    std::make_shared<Session>(*this, std::move(socket))->start();
    do_accept();
  });
}

// Realtime clients idle for 5 minutes (or alive for 30) are closed even when no request arrives.
void HttpServer::Impl::sweep_realtime() {
  if (stopping) return;
  app.realtime().sweep();
  auto t = std::make_shared<asio::steady_timer>(ioc, kRealtimeSweep);
  t->async_wait([this, t](beast::error_code ec) {
    if (!ec) sweep_realtime();
  });
}

// Hourly, on a worker (it takes the writer): PocketBase's __pbOTPCleanup__/__pbMFACleanup__.
void HttpServer::Impl::purge_expired_auth() {
  if (stopping) return;
  asio::post(workers, [this] {
    try {
      app.purge_expired_auth();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "larder: purging expired OTPs/MFAs failed: %s\n", e.what());
    }
  });
  auto t = std::make_shared<asio::steady_timer>(ioc, kAuthPurge);
  t->async_wait([this, t](beast::error_code ec) {
    if (!ec) purge_expired_auth();
  });
}

void HttpServer::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mu);
    for (auto& [p, w] : sessions)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->close_if_idle();
  drain(std::chrono::steady_clock::now() + 10s);
}

void HttpServer::Impl::drain(std::chrono::steady_clock::time_point deadline) {
  if (session_count() == 0 || std::chrono::steady_clock::now() >= deadline) {
    ioc.stop();
    return;
  }
  auto t = std::make_shared<asio::steady_timer>(ioc, 20ms);
  t->async_wait([this, t, deadline](beast::error_code) { drain(deadline); });
}

HttpServer::HttpServer(App& app, ServerConfig cfg) {
  unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  if (cfg.io_threads == 0) cfg.io_threads = hw;
  if (cfg.worker_threads == 0) cfg.worker_threads = 2 * hw;
  impl_ = std::make_unique<Impl>(app, cfg);
}

HttpServer::~HttpServer() = default;

void HttpServer::listen() {
  auto& a = impl_->acceptor;
  const auto& cfg = impl_->cfg;
  std::string addr = cfg.host + ":" + std::to_string(cfg.port);
  beast::error_code ec;
  auto ip = asio::ip::make_address(cfg.host == "localhost" ? "127.0.0.1" : cfg.host, ec);
  if (ec) throw std::runtime_error("listen tcp " + addr + ": invalid address");
  tcp::endpoint ep(ip, cfg.port);
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (ec) {
    std::string why = ec == asio::error::address_in_use ? "address already in use" : ec.message();
    beast::error_code ignore;
    a.close(ignore);
    throw std::runtime_error("listen tcp " + addr + ": bind: " + why);
  }
  a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("listen tcp " + addr + ": " + ec.message());
}

uint16_t HttpServer::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::run(bool handle_signals) {
  Impl& s = *impl_;
  if (handle_signals) {
    s.signals.add(SIGINT);
    s.signals.add(SIGTERM);
    s.signals.async_wait([&s](beast::error_code ec, int) {
      if (!ec) s.begin_shutdown();
    });
  }
  s.do_accept();
  s.sweep_realtime();
  s.purge_expired_auth();
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < s.cfg.io_threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : threads) t.join();
  s.workers.join();
}

void HttpServer::stop() {
  asio::post(impl_->ioc, [s = impl_.get()] { s->begin_shutdown(); });
}

}  // namespace larder::native
