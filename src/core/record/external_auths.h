// `_externalAuths`: the OAuth2 links of auth records (collectionRef, recordRef, provider,
// providerId). Lives in record/ because a plain record save needs it too: PocketBase drops every
// link of a record whose email becomes verified (an attacker may have linked their own OAuth2
// account to an address they did not own) — see UpsertForm::save.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/db/sqlite.h"

namespace larder::record {

// The recordRef of the link (collection, provider, providerId), if any.
std::optional<std::string> find_external_auth_record(db::Connection& conn, std::string_view collection_id,
                                                     std::string_view provider, std::string_view provider_id);

// Deletes every link of one record; returns how many there were.
int64_t delete_external_auths(db::Connection& conn, std::string_view collection_id, std::string_view record_id);

}  // namespace larder::record
