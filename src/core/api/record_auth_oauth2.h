// OAuth2 sign-in (api.md §7.2 oauth2 part, §7.4, §7.5; auth-realtime-files.md §4.4): the
// providers listed by auth-methods, auth-with-oauth2, and the realtime `@oauth2` redirect.
#pragma once

#include "core/json/json.h"
#include "core/schema/collection.h"

namespace larder::api {

// auth-methods' oauth2.providers for an OAuth2-enabled collection: one entry per configured
// provider that can be initialised, each with a fresh state and PKCE pair.
json::Value oauth2_auth_methods_providers(const schema::Collection& c);

}  // namespace larder::api
