// GET /api/collections/{collection}/records and .../records/{id} (api.md §6.2, §6.3).
#include <cmath>
#include <limits>

#include "core/api/common.h"
#include "core/api/enrich.h"
#include "core/app/app.h"
#include "core/db/schema_sql.h"
#include "core/http/error.h"
#include "core/query/record_query.h"
#include "core/record/codec.h"
#include "core/record/output.h"

namespace larder::api {

namespace {

constexpr int kDefaultPerPage = 30;
constexpr int kMaxPerPage = 1000;
constexpr size_t kMaxFilterLength = 3500;

// Non-superusers may not reach @request/@collection data through their own filter or sort.
void check_superuser_only_fields(const RequestContext& ctx) {
  if (ctx.is_superuser()) return;
  for (std::string_view param : {"filter", "sort"}) {
    std::string_view v = ctx.query.get(param);
    if (v.empty()) continue;
    for (std::string_view marker : {"@collection.", "@request."})
      if (v.find(marker) != std::string_view::npos)
        throw http::ApiError::forbidden("Only superusers can filter by " + std::string(marker));
  }
}

http::Response list(RequestContext& ctx) {
  const schema::Collection& c = collection_or_404(ctx);
  const bool superuser = ctx.is_superuser();
  if (!c.list_rule && !superuser) throw http::ApiError::forbidden("Only superusers can perform this action.");
  check_superuser_only_fields(ctx);

  int64_t page = 1, per_page = kDefaultPerPage;
  bool skip_total = false;
  if (auto v = ctx.query.get("skipTotal"); !v.empty()) skip_total = parse_bool_param(v);
  if (auto v = ctx.query.get("page"); !v.empty()) page = parse_int_param(v);
  if (auto v = ctx.query.get("perPage"); !v.empty()) per_page = parse_int_param(v);
  if (page <= 0) page = 1;
  if (per_page <= 0) per_page = kDefaultPerPage;
  else if (per_page > kMaxPerPage) per_page = kMaxPerPage;
  std::string_view filter = ctx.query.get("filter");
  if (filter.size() > kMaxFilterLength) throw http::ApiError::bad_request();

  query::RequestInfo info = request_info(ctx);
  auto conn = ctx.app.data_db().read();
  RecordList records;
  int64_t total = -1;
  try {
    query::RecordQuery q(*ctx.schema, c, info);
    if (!superuser && c.list_rule && !c.list_rule->empty()) q.where(*c.list_rule);
    q.set_client_mode(!superuser);
    q.where(filter);
    q.sort(ctx.query.get("sort"));
    if (!skip_total) total = count_rows(*conn, q.count_sql(), q.params());
    auto st = conn->prepare(q.select_sql(per_page, page_offset(page, per_page)));
    st.bind(q.params());
    record::RowReader reader(c, st);
    while (st.step()) records.push_back(std::make_shared<record::Record>(reader.read()));
  } catch (const query::FilterError&) {
    throw http::ApiError::bad_request();
  } catch (const db::Error&) {
    // A rule or filter that SQLite rejects (e.g. a type error deep in a JSON path).
    throw http::ApiError::bad_request();
  }

  enrich_records(*conn, *ctx.schema, records, info, ctx.query.get("expand"));
  json::Array items;
  items.reserve(records.size());
  for (const auto& r : records) items.push_back(record::to_api_json(*r));
  json::Object result;
  result.set("items", json::Value(std::move(items)));
  result.set("page", page);
  result.set("perPage", per_page);
  result.set("totalItems", total);
  result.set("totalPages",
             skip_total ? int64_t{-1} : static_cast<int64_t>(std::ceil(static_cast<double>(total) / per_page)));
  return json_response(ctx, 200, json::Value(std::move(result)), /*paginated=*/true);
}

http::Response view(RequestContext& ctx) {
  const schema::Collection& c = collection_or_404(ctx);
  std::string_view id = ctx.params.get("id");
  const bool superuser = ctx.is_superuser();
  if (!c.view_rule && !superuser) throw http::ApiError::forbidden("Only superusers can perform this action.");

  query::RequestInfo info = request_info(ctx);
  auto conn = ctx.app.data_db().read();
  RecordList records;
  try {
    query::RecordQuery q(*ctx.schema, c, info);
    if (!superuser && c.view_rule && !c.view_rule->empty()) q.where(*c.view_rule);
    q.where_sql(db::quote_ident(q.alias()) + ".`id` = :record_id", {{"record_id", std::string(id)}});
    auto st = conn->prepare(q.select_sql(1));
    st.bind(q.params());
    if (st.step()) records.push_back(std::make_shared<record::Record>(record::read_record(c, st)));
  } catch (const query::FilterError&) {
    throw http::ApiError::not_found();
  } catch (const db::Error&) {
    throw http::ApiError::not_found();
  }
  if (records.empty()) throw http::ApiError::not_found();
  enrich_records(*conn, *ctx.schema, records, info, ctx.query.get("expand"));
  return json_response(ctx, 200, record::to_api_json(*records.front()));
}

}  // namespace

void bind_records_read(Routes& routes) {
  routes.add("GET", "/api/collections/{collection}/records", list);
  routes.add("GET", "/api/collections/{collection}/records/{id}", view);
}

}  // namespace larder::api
