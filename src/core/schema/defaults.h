// What PocketBase puts into a new collection and a new database: system fields, default auth
// options (fresh token secrets, email templates), and the six collections of a fresh data.db
// (storage-schema.md §5.3, §8.1).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/schema/collection.h"

namespace larder::schema {

// Ids of the collections PocketBase clients know by heart.
inline constexpr std::string_view kSuperusersId = "pbc_3142635823";
inline constexpr std::string_view kUsersId = "_pb_users_auth_";
inline constexpr std::string_view kSuperusersName = "_superusers";

// The `id` primary-key field every base/auth collection has.
Field id_field();
// Auth system fields: password, tokenKey, email, emailVisibility, verified (in that order).
std::vector<Field> auth_system_fields();
// autodate fields `created` (onCreate) and `updated` (onCreate + onUpdate).
Field created_field(bool system);
Field updated_field(bool system);

// Auth options for a new auth collection: PocketBase's durations and templates, fresh random
// 50-character secrets.
AuthOptions default_auth_options();

// Adds whatever a collection of its type must have and does not (the id field, the auth system
// fields, auth default indexes), as PocketBase does on create.
void ensure_system_fields(Collection& c);

// The collections of a fresh data.db, in PocketBase's creation order:
// _mfas, _otps, _externalAuths, _authOrigins, _superusers, users.
std::vector<Collection> fresh_database_collections(const std::string& now);

// Default email templates (subjects as PocketBase's; bodies are Larder's own wording with the
// same placeholders and links).
EmailTemplate default_verification_template();
EmailTemplate default_reset_password_template();
EmailTemplate default_confirm_email_change_template();
EmailTemplate default_otp_template();
EmailTemplate default_auth_alert_template();

}  // namespace larder::schema
