// Applying submitted collection JSON (an API body or one imported collection) onto a
// collection, the way Go's json.Unmarshal applies it to PocketBase's Collection struct: keys
// present replace, absent keys keep the current value, `null` resets only what Go would reset
// (rules, lists), nested option objects merge key by key, a `fields` or `indexes` array replaces
// the whole list, and OAuth2 providers merge by position (so a client that never saw a
// clientSecret keeps it).
#pragma once

#include <string>

#include "core/json/json.h"
#include "core/schema/collection.h"

namespace larder::schema {

struct CollectionInput {
  bool ok = true;            // false: a value of the wrong JSON type (PocketBase's bind error)
  std::string invalid_type;  // a `type` that is not base/auth/view, kept for validation
};

// With `adopt_ids_from`, a field sent without an id takes the id of the stored field with the
// same name and type: a client that omits ids then renames nothing and keeps the column's data
// (PocketBase would drop and recreate the column, losing its values).
CollectionInput apply_collection_json(Collection& c, const json::Object& body, const Collection* adopt_ids_from = nullptr);

}  // namespace larder::schema
