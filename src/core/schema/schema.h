// An immutable snapshot of every collection, loaded from `_collections`. The app swaps in a new
// snapshot after any collection change; requests keep the snapshot they started with, so a
// concurrent schema change never shows a half-updated view.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/sqlite.h"
#include "core/schema/collection.h"

namespace larder::schema {

class Schema {
 public:
  // Reads every `_collections` row. Rows that cannot be understood throw db::Error with the
  // collection name, so a damaged schema fails loudly at start rather than per request.
  static std::shared_ptr<const Schema> load(db::Connection& conn);
  static std::shared_ptr<const Schema> from(std::vector<Collection> collections);

  // PocketBase's FindCachedCollectionByNameOrId: exact id, or name compared case-insensitively.
  const Collection* find(std::string_view id_or_name) const;
  const Collection* by_id(std::string_view id) const;
  const std::vector<std::shared_ptr<const Collection>>& all() const { return collections_; }

 private:
  std::vector<std::shared_ptr<const Collection>> collections_;
};

}  // namespace larder::schema
