// POST, PATCH and DELETE on /api/collections/{collection}/records (api.md §6.4–6.8).
#include "core/api/common.h"
#include "core/api/enrich.h"
#include "core/api/record_files.h"
#include "core/api/record_write.h"
#include "core/api/request_data.h"
#include "core/app/app.h"
#include "core/crypto/random.h"
#include "core/db/schema_sql.h"
#include "core/http/error.h"
#include "core/query/record_query.h"
#include "core/record/cascade.h"
#include "core/record/codec.h"
#include "core/record/output.h"
#include "core/record/store.h"
#include "core/util/datetime.h"

namespace larder::api {

namespace {

// Whether `rule` holds for the row with `id` (update/delete/manage checks).
bool rule_matches_row(db::Connection& conn, const schema::Schema& schema, const schema::Collection& c,
                      const query::RequestInfo& info, const std::string& rule, std::string_view id) {
  query::RecordQuery q(schema, c, info);
  q.where(rule);
  q.where_sql(db::quote_ident(q.alias()) + ".`id` = :record_id", {{"record_id", std::string(id)}});
  auto st = conn.prepare(q.exists_sql());
  st.bind(q.params());
  return st.step();
}

// Whether `rule` holds for the not-yet-stored draft (create rule, manage rule on create).
bool rule_matches_draft(db::Connection& conn, const schema::Schema& schema, const schema::Collection& c,
                        const query::RequestInfo& info, const std::string& rule, const record::Draft& d) {
  std::vector<std::pair<std::string, db::SqlValue>> cols;
  for (const auto& f : c.fields) {
    const json::Value* v = d.record.values.find(f.name);
    db::SqlValue sv = record::to_sql(f, v ? *v : record::zero_value(f));
    if (f.name == "id" && std::get_if<std::string>(&sv) && std::get<std::string>(sv).empty())
      sv = "__temp_id__" + crypto::random_lower_alnum(6);
    if (f.name == "verified") sv = int64_t{0};  // rules never see a self-verified sign-up
    cols.emplace_back(f.name, std::move(sv));
  }
  query::RecordQuery q(schema, c, info);
  q.use_virtual_row(std::move(cols));
  q.where(rule);
  auto st = conn.prepare(q.exists_sql());
  st.bind(q.params());
  return st.step();
}

json::Object submitted_data(const RequestContext& ctx, const schema::Collection& c, const record::Record& base,
                            RequestData& rd) {
  json::Object data = record::resolve_modifiers(rd.body, base);
  if (!ctx.is_superuser()) {
    // Non-superusers never set hidden fields (the auth password excepted).
    for (const auto& f : c.fields)
      if (f.hidden && !(c.is_auth() && f.name == "password")) data.erase(f.name);
  }
  return data;
}

http::Response respond_with_record(RequestContext& ctx, db::Connection& conn, const record::Record& rec,
                                   const query::RequestInfo& info) {
  RecordList list{std::make_shared<record::Record>(rec)};
  enrich_records(conn, *ctx.schema, list, info, ctx.query.get("expand"));
  return json_response(ctx, 200, record::to_api_json(*list.front()));
}

http::Response create(RequestContext& ctx) {
  const schema::Collection& c = collection_or_404(ctx);
  if (c.is_view()) throw http::ApiError::bad_request("Unsupported collection type.");
  const bool superuser = ctx.is_superuser();
  if (!superuser && !c.create_rule) throw http::ApiError::forbidden("Only superusers can perform this action.");

  RequestData rd = read_request_data(ctx.req, ctx.query);
  std::vector<record::NewFile> uploads = take_uploads(c, rd);
  auto conn = ctx.app.data_db().write();
  record::UpsertForm form(c, nullptr, superuser ? record::Access::Superuser : record::Access::Default);
  json::Object data = submitted_data(ctx, c, form.draft().record, rd);
  query::RequestInfo info = request_info(ctx, data);
  form.load(data);
  form.draft().new_files = std::move(uploads);

  if (!superuser) check_create_rules(ctx, *conn, c, info, form);

  save_draft(ctx, *conn, form, "Failed to create record.");
  return respond_with_record(ctx, *conn, form.draft().record, info);
}

http::Response update(RequestContext& ctx) {
  const schema::Collection& c = collection_or_404(ctx);
  if (c.is_view()) throw http::ApiError::bad_request("Unsupported collection type.");
  const bool superuser = ctx.is_superuser();
  if (!superuser && !c.update_rule) throw http::ApiError::forbidden("Only superusers can perform this action.");
  std::string_view id = ctx.params.get("id");

  auto conn = ctx.app.data_db().write();
  std::shared_ptr<const record::Record> original = record::find_by_id(*conn, c, id);
  if (!original) throw http::ApiError::not_found();
  RequestData rd = read_request_data(ctx.req, ctx.query);
  std::vector<record::NewFile> uploads = take_uploads(c, rd);
  json::Object data = submitted_data(ctx, c, *original, rd);
  query::RequestInfo info = request_info(ctx, data);

  record::UpsertForm form(c, original, superuser ? record::Access::Superuser : record::Access::Default);
  if (!superuser) {
    try {
      if (!c.update_rule->empty() && !rule_matches_row(*conn, *ctx.schema, c, info, *c.update_rule, id))
        throw http::ApiError::not_found();
    } catch (const query::FilterError&) {
      throw http::ApiError::not_found();
    } catch (const db::Error&) {
      throw http::ApiError::not_found();
    }
  }
  form.load(data);
  form.draft().new_files = std::move(uploads);
  if (!superuser && c.is_auth() && info.auth && c.auth.manage_rule && !c.auth.manage_rule->empty()) {
    try {
      if (rule_matches_row(*conn, *ctx.schema, c, info, *c.auth.manage_rule, id)) form.set_access(record::Access::Manager);
    } catch (const std::exception&) {
      // A broken manage rule grants nothing.
    }
  }

  save_draft(ctx, *conn, form, "Failed to update record.");
  return respond_with_record(ctx, *conn, form.draft().record, info);
}

http::Response remove(RequestContext& ctx) {
  const schema::Collection& c = collection_or_404(ctx);
  if (c.is_view()) throw http::ApiError::bad_request("Unsupported collection type.");
  const bool superuser = ctx.is_superuser();
  if (!superuser && !c.delete_rule) throw http::ApiError::forbidden("Only superusers can perform this action.");
  std::string_view id = ctx.params.get("id");

  auto conn = ctx.app.data_db().write();
  query::RequestInfo info = request_info(ctx);
  auto rec = record::find_by_id(*conn, c, id);
  if (!rec) throw http::ApiError::not_found();
  if (!superuser && !c.delete_rule->empty()) {
    bool ok = false;
    try {
      ok = rule_matches_row(*conn, *ctx.schema, c, info, *c.delete_rule, id);
    } catch (const std::exception&) {
      ok = false;
    }
    if (!ok) throw http::ApiError::not_found();
  }
  delete_record(ctx, *conn, *rec);
  return http::Response::no_content();
}

}  // namespace

void check_create_rules(RequestContext& ctx, db::Connection& conn, const schema::Collection& c,
                        const query::RequestInfo& info, record::UpsertForm& form) {
  try {
    if (c.create_rule && !c.create_rule->empty() &&
        !rule_matches_draft(conn, *ctx.schema, c, info, *c.create_rule, form.draft()))
      throw http::ApiError::bad_request("Failed to create record.");
    if (c.is_auth() && info.auth && c.auth.manage_rule && !c.auth.manage_rule->empty() &&
        rule_matches_draft(conn, *ctx.schema, c, info, *c.auth.manage_rule, form.draft()))
      form.set_access(record::Access::Manager);
  } catch (const query::FilterError&) {
    throw http::ApiError::bad_request("Failed to create record.");
  } catch (const db::Error&) {
    throw http::ApiError::bad_request("Failed to create record.");
  }
}

void bind_records_write(Routes& routes) {
  routes.add("POST", "/api/collections/{collection}/records", create);
  routes.add("PATCH", "/api/collections/{collection}/records/{id}", update);
  routes.add("DELETE", "/api/collections/{collection}/records/{id}", remove);
}

}  // namespace larder::api
