// Shared API helpers.
#include "core/api/common.h"

#include <limits>

#include "core/api/fields_picker.h"
#include "core/http/error.h"

namespace larder::api {

const schema::Collection& collection_or_404(const RequestContext& ctx) {
  const schema::Collection* c = ctx.schema->find(ctx.params.get("collection"));
  if (!c) throw http::ApiError::not_found("Missing collection context.");
  return *c;
}

query::RequestInfo request_info(const RequestContext& ctx, json::Object body) {
  query::RequestInfo info;
  info.method = ctx.req.method;
  for (const auto& [k, v] : ctx.query.entries())
    if (!info.query.contains(k)) info.query.set(k, v);
  for (const auto& [k, v] : ctx.req.headers.entries()) {
    std::string key = query::header_key(k);
    if (!info.headers.contains(key)) info.headers.set(key, v);
  }
  info.body = std::move(body);
  info.auth = ctx.auth;
  return info;
}

int64_t parse_int_param(std::string_view raw) {
  std::string s(raw);
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size() || s.find_first_not_of("0123456789", i) != std::string::npos || s.size() - i > 18)
    throw http::ApiError::bad_request();
  return std::stoll(s);
}

bool parse_bool_param(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") return false;
  throw http::ApiError::bad_request();
}

int64_t count_rows(db::Connection& conn, const std::string& count_sql, const std::vector<db::NamedParam>& params) {
  auto count = conn.prepare(count_sql);
  count.bind(params);
  return count.step() ? count.get_int(0) : 0;
}

int64_t page_offset(int64_t page, int64_t per_page) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  return (page - 1) > kMax / per_page ? kMax : (page - 1) * per_page;
}

http::Response json_response(const RequestContext& ctx, int status, const json::Value& body, bool paginated) {
  std::string_view fields = ctx.query.get("fields");
  std::string out;
  if (!fields.empty()) {
    auto picked = pick_fields(body, fields, paginated);
    if (!picked) {
      // PocketBase has written the status line before the picker fails: the status stays, the
      // body is empty.
      http::Response r;
      r.status = status;
      r.headers.set("Content-Type", "application/json");
      return r;
    }
    json::write(*picked, out);
  } else {
    json::write(body, out);
  }
  out += '\n';
  return http::Response::json(status, std::move(out));
}

}  // namespace larder::api
