// Auth alerts (auth-realtime-files.md §4.1 step 5, PocketBase's authAlert): every successful
// sign-in by an auth method records its origin (a fingerprint of client IP + User-Agent) in
// `_authOrigins`; a sign-in from an origin the record has never used, when it has used others
// before, mails the collection's authAlert template ("Login from a new location").
#pragma once

#include "core/api/context.h"
#include "core/db/sqlite.h"

namespace larder::api {

// Call only when an auth method was used and the collection has authAlert.enabled. Never throws
// for mail or storage trouble: PocketBase only logs those and still completes the sign-in.
void record_auth_origin(RequestContext& ctx, db::Connection& conn, const record::Record& rec);

}  // namespace larder::api
