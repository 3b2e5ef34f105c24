// The single path every record write of the API takes (records CRUD, auth flows, batch): one
// transaction around validation and the SQL, PocketBase's error answers, and — as they arrive —
// the effects that must follow a committed write (files, realtime events).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/api/context.h"
#include "core/db/sqlite.h"
#include "core/query/request_info.h"
#include "core/realtime/record_events.h"
#include "core/record/form.h"

namespace larder::api {

// Validates and saves the form's draft in a transaction. Validation failures answer 400 with
// `fail_message` and the per-field errors.
void save_draft(RequestContext& ctx, db::Connection& conn, record::UpsertForm& form, std::string_view fail_message);

// The createRule check of POST /records for a non-superuser requester (400 "Failed to create
// record." when it fails), granting manager access when the manageRule matches. Shared with
// PocketBase's internal create request of OAuth2 sign-up.
void check_create_rules(RequestContext& ctx, db::Connection& conn, const schema::Collection& c,
                        const query::RequestInfo& info, record::UpsertForm& form);

// The validation and the write of save_draft alone, inside the caller's transaction: no files,
// no events (the caller commits and publishes; the OAuth2 flow writes several records at once).
void validate_and_save(RequestContext& ctx, db::Connection& conn, record::UpsertForm& form, std::string_view fail_message);

// Deletes a record with relation cleanup (400 when a required reference blocks it, or when it
// is the last superuser).
void delete_record(RequestContext& ctx, db::Connection& conn, const record::Record& rec);

// Realtime for writes that bypass the two above. publish_saved: after the commit (create or
// update event). delete_events: inside the transaction, before `rec` is deleted (with its
// cascade); deliver the result after the commit.
void publish_saved(RequestContext& ctx, db::Connection& conn, const record::Record& rec, bool created);
std::vector<realtime::Event> delete_events(RequestContext& ctx, db::Connection& conn, const record::Record& rec,
                                           const std::string& now);

// After a committed delete with its cascade (record::delete_with_cascade): removes the deleted
// records' files, turns realtime clients signed in as a deleted auth record into guests, and
// publishes update events for the records that lost a reference (each once, as now stored),
// then `events` (the delete events).
void settle_delete(RequestContext& ctx, db::Connection& conn, const std::vector<record::Record>& deleted,
                   const std::vector<record::Record>& updated, const std::vector<realtime::Event>& events);

}  // namespace larder::api
