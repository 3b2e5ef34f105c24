// POST /api/collections/{collection}/auth-with-oauth2 (api.md §7.4, auth-realtime-files.md §4.4)
// and the provider list of auth-methods.
//
// Order of work, which hosts that cannot block rely on (core/net/http_client.h): read and
// validate the form, make every outgoing request (token, user info, and a sign-up's avatar), and
// only then write to the database — lookups, then one transaction for the sign-up or the link. A request replayed after
// a pending fetch has written nothing and repeats byte-identical requests.
//
// Account takeover (PocketBase v0.37.4+, discussion #7662): an existing record that is not
// verified gets a random password unless its owner is the one signing in (a password set by
// whoever registered the address first stops working), and loses all of its OAuth2 links (a
// squatter's own provider account may be linked to it). Linking by email then verifies the
// record only when the provider vouched for the same address. The plain record save does the
// rest: an unverified -> verified change drops every link (record/form.cpp).
#include "core/api/record_auth_oauth2.h"

#include <cstdio>
#include <optional>

#include "core/api/auth_flows.h"
#include "core/api/common.h"
#include "core/api/record_auth.h"
#include "core/api/record_files.h"
#include "core/api/record_write.h"
#include "core/api/request_data.h"
#include "core/app/app.h"
#include "core/auth/token_auth.h"
#include "core/crypto/base64.h"
#include "core/crypto/bcrypt.h"
#include "core/crypto/random.h"
#include "core/crypto/sha256.h"
#include "core/db/index_def.h"
#include "core/db/schema_sql.h"
#include "core/http/error.h"
#include "core/oauth2/avatar.h"
#include "core/oauth2/provider.h"
#include "core/oauth2/token.h"
#include "core/oauth2/user_fetch.h"
#include "core/record/external_auths.h"
#include "core/record/fields/common.h"
#include "core/record/form.h"
#include "core/record/store.h"
#include "core/util/datetime.h"

namespace larder::api {

namespace {

constexpr const char* kLoadFailed = "An error occurred while loading the submitted data.";
constexpr const char* kAuthFailed = "Failed to authenticate.";
constexpr size_t kMaxProviderName = 100;

struct OAuth2Form {
  std::string provider, code, code_verifier, redirect_url;
  json::Object create_data;
};

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

// e.BindBody into PocketBase's form struct: strings (form values converted), createData an
// object; anything else is the generic load error.
OAuth2Form read_form(const RequestContext& ctx) {
  std::string_view ct = ctx.req.headers.get("Content-Type");
  const bool is_json = ct.size() >= 16 && http::iequals(ct.substr(0, 16), "application/json");
  json::Object body;
  try {
    body = read_request_data(ctx.req, is_json ? http::QueryParams() : ctx.query).body;
  } catch (const http::ApiError& e) {
    if (e.message() == "Unsupported Content-Type.") throw;
    throw http::ApiError::bad_request(kLoadFailed);
  }
  auto str = [&](std::string_view key) -> std::string {
    const json::Value* v = body.find(key);
    if (!v || v->is_null()) return {};
    if (v->is_string()) return v->as_string();
    if (!is_json && v->is_number()) return json::format_number(v->as_number());
    if (!is_json && v->is_bool()) return v->as_bool() ? "true" : "false";
    throw http::ApiError::bad_request(kLoadFailed);
  };
  OAuth2Form f;
  f.provider = str("provider");
  f.code = str("code");
  f.code_verifier = str("codeVerifier");
  f.redirect_url = str("redirectURL");
  // `redirectUrl`: the pre-v0.23 spelling, still accepted.
  std::string legacy = str("redirectUrl");
  if (f.redirect_url.empty()) f.redirect_url = legacy;
  if (const json::Value* cd = body.find("createData"); cd && !cd->is_null()) {
    if (cd->is_object()) f.create_data = cd->as_object();
    else if (is_json) throw http::ApiError::bad_request(kLoadFailed);
  }
  return f;
}

const schema::OAuth2Provider* provider_config(const schema::Collection& c, std::string_view name) {
  for (const auto& p : c.auth.oauth2_providers)
    if (p.name == name) return &p;
  return nullptr;
}

void validate_form(const schema::Collection& c, const OAuth2Form& f) {
  json::Object errs;
  if (f.provider.empty()) {
    errs.set("provider", flows::field_error("validation_required", "Cannot be blank."));
  } else if (code_points(f.provider) > kMaxProviderName) {
    errs.set("provider", flows::field_error("validation_length_too_long", "The length must be no more than 100."));
  } else if (!provider_config(c, f.provider)) {
    errs.set("provider", json::Value(json::Object{
                             {"code", "validation_invalid_provider"},
                             {"message", "Provider with name " + f.provider + " is missing or is not enabled."},
                             {"params", json::Value(json::Object{{"name", f.provider}})}}));
  }
  if (f.code.empty()) errs.set("code", flows::field_error("validation_required", "Cannot be blank."));
  if (!errs.empty()) throw http::ApiError::bad_request(kLoadFailed, json::Value(std::move(errs)));
}

// Token exchange and user info: every outgoing request of the flow. Only our own error types
// and the transport failure type are caught; anything else (a host's "fetch pending") passes.
oauth2::AuthUser fetch_oauth2_user(RequestContext& ctx, const oauth2::Provider& p, const OAuth2Form& f) {
  net::HttpClient* http = ctx.app.http_client();
  oauth2::Token token;
  try {
    if (!http) throw oauth2::TokenError("this host has no HTTP client");
    token = oauth2::exchange_code(*http, p, f.code, f.redirect_url, f.code_verifier);
  } catch (const oauth2::TokenError& e) {
    std::fprintf(stderr, "larder: OAuth2 %s token exchange failed: %s\n", p.name.c_str(), e.what());
    throw http::ApiError::bad_request("Failed to fetch OAuth2 token.");
  } catch (const net::FetchError& e) {
    std::fprintf(stderr, "larder: OAuth2 %s token exchange failed: %s\n", p.name.c_str(), e.what());
    throw http::ApiError::bad_request("Failed to fetch OAuth2 token.");
  }
  try {
    return oauth2::fetch_auth_user(*http, p, token);
  } catch (const oauth2::UserError& e) {
    std::fprintf(stderr, "larder: OAuth2 %s user fetch failed: %s\n", p.name.c_str(), e.what());
    throw http::ApiError::bad_request("Failed to fetch OAuth2 user.");
  } catch (const net::FetchError& e) {
    std::fprintf(stderr, "larder: OAuth2 %s user fetch failed: %s\n", p.name.c_str(), e.what());
    throw http::ApiError::bad_request("Failed to fetch OAuth2 user.");
  }
}

// Records written by the flow, for the realtime events after the commit.
struct Written {
  record::Record record;
  bool created;
};

std::shared_ptr<record::Record> reload(db::Connection& conn, const schema::Collection& c, std::string_view id) {
  auto r = record::find_by_id(conn, c, id);
  if (!r) throw http::ApiError::bad_request(kAuthFailed);
  return r;
}

// The legacy (pre-v0.23) rule for mapping the provider username: it must pass the text field's
// own checks and not be taken already.
bool can_assign_username(db::Connection& conn, const schema::Collection& c, const std::string& username) {
  const schema::Field* f = c.field(c.auth.mapped_username);
  if (!f) return false;
  if (f->type == schema::FieldType::Text && record::fields::validate_text_plain(*f, username)) return false;
  if (auto index = db::find_single_column_unique_index(c.indexes, f->name)) {
    std::string t = db::quote_ident(c.name);
    bool nocase = http::iequals(index->columns[0].collate, "nocase");
    auto st = conn.prepare("SELECT (1) FROM " + t + " WHERE " + t + "." + db::quote_ident(f->name) +
                           (nocase ? " = ? COLLATE NOCASE" : " = ?") + " LIMIT 1");
    st.bind(1, username);
    if (st.step()) return false;
  }
  return true;
}

// The collection maps the provider's avatar to one of its file fields, the user has one, and
// the sign-up data does not set that field itself: the image is downloaded (oauth2/avatar.h).
bool wants_avatar_file(const schema::Collection& c, const OAuth2Form& f, const oauth2::AuthUser& user) {
  const std::string& field = c.auth.mapped_avatar_url;
  if (field.empty() || user.avatar_url.empty() || f.create_data.contains(field)) return false;
  const schema::Field* af = c.field(field);
  return af && af->type == schema::FieldType::File;
}

// The record this sign-in is for (record resolution steps 1-3): the one linked to the provider
// account, the requester's own, or the one with the provider's email; nullptr for a sign-up.
std::shared_ptr<record::Record> find_target(RequestContext& ctx, db::Connection& conn, const schema::Collection& c,
                                            const OAuth2Form& form, const oauth2::AuthUser& user, bool& has_link) {
  has_link = false;
  if (auto linked = record::find_external_auth_record(conn, c.id, form.provider, user.id)) {
    auto rec = record::find_by_id(conn, c, *linked);
    if (!rec) throw http::ApiError::not_found();
    has_link = true;
    return rec;
  }
  // Signed in already: link the provider to the current record.
  if (ctx.auth && ctx.auth->collection && ctx.auth->collection->id == c.id) return record::find_by_id(conn, c, ctx.auth->id());
  if (!user.email.empty()) return flows::find_by_email(conn, c, user.email);
  return nullptr;
}

// No record matched: PocketBase's internal create request (POST /records with the createData
// payload, as the requester, @request.context = "oauth2").
std::shared_ptr<record::Record> sign_up(RequestContext& ctx, db::Connection& conn, const schema::Collection& c,
                                        const OAuth2Form& f, const oauth2::AuthUser& user,
                                        std::optional<oauth2::AvatarFile> avatar,
                                        std::optional<record::UpsertForm>& created, std::vector<Written>& written) {
  if (c.name == "_superusers") throw http::ApiError::bad_request(kAuthFailed);
  json::Object payload = f.create_data;
  // The provider's (verified) email unless the user submitted a non-empty one, which then
  // stays unverified.
  const json::Value* email = payload.find("email");
  if (!email || !email->is_string() || email->as_string().empty()) payload.set("email", user.email);
  const auto& a = c.auth;
  if (!a.mapped_id.empty() && !payload.contains(a.mapped_id)) payload.set(a.mapped_id, user.id);
  if (!a.mapped_name.empty() && !payload.contains(a.mapped_name)) payload.set(a.mapped_name, user.name);
  if (!a.mapped_username.empty() && !payload.contains(a.mapped_username) && can_assign_username(conn, c, user.username))
    payload.set(a.mapped_username, user.username);
  std::vector<record::NewFile> uploads;
  if (wants_avatar_file(c, f, user)) {
    // The image fetched before the transaction (none when that failed), as an upload would be.
    if (avatar) {
      RequestData rd;
      rd.body = std::move(payload);
      rd.files.push_back(UploadedFile{a.mapped_avatar_url, avatar->name, "", std::move(avatar->data), "", 0});
      rd.files.back().size = rd.files.back().data.size();
      uploads = take_uploads(c, rd);
      payload = std::move(rd.body);
    }
  } else if (!a.mapped_avatar_url.empty() && !payload.contains(a.mapped_avatar_url) && !user.avatar_url.empty()) {
    payload.set(a.mapped_avatar_url, user.avatar_url);
  }

  const bool superuser = ctx.is_superuser();
  if (!superuser && !c.create_rule) throw http::ApiError::forbidden("Only superusers can perform this action.");
  if (!superuser) {
    for (const auto& fd : c.fields)
      if (fd.hidden && fd.name != "password") payload.erase(fd.name);
  }
  // No submitted password: a random one, exempt from the password field's own rules.
  std::string random_password;
  if (!payload.contains("password")) {
    random_password = crypto::random_alnum(30);
    payload.set("password", random_password);
    payload.set("passwordConfirm", random_password);
  }

  record::UpsertForm& form = created.emplace(c, nullptr, superuser ? record::Access::Superuser : record::Access::Default);
  json::Object data = record::resolve_modifiers(payload, form.draft().record);
  query::RequestInfo info = request_info(ctx, data);
  info.context = "oauth2";
  info.method = "POST";
  info.query = json::Object();  // the internal request has no query string
  form.load(data);
  form.draft().new_files = std::move(uploads);
  if (!random_password.empty()) {
    const schema::Field* pf = c.field("password");
    int cost = pf && pf->cost > 0 ? pf->cost : schema::kDefaultBcryptCost;
    form.draft().plain_passwords.erase("password");
    form.draft().record.values.set("password", crypto::bcrypt_hash(random_password, cost));
  }
  if (!superuser) check_create_rules(ctx, conn, c, info, form);
  validate_and_save(ctx, conn, form, "Failed to create record.");
  auto rec = reload(conn, c, form.draft().record.id());
  written.push_back({*rec, true});

  // Verified when the address is the one the provider vouched for (an empty one included).
  if (rec->get_string("email") == user.email && !rec->get_bool("verified")) {
    record::UpsertForm v(c, rec, record::Access::Superuser);
    v.load(json::Object{{"verified", true}});
    validate_and_save(ctx, conn, v, kAuthFailed);
    rec = reload(conn, c, rec->id());
    written.push_back({*rec, false});
  }
  return rec;
}

// An existing record: the takeover protections, then the email/verified updates.
std::shared_ptr<record::Record> update_existing(RequestContext& ctx, db::Connection& conn, const schema::Collection& c,
                                               std::shared_ptr<record::Record> rec, const oauth2::AuthUser& user,
                                               bool& has_link, std::vector<Written>& written) {
  const bool own_session = ctx.auth && ctx.auth->id() == rec->id() && ctx.auth->collection &&
                           ctx.auth->collection->id == c.id;
  const bool verified = rec->get_bool("verified");
  json::Object data;
  if (!own_session && !verified) {
    std::string pw = crypto::random_alnum(30);
    data.set("password", pw);
    data.set("passwordConfirm", pw);
  }
  if (!verified) {
    record::delete_external_auths(conn, c.id, rec->id());
    has_link = false;  // recreated below: an unverified record keeps at most this one link
  }
  std::string email(rec->get_string("email"));
  if (email.empty() && !user.email.empty()) {
    data.set("email", user.email);
    email = user.email;
  }
  if (!verified && (email.empty() || email == user.email)) data.set("verified", true);
  if (data.empty()) return rec;
  record::UpsertForm form(c, rec, record::Access::Superuser);
  form.load(data);
  validate_and_save(ctx, conn, form, kAuthFailed);
  rec = reload(conn, c, rec->id());
  written.push_back({*rec, false});
  return rec;
}

void create_link(RequestContext& ctx, db::Connection& conn, const schema::Collection& c, const record::Record& rec,
                 const std::string& provider, const oauth2::AuthUser& user, std::vector<Written>& written) {
  const schema::Collection* links = ctx.schema->find("_externalAuths");
  if (!links) throw http::ApiError::bad_request(kAuthFailed);
  record::UpsertForm form(*links, nullptr, record::Access::Superuser);
  form.load(json::Object{{"collectionRef", c.id},
                         {"recordRef", std::string(rec.id())},
                         {"provider", provider},
                         {"providerId", user.id}});
  validate_and_save(ctx, conn, form, kAuthFailed);
  written.push_back({form.draft().record, true});
}

http::Response auth_with_oauth2(RequestContext& ctx) {
  const schema::Collection& c = auth_collection_or_404(ctx);
  if (!c.auth.oauth2_enabled)
    throw http::ApiError::forbidden("The collection is not configured to allow OAuth2 authentication.");
  OAuth2Form form = read_form(ctx);
  validate_form(c, form);
  auto provider = oauth2::init_provider(*provider_config(c, form.provider));
  if (!provider) throw http::ApiError::internal("Failed to init provider " + form.provider);

  // Every outgoing request happens here, before the database is touched.
  oauth2::AuthUser user = fetch_oauth2_user(ctx, *provider, form);
  // Apple sends the name only in the redirect's form_post (api/oauth2_redirect.cpp). Taking it
  // removes it, so this comes after every fetch (a replayed request must still find it).
  if (form.provider == "apple" && user.name.empty()) {
    if (auto name = ctx.app.oauth2_redirect_names().take(form.code, util::now_utc().unix_ms / 1000)) user.name = *name;
  }

  bool has_link = false;
  // The avatar of a sign-up is one more outgoing request, so it too comes before any write,
  // and before the writer is taken (a slow image must not hold up every other write): decided
  // on a reader, then the lookup is repeated on the writer.
  std::optional<oauth2::AvatarFile> avatar;
  if (wants_avatar_file(c, form, user)) {
    bool sign_up_ahead;
    {
      auto reader = ctx.app.data_db().read();
      sign_up_ahead = !find_target(ctx, *reader, c, form, user, has_link);
    }
    if (sign_up_ahead) avatar = oauth2::download_avatar(ctx.app.http_client(), user.avatar_url);
  }

  auto conn = ctx.app.data_db().write();
  std::shared_ptr<record::Record> rec = find_target(ctx, *conn, c, form, user, has_link);
  const bool is_new = !rec;

  std::vector<Written> written;
  std::optional<record::UpsertForm> created;  // the sign-up's form: its draft holds the uploads
  std::optional<RecordFiles> files;
  try {
    db::Transaction tx(*conn);
    if (is_new) rec = sign_up(ctx, *conn, c, form, user, std::move(avatar), created, written);
    else rec = update_existing(ctx, *conn, c, rec, user, has_link, written);
    if (!has_link) create_link(ctx, *conn, c, *rec, form.provider, user, written);
    // The avatar is durable before the COMMIT that references it (as any upload).
    if (created && !created->draft().new_files.empty()) {
      files.emplace(ctx.app.file_store(), created->draft());
      try {
        files->write_new();
      } catch (const files::StoreError& e) {
        std::fprintf(stderr, "larder: storing the OAuth2 avatar failed: %s\n", e.what());
        throw http::ApiError::bad_request("Failed to create record.");
      }
    }
    tx.commit();
  } catch (const db::Error& e) {
    std::fprintf(stderr, "larder: OAuth2 sign-in failed: %s\n", e.what());
    throw http::ApiError::bad_request(kAuthFailed);
  }
  if (files) files->committed();
  for (const auto& w : written) publish_saved(ctx, *conn, w.record, w.created);

  query::RequestInfo info = request_info(ctx);
  info.context = "oauth2";
  std::string token = auth::new_token(*rec, auth::TokenType::Auth);
  json::Value meta = user.to_meta(is_new);
  return auth_response(ctx, *conn, rec, token, "oauth2", info, &meta);
}

}  // namespace

json::Value oauth2_auth_methods_providers(const schema::Collection& c) {
  json::Array out;
  for (const auto& cfg : c.auth.oauth2_providers) {
    auto p = oauth2::init_provider(cfg);
    if (!p) continue;  // a provider this build cannot initialise is left out, as PocketBase does
    std::string state = crypto::random_alnum(30);
    std::string verifier, challenge, method;
    std::vector<std::pair<std::string, std::string>> params;
    // Apple returns the name only with response_mode=form_post (a POST to the redirect URL).
    if (cfg.name == "apple") params.emplace_back("response_mode", "form_post");
    if (p->pkce) {
      verifier = crypto::random_alnum(43);
      challenge = crypto::base64url_encode(crypto::sha256(verifier));
      method = "S256";
      params.emplace_back("code_challenge", challenge);
      params.emplace_back("code_challenge_method", method);
    }
    // The client appends its own redirect URL.
    std::string url = oauth2::build_auth_url(*p, state, params) + "&redirect_uri=";
    std::string display = p->display_name.empty() ? cfg.name : p->display_name;
    out.push_back(json::Value(json::Object{{"name", cfg.name},
                                           {"displayName", display},
                                           {"logo", oauth2::provider_logo(display)},
                                           {"state", state},
                                           {"authURL", url},
                                           {"authUrl", url},
                                           {"codeVerifier", verifier},
                                           {"codeChallenge", challenge},
                                           {"codeChallengeMethod", method}}));
  }
  return json::Value(std::move(out));
}

void bind_record_auth_oauth2(Routes& routes) {
  routes.add("POST", "/api/collections/{collection}/auth-with-oauth2", auth_with_oauth2);
}

}  // namespace larder::api
