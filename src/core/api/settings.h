// Settings maintenance other endpoint families trigger (see settings.cpp for the routes).
#pragma once

#include <string>

#include "core/db/sqlite.h"

namespace larder {
class App;
}

namespace larder::api {

// PocketBase's settings hook on a collection rename: rate limit labels "<old>:<tag>" become
// "<new>:<tag>", and the settings are saved and published when any changed. Runs on `conn`,
// which must hold the writer.
void rename_rate_limit_labels(App& app, db::Connection& conn, const std::string& old_name, const std::string& new_name);

}  // namespace larder::api
