// The installer superuser and its token at `serve` (see installer.h).
#include "native/installer.h"

#include "core/api/auth_flows.h"
#include "core/auth/installer.h"
#include "core/auth/token_auth.h"
#include "core/crypto/random.h"
#include "core/record/form.h"
#include "core/schema/defaults.h"
#include "core/util/datetime.h"

namespace larder::native {

namespace {

constexpr int64_t kInstallerTokenSeconds = 30 * 60;

}  // namespace

std::optional<std::string> installer_token(App& app) {
  auto schema = app.schema();
  const schema::Collection* c = schema->find(schema::kSuperusersName);
  if (!c) return std::nullopt;
  auto conn = app.data_db().write();
  {
    auto st = conn->prepare("SELECT COUNT(*) FROM `_superusers` WHERE `email` != ?");
    st.bind(1, std::string(auth::kInstallerEmail));
    if (st.step() && st.get_int(0) > 0) return std::nullopt;
  }
  const std::string email(auth::kInstallerEmail);
  auto rec = api::flows::find_by_email(*conn, *c, email);
  if (!rec) {
    // A password nobody is told: the account is only ever used through the printed token.
    const std::string password = crypto::random_alnum(30);
    record::UpsertForm form(*c, nullptr, record::Access::Superuser);
    form.load(json::Object{{"email", email}, {"password", password}, {"passwordConfirm", password}});
    db::Transaction tx(*conn);
    json::Object errs = form.validate(*conn, *schema);
    if (!errs.empty()) throw std::runtime_error("cannot create the installer superuser");
    form.save(*conn, util::format_datetime(util::now_utc()));
    tx.commit();
    rec = api::flows::find_by_email(*conn, *c, email);
    if (!rec) throw std::runtime_error("the installer superuser was not saved");
  }
  return auth::new_token(*rec, auth::TokenType::Auth, kInstallerTokenSeconds, /*refreshable=*/false);
}

std::string installer_banner(const std::string& base, const std::string& token) {
  std::string out;
  out += "\n(!) There is no superuser yet. Create the first one within 30 minutes with this installer token:\n";
  out += "curl -X POST " + base + "/api/collections/_superusers/records \\\n";
  out += "  -H 'Authorization: " + token + "' -H 'Content-Type: application/json' \\\n";
  out += "  -d '{\"email\":\"you@example.com\",\"password\":\"PASSWORD\",\"passwordConfirm\":\"PASSWORD\"}'\n";
  out += "(a PocketBase dashboard takes the same token at " + base + "/_/#/pbinstall/" + token + ";\n";
  out += " or run: larder superuser upsert EMAIL PASS)\n\n";
  return out;
}

}  // namespace larder::native
