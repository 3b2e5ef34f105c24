// Deleting the installer superuser (see installer.h).
#include "core/auth/installer.h"

#include <string>

#include "core/schema/defaults.h"

namespace larder::auth {

void drop_installer(db::Connection& conn) {
  std::string id;
  {
    auto st = conn.prepare("SELECT `id` FROM `_superusers` WHERE `email` = ? LIMIT 1");
    st.bind(1, std::string(kInstallerEmail));
    if (!st.step()) return;
    id = st.get_text(0);
  }
  // The rows PocketBase's auth-record delete hooks remove with it.
  for (const char* table : {"_externalAuths", "_authOrigins", "_otps", "_mfas"}) {
    auto st = conn.prepare(std::string("DELETE FROM `") + table + "` WHERE `collectionRef` = ? AND `recordRef` = ?");
    st.bind(1, std::string(schema::kSuperusersId)).bind(2, id);
    st.step();
  }
  auto del = conn.prepare("DELETE FROM `_superusers` WHERE `id` = ?");
  del.bind(1, id);
  del.step();
}

}  // namespace larder::auth
