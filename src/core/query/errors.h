// The one error type of the query module: a filter, rule or sort that cannot be lexed, parsed
// or resolved. The API layer maps it to 400 (or 404/403 depending on the operation); the
// message is for logs and tests, PocketBase never shows it to clients.
#pragma once

#include <stdexcept>

namespace larder::query {

struct FilterError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace larder::query
