// Who is calling: the record behind an `Authorization` token (auth-realtime-files.md §1).
// A bad token is never an error — the request just runs as a guest.
#pragma once

#include <memory>
#include <string_view>

#include "core/db/sqlite.h"
#include "core/record/record.h"
#include "core/schema/schema.h"

namespace larder::auth {

enum class TokenType { Auth, File, Verification, PasswordReset, EmailChange };
std::string_view token_type_name(TokenType t);

// Strips an optional case-insensitive "Bearer " prefix.
std::string_view strip_bearer(std::string_view header);

// Verifies `token` as a token of `type` and returns its record; nullptr when the token is
// malformed, of another type, expired, signed with another key (tokenKey or secret changed), or
// its record/collection is gone.
std::shared_ptr<const record::Record> record_from_token(db::Connection& conn, const schema::Schema& schema,
                                                        std::string_view token, TokenType type);

// Issues a token of `type` for `rec` (claims per type, exp = now + the collection's duration or
// `duration_override` seconds when > 0).
std::string new_token(const record::Record& rec, TokenType type, int64_t duration_override = 0, bool refreshable = true);
// An "emailChange" token: the email claims plus `newEmail`, the address being confirmed.
std::string new_email_change_token(const record::Record& rec, const std::string& new_email);

}  // namespace larder::auth
