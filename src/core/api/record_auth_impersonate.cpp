// POST /api/collections/{c}/impersonate/{id} (api.md §7.11): a superuser obtains a
// non-refreshable auth token for any record of an auth collection.
#include "core/api/auth_flows.h"
#include "core/api/common.h"
#include "core/api/record_auth.h"
#include "core/app/app.h"
#include "core/http/error.h"
#include "core/record/store.h"

namespace larder::api {

namespace {

http::Response impersonate(RequestContext& ctx) {
  // RequireSuperuserAuth runs as middleware in PocketBase, i.e. before the collection lookup.
  flows::require_superuser(ctx);
  const schema::Collection& c = auth_collection_or_404(ctx);
  AuthForm form(ctx);
  double duration = form.number_field("duration").value_or(0);
  json::Object errs;
  if (duration < 0) errs.set("duration", flows::field_error("validation_min_greater_equal_than_required",
                                                            "Must be no less than 0."));
  flows::throw_if_invalid(std::move(errs));

  auto conn = ctx.app.data_db().write();
  std::shared_ptr<record::Record> rec = record::find_by_id(*conn, c, ctx.params.get("id"));
  if (!rec) throw http::ApiError::not_found();
  // Not refreshable: auth-refresh hands the same token back, so it dies at its expiry (0 means
  // the collection's authToken duration).
  std::string token = auth::new_token(*rec, auth::TokenType::Auth, static_cast<int64_t>(duration), false);
  query::RequestInfo info = request_info(ctx);
  return auth_response(ctx, *conn, rec, token, "", info);
}

}  // namespace

void bind_record_auth_impersonate(Routes& routes) {
  routes.add("POST", "/api/collections/{collection}/impersonate/{id}", impersonate);
}

}  // namespace larder::api
