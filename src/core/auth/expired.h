// Purging spent one-time passwords and MFA sessions (`_otps`, `_mfas`), as PocketBase's hourly
// __pbOTPCleanup__ / __pbMFACleanup__ jobs do: a row older than its auth collection's
// otp.duration / mfa.duration can never be used again, so it only takes space (and, for OTPs,
// holds a bcrypt hash of a code someone was mailed).
//
// Two callers, so every host purges without a scheduler of its own: the write paths that add a
// row purge that collection's spent rows first (in the same write, so the browser host persists
// it like any other change), and the native server also runs purge_all() hourly.
#pragma once

#include <cstdint>

#include "core/db/sqlite.h"
#include "core/schema/schema.h"

namespace larder::auth {

// Deletes the collection's `_otps` rows created more than otp.duration seconds before
// `now_ms` (PocketBase deletes them even when OTP is disabled); likewise `_mfas`.
void purge_expired_otps(db::Connection& conn, const schema::Collection& c, int64_t now_ms);
void purge_expired_mfas(db::Connection& conn, const schema::Collection& c, int64_t now_ms);

// Both, for every auth collection of `schema`; returns the number of rows deleted.
int64_t purge_all_expired(db::Connection& conn, const schema::Schema& schema, int64_t now_ms);

}  // namespace larder::auth
