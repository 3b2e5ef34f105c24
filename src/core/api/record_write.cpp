// Record write path.
#include "core/api/record_write.h"

#include "core/app/app.h"
#include "core/db/schema_sql.h"
#include "core/http/error.h"
#include "core/record/cascade.h"
#include "core/util/datetime.h"

namespace larder::api {

void save_draft(RequestContext& ctx, db::Connection& conn, record::UpsertForm& form, std::string_view fail_message) {
  db::Transaction tx(conn);
  json::Object errors = form.validate(conn, *ctx.schema);
  if (!errors.empty()) throw http::ApiError::bad_request(std::string(fail_message), json::Value(std::move(errors)));
  try {
    form.save(conn, util::format_datetime(util::now_utc()));
  } catch (const record::ValidationFailed& e) {
    throw http::ApiError::bad_request(std::string(fail_message), json::Value(e.errors));
  } catch (const db::Error&) {
    throw http::ApiError::bad_request(std::string(fail_message));
  }
  tx.commit();
}

void delete_record(RequestContext& ctx, db::Connection& conn, const record::Record& rec) {
  const schema::Collection& c = *rec.collection;
  db::Transaction tx(conn);
  if (c.name == "_superusers") {
    auto st = conn.prepare("SELECT COUNT(*) FROM " + db::quote_ident(c.name));
    if (st.step() && st.get_int(0) <= 1) throw http::ApiError::bad_request("You can't delete the only existing superuser.");
  }
  std::vector<record::Record> deleted;
  try {
    record::delete_with_cascade(conn, *ctx.schema, rec, util::format_datetime(util::now_utc()), deleted);
  } catch (const std::exception&) {
    throw http::ApiError::bad_request(
        "Failed to delete record. Make sure that the record is not part of a required relation reference.");
  }
  tx.commit();
}

}  // namespace larder::api
