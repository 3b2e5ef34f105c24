// `_externalAuths` queries (see external_auths.h).
#include "core/record/external_auths.h"

namespace larder::record {

std::optional<std::string> find_external_auth_record(db::Connection& conn, std::string_view collection_id,
                                                     std::string_view provider, std::string_view provider_id) {
  auto st = conn.prepare(
      "SELECT `recordRef` FROM `_externalAuths` WHERE `collectionRef` = ? AND `provider` = ? AND `providerId` = ? "
      "LIMIT 1");
  st.bind(1, collection_id).bind(2, provider).bind(3, provider_id);
  if (!st.step()) return std::nullopt;
  return st.get_text(0);
}

int64_t delete_external_auths(db::Connection& conn, std::string_view collection_id, std::string_view record_id) {
  auto st = conn.prepare("DELETE FROM `_externalAuths` WHERE `collectionRef` = ? AND `recordRef` = ?");
  st.bind(1, collection_id).bind(2, record_id);
  st.step();
  return conn.changes();
}

}  // namespace larder::record
