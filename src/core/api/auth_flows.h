// What the mail-driven auth flows share (api.md §7.7–7.11): PocketBase's validation error shapes,
// the email lookup, auth guards, token checks and sending a record mail through the App's Mailer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/api/context.h"
#include "core/auth/token_auth.h"
#include "core/db/sqlite.h"
#include "core/json/json.h"
#include "core/mail/template.h"

namespace larder::api::flows {

// {"code": …, "message": …}, one entry of an error envelope's `data`.
json::Value field_error(std::string_view code, std::string_view message);

// 400 "An error occurred while validating the submitted data." with `errs` (when non-empty).
void throw_if_invalid(json::Object errs);

// ozzo's Required + Length(1, 255) + is.EmailFormat for a submitted email (nullopt = valid).
std::optional<json::Value> email_error(const std::string& email);
// Required + Length(min, max) in Unicode code points (nullopt = valid).
std::optional<json::Value> length_error(const std::string& s, size_t min, size_t max);

// FindAuthRecordByEmail: case-insensitive when the collection's email index is NOCASE.
std::shared_ptr<record::Record> find_by_email(db::Connection& conn, const schema::Collection& c,
                                              std::string_view email);

// RequireSuperuserAuth and RequireSameCollectionContextAuth (api.md §1.5).
void require_superuser(const RequestContext& ctx);
void require_same_collection_auth(const RequestContext& ctx, const schema::Collection& c);

// A string claim of a token read without verification ("" when absent or not a string).
std::string unverified_claim(std::string_view token, std::string_view claim);

// The record a token of `type` belongs to, verified (signature, expiry, current tokenKey).
std::shared_ptr<const record::Record> token_record(RequestContext& ctx, db::Connection& conn, std::string_view token,
                                                   auth::TokenType type);

// Renders `tmpl` for `rec` and hands it to the App's Mailer. Throws 400 `fail_message` when the
// mailer fails (PocketBase answers the same way).
void send_record_mail(RequestContext& ctx, db::Connection& conn, const record::Record& rec,
                      const schema::EmailTemplate& tmpl, mail::Placeholders extra, const std::string& to,
                      std::string_view fail_message);

// Seconds since the epoch (the clock the tokens and throttles use).
int64_t now_unix();

}  // namespace larder::api::flows
