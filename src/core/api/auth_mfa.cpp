// MFA step of the auth success pipeline (see auth_mfa.h).
#include "core/api/auth_mfa.h"

#include "core/api/record_auth.h"
#include "core/auth/expired.h"
#include "core/crypto/random.h"
#include "core/db/schema_sql.h"
#include "core/http/error.h"
#include "core/query/record_query.h"
#include "core/util/datetime.h"

namespace larder::api {

namespace {

// PocketBase's wantsMFA: an empty rule means every record; otherwise the record must match it.
// A rule that fails to compile or run is an error (the caller refuses the auth), never "no MFA".
bool wants_mfa(RequestContext& ctx, db::Connection& conn, const record::Record& rec,
               const query::RequestInfo& info) {
  const std::string& rule = rec.collection->auth.mfa_rule;
  if (rule.empty()) return true;
  try {
    query::RecordQuery q(*ctx.schema, *rec.collection, info);
    q.where(rule);
    q.where_sql(db::quote_ident(q.alias()) + ".`id` = :record_id", {{"record_id", std::string(rec.id())}});
    auto st = conn.prepare(q.exists_sql());
    st.bind(q.params());
    return st.step();
  } catch (const std::exception&) {
    throw http::ApiError::bad_request("Failed to authenticate.");
  }
}

// The mfaId from the query string, else from the body (PocketBase binds the body only when the
// query has none).
std::string submitted_mfa_id(RequestContext& ctx) {
  std::string id(ctx.query.get("mfaId"));
  if (!id.empty()) return id;
  try {
    return AuthForm(ctx).string_field("mfaId");
  } catch (const http::ApiError&) {
    throw http::ApiError::bad_request("Failed to read MFA Id");
  }
}

void delete_mfa(db::Connection& conn, const std::string& id) {
  auto del = conn.prepare("DELETE FROM `_mfas` WHERE `id` = ?");
  del.bind(1, id);
  del.step();
}

}  // namespace

std::optional<std::string> check_mfa(RequestContext& ctx, db::Connection& conn, const record::Record& rec,
                                     std::string_view method, const query::RequestInfo& info) {
  const schema::Collection& c = *rec.collection;
  if (!c.auth.mfa_enabled || method.empty()) return std::nullopt;
  if (!wants_mfa(ctx, conn, rec, info)) return std::nullopt;

  std::string mfa_id = submitted_mfa_id(ctx);
  util::DateTime now = util::now_utc();
  if (mfa_id.empty()) {
    // First factor: remember which method passed, for this record only.
    auth::purge_expired_mfas(conn, c, now.unix_ms);
    std::string id = crypto::random_lower_alnum(15);
    std::string stamp = util::format_datetime(now);
    auto ins = conn.prepare(
        "INSERT INTO `_mfas` (`id`, `collectionRef`, `recordRef`, `method`, `created`, `updated`) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, id).bind(2, c.id).bind(3, rec.id()).bind(4, method).bind(5, stamp).bind(6, stamp);
    ins.step();
    return id;
  }

  auto st = conn.prepare("SELECT `collectionRef`, `recordRef`, `method`, `created` FROM `_mfas` WHERE `id` = ? LIMIT 1");
  st.bind(1, mfa_id);
  if (!st.step()) throw http::ApiError::bad_request("Invalid or expired MFA session.");
  std::string collection_ref = st.get_text(0), record_ref = st.get_text(1), first_method = st.get_text(2),
              created = st.get_text(3);
  st.reset();
  // Datetimes in PocketBase's fixed format compare as text; expired = created + duration < now.
  std::string live_since = util::format_datetime(util::DateTime{now.unix_ms - c.auth.mfa_duration * 1000});
  if (created < live_since) {
    delete_mfa(conn, mfa_id);
    throw http::ApiError::bad_request("Invalid or expired MFA session.");
  }
  if (record_ref != rec.id() || collection_ref != c.id) throw http::ApiError::bad_request("Invalid MFA session.");
  // All methods are equal (no pairing), but the second factor must differ from the first.
  if (first_method == method) throw http::ApiError::bad_request("A different authentication method is required.");
  delete_mfa(conn, mfa_id);
  return std::nullopt;
}

}  // namespace larder::api
