// Purging spent _otps/_mfas rows (auth/expired.h): each auth collection's own durations decide,
// rows of other collections and live rows stay.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/app/app.h"
#include "core/util/datetime.h"

namespace larder {
namespace {

namespace fs = std::filesystem;

std::string ago(int64_t seconds) {
  return util::format_datetime(util::DateTime{util::now_utc().unix_ms - seconds * 1000});
}

TEST(AuthExpired, PurgesSpentOtpsAndMfasPerCollectionDuration) {
  const fs::path dir = fs::temp_directory_path() / ("larder-expired-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(fs::path(LARDER_FIXTURES_DIR) / "pocketbase-testdata", dir, fs::copy_options::recursive);
  {
    AppConfig cfg;
    cfg.data_dir = dir.string();
    App app(cfg);
    auto schema = app.schema();
    const schema::Collection* users = schema->find("users");
    const schema::Collection* su = schema->find("_superusers");
    ASSERT_TRUE(users && su);
    struct Row {
      const char* table;
      const char* id;
      const schema::Collection* c;
      int64_t age;  // seconds
      bool kept;
    };
    const Row rows[] = {
        {"_otps", "otpfresh0000001", users, users->auth.otp_duration - 30, true},
        {"_otps", "otpspent0000001", users, users->auth.otp_duration + 30, false},
        {"_otps", "otpspent0000002", su, su->auth.otp_duration + 30, false},
        {"_mfas", "mfafresh0000001", users, users->auth.mfa_duration - 30, true},
        {"_mfas", "mfaspent0000001", users, users->auth.mfa_duration + 30, false},
        {"_mfas", "mfaunknowncoll1", nullptr, 10 * 365 * 86400, true},  // no such collection: not ours
    };
    {
      auto conn = app.data_db().write();
      conn->exec("DELETE FROM `_otps`; DELETE FROM `_mfas`;");
      for (const auto& r : rows) {
        auto st = std::string(r.table) == "_otps"
                      ? conn->prepare("INSERT INTO `_otps` (`id`, `collectionRef`, `recordRef`, `password`, `sentTo`, "
                                      "`created`, `updated`) VALUES (?, ?, 'rec', 'x', '', ?, ?)")
                      : conn->prepare("INSERT INTO `_mfas` (`id`, `collectionRef`, `recordRef`, `method`, `created`, "
                                      "`updated`) VALUES (?, ?, 'rec', 'password', ?, ?)");
        st.bind(1, r.id).bind(2, r.c ? r.c->id : std::string("nocollection12")).bind(3, ago(r.age)).bind(4, ago(r.age));
        st.step();
      }
    }
    EXPECT_EQ(app.purge_expired_auth(), 3);
    auto read = app.data_db().read();
    for (const auto& r : rows) {
      auto st = read->prepare(std::string("SELECT COUNT(*) FROM `") + r.table + "` WHERE `id` = ?");
      st.bind(1, r.id);
      ASSERT_TRUE(st.step());
      EXPECT_EQ(st.get_int(0), r.kept ? 1 : 0) << r.id;
    }
    EXPECT_EQ(app.purge_expired_auth(), 0);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace larder
