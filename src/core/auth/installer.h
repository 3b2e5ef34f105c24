// PocketBase's installer superuser (`__pbinstaller@example.com`): the placeholder account a fresh
// server creates so that a short-lived token exists to create the first real superuser with
// (the native host prints that token at `serve`, native/installer.*). It has a random password
// nobody knows, no password-reset mail is ever sent to it, and it is deleted as soon as any
// other superuser is created.
#pragma once

#include <string_view>

#include "core/db/sqlite.h"

namespace larder::auth {

inline constexpr std::string_view kInstallerEmail = "__pbinstaller@example.com";

// Deletes the installer account and what hangs off it (auth origins, OTPs, MFAs, OAuth2 links),
// if it exists. Called in the transaction that creates another superuser.
void drop_installer(db::Connection& conn);

}  // namespace larder::auth
