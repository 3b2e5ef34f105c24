// App construction and the request pipeline (api.md §1.1): CORS, security headers, routing,
// auth loading, rate limits, error envelopes.
#include "core/app/app.h"

#include <cstdio>

#include "core/api/client_ip.h"
#include "core/auth/expired.h"
#include "core/auth/token_auth.h"
#include "core/db/bootstrap.h"
#include "core/http/error.h"
#include "core/http/url.h"
#include "core/mail/outbox.h"
#include "core/schema/defaults.h"
#include "core/util/datetime.h"

namespace larder {

App::App(AppConfig cfg)
    : cfg_(std::move(cfg)), mailer_(std::make_unique<mail::Outbox>()), realtime_(cfg_.realtime) {
  db::PoolConfig pc;
  pc.path = cfg_.data_dir + "/data.db";
  pc.vfs = cfg_.vfs;
  pc.max_readers = cfg_.max_readers;
  // PocketBase's connection pragmas (storage-schema.md §2), except synchronous, which the
  // durability contract sets (FULL unless the host explicitly relaxes it).
  pc.setup_sql =
      "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
      "PRAGMA cache_size=-32000; PRAGMA synchronous=" + cfg_.synchronous + ";";
  pc.writer_setup_sql = "PRAGMA journal_mode=" + cfg_.journal_mode + "; PRAGMA journal_size_limit=200000000;";
  data_db_ = std::make_unique<db::Pool>(std::move(pc));
  {
    auto conn = data_db_->write();
    db::bootstrap_data_db(*conn);
    reload_schema(*conn);
    settings_ = settings::Settings::load(*conn);
  }
  api::bind_all(routes_);
}

std::shared_ptr<const schema::Schema> App::schema() const {
  std::lock_guard lock(schema_mu_);
  return schema_;
}

void App::reload_schema(db::Connection& conn) {
  auto fresh = schema::Schema::load(conn);
  std::lock_guard lock(schema_mu_);
  schema_ = std::move(fresh);
}

std::shared_ptr<const settings::Settings> App::settings() const {
  std::lock_guard lock(settings_mu_);
  return settings_;
}

void App::set_settings(std::shared_ptr<const settings::Settings> s) {
  {
    std::lock_guard lock(settings_mu_);
    settings_ = std::move(s);
  }
  // PocketBase drops every rate limiter when the settings are reloaded.
  rate_limiter_.reset();
}

App::~App() = default;

namespace {

void add_security_headers(http::Headers& h, bool allow_framing) {
  h.set_default("X-Content-Type-Options", "nosniff");
  if (!allow_framing) h.set_default("X-Frame-Options", "SAMEORIGIN");
  h.set_default("X-Xss-Protection", "1; mode=block");
}

}  // namespace

http::Response App::handle(const http::Request& req) { return handle(req, false); }

http::Response App::handle_as_host(const http::Request& req) { return handle(req, true); }

http::Response App::handle(const http::Request& req, bool as_host) {
  // Reclaims idle realtime clients even in a host that runs no timer of its own.
  realtime_.sweep_if_due();
  // Go's HTTP server refuses a request path with a malformed %-escape before any handler runs.
  if (!http::percent_decode(req.path(), false)) {
    http::Response bad;
    bad.status = 400;
    bad.headers.set("Content-Type", "text/plain; charset=utf-8");
    bad.headers.set("Connection", "close");
    bad.body = "400 Bad Request";
    return bad;
  }

  // CORS (allowed origins "*", as PocketBase's default). Every OPTIONS request is answered as a
  // preflight before routing, without the security headers.
  std::string_view origin = req.headers.get("Origin");
  if (req.method == "OPTIONS") {
    http::Response r = http::Response::no_content();
    r.headers.add("Vary", "Origin");
    if (!origin.empty()) {
      r.headers.set("Access-Control-Allow-Origin", "*");
      r.headers.add("Vary", "Access-Control-Request-Method");
      r.headers.add("Vary", "Access-Control-Request-Headers");
      r.headers.set("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
      std::string_view want = req.headers.get("Access-Control-Request-Headers");
      if (!want.empty()) r.headers.set("Access-Control-Allow-Headers", std::string(want));
    }
    return r;
  }

  http::Response res;
  try {
    res = dispatch(req, as_host);
  } catch (const http::ApiError& e) {
    res = e.to_response();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "larder: unhandled error on %s %s: %s\n", req.method.c_str(), req.target.c_str(), e.what());
    res = http::ApiError::internal().to_response();
  }

  // Vary: Origin first, like the CORS middleware that runs before everything else.
  http::Headers h;
  h.add("Vary", "Origin");
  if (!origin.empty()) h.set("Access-Control-Allow-Origin", "*");
  for (const auto& [k, v] : res.headers.entries()) h.add(k, v);
  add_security_headers(h, res.allow_framing);
  res.headers = std::move(h);
  return res;
}

int64_t App::purge_expired_auth() {
  auto conn = data_db_->write();
  return auth::purge_all_expired(*conn, *schema(), util::now_utc().unix_ms);
}

http::Response App::dispatch(const http::Request& req, bool as_host) {
  RequestContext ctx{*this, req, {}, http::QueryParams(req.raw_query()), schema(), nullptr, settings(), {}};
  ctx.real_ip = api::real_ip(req, *ctx.settings);
  const Route* route = routes_.match(req.method, req.path(), ctx.params);
  // Load auth (api.md §1.1): an invalid, expired or foreign token just means "guest".
  std::string_view header = auth::strip_bearer(req.headers.get("Authorization"));
  if (as_host) {
    const schema::Collection* su = ctx.schema->find(schema::kSuperusersName);
    if (!su) throw http::ApiError::internal();
    auto host = std::make_shared<record::Record>();
    host->collection = su;
    host->values.set("id", "_larder_host_");
    ctx.auth = std::move(host);
  } else if (!header.empty()) {
    auto conn = data_db_->read();
    ctx.auth = auth::record_from_token(*conn, *ctx.schema, header, auth::TokenType::Auth);
  }
  // PocketBase's superuser IP whitelist runs right after the token is loaded, for every route;
  // the host's own calls are not requests from anywhere.
  if (!as_host && ctx.is_superuser() && !api::superuser_ip_allowed(*ctx.settings, ctx.real_ip))
    throw http::ApiError::forbidden();
  // Rate limits need the auth (superusers are exempt, rules have audiences); unmatched paths
  // are limited too, as PocketBase's catch-all route carries the global middleware.
  static const api::RouteRateLimit kGlobal;
  auto charge = api::check_rate_limit(ctx, route ? route->rate_limit : kGlobal, route ? std::string_view(route->id) : "");
  if (route) {
    try {
      return route->handler(ctx);
    } catch (const std::exception&) {
      throw;  // an answer (an error envelope): the request counted
    } catch (...) {
      // HostIoNeeded or net::FetchPending: the host runs this request again from the start once
      // it has the I/O, and only that run may count against the limits.
      if (charge) rate_limiter_.refund(*charge);
      throw;
    }
  }
  // PocketBase's stock binary routes every unmatched GET to its pb_public file server, whose
  // miss says "File not found."; other methods get the router's default 404.
  if (req.method == "GET" || req.method == "HEAD") throw http::ApiError::not_found("File not found.");
  throw http::ApiError::not_found();
}

}  // namespace larder
