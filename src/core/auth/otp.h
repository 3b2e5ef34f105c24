// Creating one-time passwords: an `_otps` row holding the bcrypt hash (cost 8, as PocketBase's
// _otps.password field) of a fresh numeric code. The plain code is returned to the caller, who
// mails it (request-otp) or prints it (`larder superuser otp`), and exists nowhere else.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/db/sqlite.h"
#include "core/schema/collection.h"

namespace larder::auth {

struct NewOtp {
  std::string id;
  std::string code;
};

// Purges the collection's spent OTPs, then inserts one for `record_id` (code length from the
// collection's otp.length) created at `now_ms`.
NewOtp create_otp(db::Connection& conn, const schema::Collection& c, std::string_view record_id, int64_t now_ms);

}  // namespace larder::auth
