// One-time password rows (see otp.h).
#include "core/auth/otp.h"

#include "core/auth/expired.h"
#include "core/crypto/bcrypt.h"
#include "core/crypto/random.h"
#include "core/util/datetime.h"

namespace larder::auth {

namespace {
constexpr int kOtpBcryptCost = 8;
}

NewOtp create_otp(db::Connection& conn, const schema::Collection& c, std::string_view record_id, int64_t now_ms) {
  purge_expired_otps(conn, c, now_ms);
  NewOtp otp{crypto::random_lower_alnum(15),
             crypto::random_digits(static_cast<size_t>(c.auth.otp_length > 0 ? c.auth.otp_length : 8))};
  std::string now = util::format_datetime(util::DateTime{now_ms});
  auto ins = conn.prepare(
      "INSERT INTO `_otps` (`id`, `collectionRef`, `recordRef`, `password`, `sentTo`, `created`, `updated`) "
      "VALUES (?, ?, ?, ?, '', ?, ?)");
  ins.bind(1, otp.id).bind(2, c.id).bind(3, std::string(record_id)).bind(4, crypto::bcrypt_hash(otp.code, kOtpBcryptCost));
  ins.bind(5, now).bind(6, now);
  ins.step();
  return otp;
}

}  // namespace larder::auth
