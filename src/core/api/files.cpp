// GET /api/files/{collection}/{recordId}/{filename} and POST /api/files/token (api.md §8,
// auth-realtime-files.md §10.4–10.5). Every failure of a download is the same 404, so a client
// learns nothing about which part (collection, record, field, rule, storage) said no.
#include <algorithm>

#include "core/api/common.h"
#include "core/app/app.h"
#include "core/api/client_ip.h"
#include "core/auth/token_auth.h"
#include "core/db/schema_sql.h"
#include "core/files/serve.h"
#include "core/files/store.h"
#include "core/files/thumb.h"
#include "core/http/error.h"
#include "core/query/record_query.h"
#include "core/record/fields/common.h"
#include "core/record/store.h"

namespace larder::api {

namespace {

constexpr uint64_t kMaxThumbSource = 64ull << 20;  // originals above this are never decoded

bool field_has_file(const record::Record& rec, const schema::Field& f, std::string_view name) {
  const json::Value* v = rec.values.find(f.name);
  std::vector<std::string> names = record::fields::file_names(v ? *v : json::Value());
  return std::find(names.begin(), names.end(), name) != names.end();
}

// CanAccessRecord with the viewRule, as a file-token bearer in the "protectedFile" context.
bool can_view_protected(RequestContext& ctx, db::Connection& conn, const schema::Collection& c,
                        const record::Record& rec) {
  query::RequestInfo info = request_info(ctx);
  info.context = "protectedFile";
  info.auth = nullptr;
  std::string_view token = ctx.query.get("token");
  if (!token.empty()) info.auth = auth::record_from_token(conn, *ctx.schema, token, auth::TokenType::File);
  // A superuser's file token from outside the whitelist counts as no token.
  if (info.is_superuser() && !superuser_ip_allowed(*ctx.settings, ctx.real_ip)) info.auth = nullptr;
  if (info.is_superuser()) return true;
  if (!c.view_rule) return false;
  if (c.view_rule->empty()) return true;
  try {
    query::RecordQuery q(*ctx.schema, c, info);
    q.where(*c.view_rule);
    q.where_sql(db::quote_ident(q.alias()) + ".`id` = :record_id", {{"record_id", std::string(rec.get_string("id"))}});
    auto st = conn.prepare(q.exists_sql());
    st.bind(q.params());
    return st.step();
  } catch (const std::exception&) {
    return false;
  }
}

// The thumb to serve instead of the original, generating and storing it on first use; nullopt
// to serve the original (not an image, size not allowed, generation failed).
std::optional<std::pair<std::string, std::string>> thumb_key(RequestContext& ctx, files::FileStore& store,
                                                             const schema::Field& f, const std::string& cid,
                                                             const std::string& rid, const std::string& filename,
                                                             const files::FileInfo& original) {
  std::string size(ctx.query.get("thumb"));
  if (size.empty()) return std::nullopt;
  const bool allowed = size == "100x100" || (f.thumbs && std::find(f.thumbs->begin(), f.thumbs->end(), size) != f.thumbs->end());
  if (!allowed || !files::thumbable_content_type(original.content_type)) return std::nullopt;
  auto parsed = files::parse_thumb_size(size);
  std::string served = size + "_" + filename;
  auto key = files::storage_key({cid, rid, "thumbs_" + filename, served});
  if (!parsed || !key) return std::nullopt;
  if (store.exists(*key)) return std::make_pair(*key, served);

  std::lock_guard lock(ctx.app.thumbs_mutex());
  if (store.exists(*key)) return std::make_pair(*key, served);  // made while we waited
  if (original.size > kMaxThumbSource) return std::nullopt;
  auto src_key = files::storage_key({cid, rid, filename});
  auto bytes = store.read(*src_key);
  if (!bytes) return std::nullopt;
  auto thumb = files::make_thumb(*bytes, *parsed);
  if (!thumb) return std::nullopt;
  try {
    store.put(*key, thumb->data, thumb->content_type, "");
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return std::make_pair(*key, served);
}

http::Response download(RequestContext& ctx) {
  files::FileStore* store = ctx.app.file_store();
  if (!store) throw http::ApiError::not_found();
  const schema::Collection* c = nullptr;
  try {
    c = &collection_or_404(ctx);
  } catch (const http::ApiError&) {
    throw http::ApiError::not_found();
  }
  const std::string rid(ctx.params.get("recordId"));
  const std::string filename(ctx.params.get("filename"));
  auto key = files::storage_key({c->id, rid, filename});
  if (!key) throw http::ApiError::not_found();

  auto conn = ctx.app.data_db().read();
  std::shared_ptr<const record::Record> rec;
  try {
    rec = record::find_by_id(*conn, *c, rid);
  } catch (const std::exception&) {
    rec = nullptr;
  }
  if (!rec) throw http::ApiError::not_found();
  const schema::Field* field = nullptr;
  for (const auto& f : c->fields)
    if (f.type == schema::FieldType::File && field_has_file(*rec, f, filename)) field = &f;
  if (!field) throw http::ApiError::not_found();
  if (field->protected_ && !can_view_protected(ctx, *conn, *c, *rec)) throw http::ApiError::not_found();

  auto original = store->stat(*key);
  if (!original) throw http::ApiError::not_found();
  std::string served_key = *key, served_name = filename;
  files::FileInfo info = *original;
  if (auto t = thumb_key(ctx, *store, *field, c->id, rid, filename, *original)) {
    if (auto ti = store->stat(t->first)) {
      served_key = t->first;
      served_name = t->second;
      info = *ti;
    }
  }

  http::Response res;
  res.allow_framing = true;
  const bool attachment = files::go_parse_bool_true(ctx.query.get("download")) ||
                          !files::inline_content_type(info.content_type);
  res.headers.set("Content-Disposition", std::string(attachment ? "attachment" : "inline") + "; filename=" + served_name);
  res.headers.set("Content-Type", files::served_content_type(served_name, info.content_type));
  res.headers.set("Content-Security-Policy", "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox");
  res.headers.set("Cache-Control", "max-age=2592000, stale-while-revalidate=86400");
  res.headers.set("Last-Modified", files::http_date(info.modified_unix));

  // http.ServeContent: If-Modified-Since, then Range.
  if (auto ims = files::parse_http_date(ctx.req.headers.get("If-Modified-Since")); ims && info.modified_unix <= *ims) {
    res.status = 304;
    res.headers.remove("Content-Type");
    return res;
  }
  std::vector<files::ByteRange> ranges;
  files::ByteRange send{0, info.size};
  const files::RangeResult rr = files::parse_range(ctx.req.headers.get("Range"), info.size, ranges);
  switch (rr) {
    case files::RangeResult::Invalid:
    case files::RangeResult::NoOverlap: {
      const bool no_overlap = rr == files::RangeResult::NoOverlap;
      if (no_overlap) res.headers.set("Content-Range", "bytes */" + std::to_string(info.size));
      res.status = 416;
      res.headers.set("Content-Type", "text/plain; charset=utf-8");
      res.body = no_overlap ? "invalid range: failed to overlap\n" : "invalid range\n";
      return res;
    }
    case files::RangeResult::Ok:
      // One range only; several (multipart/byteranges) are answered with the whole file, which
      // RFC 9110 allows.
      if (ranges.size() == 1) {
        send = ranges[0];
        res.status = 206;
        res.headers.set("Content-Range", "bytes " + std::to_string(send.start) + "-" +
                                             std::to_string(send.start + send.length - 1) + "/" + std::to_string(info.size));
      }
      break;
    case files::RangeResult::None:
      break;
  }
  res.headers.set("Accept-Ranges", "bytes");
  if (auto path = store->local_path(served_key)) {
    res.file_path = *path;
    res.file_offset = send.start;
    res.file_length = send.length;
  } else {
    auto bytes = store->read(served_key, send.start, send.length);
    if (!bytes) throw http::ApiError::not_found();
    res.body = std::move(*bytes);
  }
  return res;
}

http::Response file_token(RequestContext& ctx) {
  if (!ctx.auth) throw http::ApiError::unauthorized("The request requires valid record authorization token.");
  json::Object body;
  body.set("token", auth::new_token(*ctx.auth, auth::TokenType::File));
  return json_response(ctx, 200, json::Value(std::move(body)));
}

}  // namespace

void bind_files(Routes& routes) {
  routes.add("GET", "/api/files/{collection}/{recordId}/{filename}", download);
  routes.add("POST", "/api/files/token", file_token);
}

}  // namespace larder::api
