// Record write path.
#include "core/api/record_write.h"

#include <cstdio>
#include <set>
#include <utility>

#include "core/api/record_files.h"
#include "core/app/app.h"
#include "core/db/schema_sql.h"
#include "core/http/error.h"
#include "core/realtime/record_events.h"
#include "core/record/cascade.h"
#include "core/record/store.h"
#include "core/util/datetime.h"

namespace larder::api {

void validate_and_save(RequestContext& ctx, db::Connection& conn, record::UpsertForm& form, std::string_view fail_message) {
  json::Object errors = form.validate(conn, *ctx.schema);
  if (!errors.empty()) throw http::ApiError::bad_request(std::string(fail_message), json::Value(std::move(errors)));
  try {
    form.save(conn, util::format_datetime(util::now_utc()));
  } catch (const record::ValidationFailed& e) {
    throw http::ApiError::bad_request(std::string(fail_message), json::Value(e.errors));
  } catch (const db::Error&) {
    throw http::ApiError::bad_request(std::string(fail_message));
  }
}

void save_draft(RequestContext& ctx, db::Connection& conn, record::UpsertForm& form, std::string_view fail_message) {
  db::Transaction tx(conn);
  validate_and_save(ctx, conn, form, fail_message);
  // Uploads are durable before the COMMIT that references them; if storing or committing
  // fails, `files` removes them again on the way out.
  RecordFiles files(ctx.app.file_store(), form.draft());
  try {
    files.write_new();
  } catch (const files::StoreError& e) {
    std::fprintf(stderr, "larder: storing uploads failed: %s\n", e.what());
    throw http::ApiError::bad_request(std::string(fail_message));
  }
  tx.commit();
  files.committed();
  const record::Record& saved = form.draft().record;
  publish_saved(ctx, conn, saved, form.draft().is_new());
  // Realtime clients signed in as this auth record judge later events with what was saved (its
  // verified flag, its fields), as PocketBase's realtime update hook does.
  realtime::Broker& broker = ctx.app.realtime();
  if (!form.draft().is_new() && saved.collection->is_auth() && broker.bound_to(saved.collection->id, saved.id()))
    if (auto fresh = record::find_by_id(conn, *saved.collection, saved.id())) broker.update_auth({fresh, ctx.schema});
}

void publish_saved(RequestContext& ctx, db::Connection& conn, const record::Record& rec, bool created) {
  realtime::Broker& broker = ctx.app.realtime();
  if (!broker.has_subscriptions()) return;
  // After the commit, on the writer: the committed row, and no later write can interleave.
  auto action = created ? realtime::Action::Create : realtime::Action::Update;
  realtime::deliver(broker, realtime::record_events(conn, *ctx.schema, broker, rec, action));
}

std::vector<realtime::Event> delete_events(RequestContext& ctx, db::Connection& conn, const record::Record& rec,
                                           const std::string& now) {
  std::vector<realtime::Event> events;
  realtime::Broker& broker = ctx.app.realtime();
  if (!broker.has_subscriptions()) return events;
  // Delete events are judged while the rows still exist (§9.3), for the cascaded records too:
  // run the cascade in a savepoint only to learn which records it removes, then undo it.
  std::vector<record::Record> doomed;
  conn.exec("SAVEPOINT larder_realtime_probe");
  try {
    record::delete_with_cascade(conn, *ctx.schema, rec, now, doomed);
  } catch (const std::exception&) {
    doomed.clear();  // the real delete will fail the same way
  }
  conn.exec("ROLLBACK TO larder_realtime_probe");
  conn.exec("RELEASE larder_realtime_probe");
  for (const auto& r : doomed) {
    auto e = realtime::record_events(conn, *ctx.schema, broker, r, realtime::Action::Delete);
    events.insert(events.end(), std::make_move_iterator(e.begin()), std::make_move_iterator(e.end()));
  }
  return events;
}

void delete_record(RequestContext& ctx, db::Connection& conn, const record::Record& rec) {
  const schema::Collection& c = *rec.collection;
  db::Transaction tx(conn);
  if (c.name == "_superusers") {
    auto st = conn.prepare("SELECT COUNT(*) FROM " + db::quote_ident(c.name));
    if (st.step() && st.get_int(0) <= 1) throw http::ApiError::bad_request("You can't delete the only existing superuser.");
  }
  const std::string now = util::format_datetime(util::now_utc());
  std::vector<realtime::Event> events = delete_events(ctx, conn, rec, now);
  std::vector<record::Record> deleted, updated;
  try {
    record::delete_with_cascade(conn, *ctx.schema, rec, now, deleted, &updated);
  } catch (const std::exception&) {
    throw http::ApiError::bad_request(
        "Failed to delete record. Make sure that the record is not part of a required relation reference.");
  }
  tx.commit();
  settle_delete(ctx, conn, deleted, updated, events);
}

void settle_delete(RequestContext& ctx, db::Connection& conn, const std::vector<record::Record>& deleted,
                   const std::vector<record::Record>& updated, const std::vector<realtime::Event>& events) {
  // Only now that no committed row references them: the records' folders (cascade included).
  remove_record_folders(ctx.app.file_store(), deleted);
  realtime::Broker& broker = ctx.app.realtime();
  std::set<std::pair<std::string, std::string>> gone, done;
  for (const auto& r : deleted) {
    if (!r.collection) continue;
    gone.emplace(r.collection->id, std::string(r.id()));
    if (r.collection->is_auth()) broker.unset_auth(r.collection->id, r.id());
  }
  for (const auto& r : updated) {
    if (!r.collection) continue;
    std::pair<std::string, std::string> key{r.collection->id, std::string(r.id())};
    if (gone.count(key) || !done.insert(key).second) continue;
    auto now = record::find_by_id(conn, *r.collection, r.id());
    if (!now) continue;
    publish_saved(ctx, conn, *now, false);
    if (r.collection->is_auth() && broker.bound_to(r.collection->id, r.id())) broker.update_auth({now, ctx.schema});
  }
  realtime::deliver(broker, events);
}

}  // namespace larder::api
