// App: the whole backend behind one synchronous call, Response handle(const Request&).
//
// The same App runs in every host. The native host calls handle() from a pool of worker
// threads (reads run in parallel on reader connections, writes are serialized on the writer);
// the wasm host calls it from the single JS thread. The App never does network I/O and never
// waits on anything but SQLite.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/api/context.h"
#include "core/auth/throttle.h"
#include "core/db/pool.h"
#include "core/files/store.h"
#include "core/http/message.h"
#include "core/mail/mailer.h"
#include "core/ratelimit/limiter.h"
#include "core/net/http_client.h"
#include "core/oauth2/redirect_names.h"
#include "core/realtime/broker.h"
#include "core/schema/schema.h"
#include "core/settings/settings.h"

namespace larder {

struct AppConfig {
  std::string data_dir = "pb_data";
  // Storage policy is the host's to choose: the native host uses WAL + synchronous=FULL (the
  // durability contract); the wasm host uses its page-store VFS with an in-memory journal.
  const char* vfs = nullptr;
  std::string journal_mode = "WAL";
  std::string synchronous = "FULL";
  size_t max_readers = 0;
  realtime::BrokerConfig realtime;  // queue bounds and idle/lifetime limits (tests shorten them)
};

class App {
 public:
  explicit App(AppConfig cfg);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Never throws: every failure becomes an error envelope.
  http::Response handle(const http::Request& req);
  // handle() as a superuser that exists nowhere (no row, no token): for the host's own setup
  // calls, e.g. the browser worker applying the app's shipped collections and seed records.
  // Reachable only from host code, never from a request.
  http::Response handle_as_host(const http::Request& req);

  db::Pool& data_db() { return *data_db_; }
  const AppConfig& config() const { return cfg_; }

  // The current collections snapshot. Requests hold on to the one they started with.
  std::shared_ptr<const schema::Schema> schema() const;
  // Re-reads `_collections` through `conn` (the writer, inside or right after the transaction
  // that changed them) and publishes the new snapshot.
  void reload_schema(db::Connection& conn);

  // Where record mails go. Defaults to an in-memory mail::Outbox; a host with a mail server
  // (native SMTP, later) replaces it before serving — not while requests are running.
  mail::Mailer& mailer() { return *mailer_; }
  void set_mailer(std::unique_ptr<mail::Mailer> m) { mailer_ = std::move(m); }

  // Deletes spent _otps/_mfas rows of every auth collection (auth/expired.h); returns how many.
  // For hosts with a clock of their own (the native server runs it hourly, as PocketBase's
  // cron does); the write paths that add such rows purge their collection anyway.
  int64_t purge_expired_auth();

  // Resend guards and attempt counters of the auth flows (PocketBase's app.Store()).
  auth::Throttle& throttle() { return throttle_; }

  // Apple's user names from /api/oauth2-redirect, kept a minute for auth-with-oauth2.
  oauth2::RedirectNames& oauth2_redirect_names() { return oauth2_redirect_names_; }

  // The current settings snapshot (read at startup, replaced by PATCH /api/settings).
  std::shared_ptr<const settings::Settings> settings() const;
  // Publishes settings that were just saved, and resets the rate limiters as PocketBase does.
  void set_settings(std::shared_ptr<const settings::Settings> s);
  // The counters behind settings.rateLimits (api/rate_limit.h).
  ratelimit::Limiter& rate_limiter() { return rate_limiter_; }

  // Realtime clients and subscriptions; hosts stream from it (core/realtime/broker.h).
  realtime::Broker& realtime() { return realtime_; }

  // Record files. nullptr (the default) means this host has no file storage: uploads are
  // refused and downloads answer 404. The native host installs one before serving.
  files::FileStore* file_store() { return file_store_.get(); }
  void set_file_store(std::unique_ptr<files::FileStore> s) { file_store_ = std::move(s); }
  // Serialises thumbnail generation so concurrent first requests make one thumb, not many.
  std::mutex& thumbs_mutex() { return thumbs_mu_; }

  // Outgoing HTTP (OAuth2). nullptr (the default): no outgoing requests, so OAuth2 sign-in
  // answers as a failed code exchange. Installed by the host before serving.
  net::HttpClient* http_client() { return http_client_.get(); }
  void set_http_client(std::unique_ptr<net::HttpClient> c) { http_client_ = std::move(c); }

 private:
  http::Response handle(const http::Request& req, bool as_host);
  http::Response dispatch(const http::Request& req, bool as_host);

  AppConfig cfg_;
  std::unique_ptr<db::Pool> data_db_;
  Routes routes_;
  mutable std::mutex schema_mu_;
  std::shared_ptr<const schema::Schema> schema_;
  std::unique_ptr<mail::Mailer> mailer_;
  auth::Throttle throttle_;
  oauth2::RedirectNames oauth2_redirect_names_;
  mutable std::mutex settings_mu_;
  std::shared_ptr<const settings::Settings> settings_;
  ratelimit::Limiter rate_limiter_;
  realtime::Broker realtime_;
  std::unique_ptr<files::FileStore> file_store_;
  std::mutex thumbs_mu_;
  std::unique_ptr<net::HttpClient> http_client_;
};

}  // namespace larder
