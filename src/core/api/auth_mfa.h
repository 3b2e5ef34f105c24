// Multi-factor auth (auth-realtime-files.md §4.1 step 3, PocketBase's checkMFA): the first auth
// method of a record whose collection has mfa.enabled leaves an `_mfas` row and answers 401
// {"mfaId"}; a different method sent with that mfaId completes the sign-in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/api/context.h"
#include "core/db/sqlite.h"
#include "core/query/request_info.h"

namespace larder::api {

// Runs the MFA step for `method` ("password", "otp", "oauth2"; "" = no MFA, e.g. refresh).
// Returns the id of a new `_mfas` row when a second method is still required (the caller answers
// 401 {"mfaId": id}); nullopt when the auth may complete (MFA off, the rule does not apply, or a
// valid mfaId of another method was given — that row is then deleted). Throws PocketBase's 400s.
std::optional<std::string> check_mfa(RequestContext& ctx, db::Connection& conn, const record::Record& rec,
                                     std::string_view method, const query::RequestInfo& info);

}  // namespace larder::api
