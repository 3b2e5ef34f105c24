// The first-superuser bootstrap at `larder serve`, as PocketBase's installer: when the data has
// no superuser besides the installer placeholder (auth/installer.h), the placeholder is created
// and a static, non-refreshable 30-minute superuser token for it is printed, with which the
// first real superuser is created (`POST /api/collections/_superusers/records`, what PocketBase's
// dashboard does at `/_/#/pbinstall/<token>`). Creating that superuser deletes the placeholder.
#pragma once

#include <optional>
#include <string>

#include "core/app/app.h"

namespace larder::native {

// The installer token, or nullopt when a real superuser exists. Throws on database errors.
std::optional<std::string> installer_token(App& app);

// The lines `serve` prints under its banner for `token` (base = "http://host:port").
std::string installer_banner(const std::string& base, const std::string& token);

}  // namespace larder::native
