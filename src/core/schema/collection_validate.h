// Collections before they are saved: the normalisation PocketBase applies to every collection it
// saves (default ids, system fields, auth indexes — its onCollectionSave hook) and the validation
// rules with their error codes (api.md §15, PocketBase's core/collection_validate.go and each
// field type's ValidateSettings).
//
// Errors are kept the way Go's ozzo-validation holds them — a tree of keys with one error per
// key, messages as rendered before PocketBase's Sentenize — because they are shown two ways: as
// the `data` of the error envelope, and (for imports) as Go's indented JSON dump inside a message.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/sqlite.h"
#include "core/json/json.h"
#include "core/schema/schema.h"

namespace larder::schema {

// One failure: code, Go message (template already rendered, not yet sentenized), params.
struct ValidationError {
  std::string code;
  std::string message;
  json::Value params;  // null or object
};

// ozzo-validation's Errors: key → error or nested errors. Keys are kept sorted (Go maps are
// written sorted) and the first error per key wins, as a validator stops at its first failure.
class ValidationErrors {
 public:
  void add(std::string key, ValidationError e);
  void add(std::string key, ValidationErrors nested);  // ignored when empty
  void merge(const ValidationErrors& other);            // validators.JoinValidationErrors
  bool empty() const { return entries_.empty(); }
  bool contains(std::string_view key) const;

  // The envelope's `data`: {"key": {"code", "message" (sentenized), "params"?}} nested.
  json::Value to_json() const;
  // Errors.MarshalJSON: {"key": "message" | {...}} (used in import failure messages).
  json::Value to_messages() const;
  // Errors.Error(): "key: message; other: (nested)." (used in dry-run failures).
  std::string to_string() const;

 private:
  struct Entry {
    std::optional<ValidationError> leaf;
    std::shared_ptr<ValidationErrors> nested;
  };
  std::map<std::string, Entry> entries_;
};

// ---- normalisation ----------------------------------------------------------------------------

// PocketBase's FieldsList.add: a field without id gets "<type><crc32(name)>" (suffix 2, 3, ...
// when taken) and replaces a field of the same name, taking its id; a field with an id replaces
// the field with that id; anything else is appended.
void add_field(std::vector<Field>& fields, Field f);
// NewFieldsList: every field re-added through add_field.
std::vector<Field> normalize_fields(std::vector<Field> fields);

// PocketBase's NewCollection(type, name, id): default id "pbc_<crc32(type+name)>", the system
// fields (and auth indexes) of the type, default auth options with fresh secrets.
Collection new_collection(CollectionType type, std::string name, std::string id = {});
// Auth options as Go's zero value (what a base/view collection switched to auth carries).
AuthOptions zero_auth_options();

// What PocketBase does to every collection it saves, before validation (onCollectionSave):
// fields re-normalised, system fields added or their flags enforced, missing auth indexes
// added, dangling oauth2 mapped fields cleared, index table names set to the collection name,
// created/updated stamped. A new collection without an id gets "pbc_<crc32(type+name)>"; when
// the id was generated (`auto_id`, or it was empty) and still equals that default, it is
// suffixed 2, 3, ... while `_collections` has it already (index names follow). An id the client
// chose is never replaced: validation reports it instead.
void prepare_for_save(db::Connection& conn, Collection& c, bool is_new, bool auto_id, const std::string& now);

// ---- validation -------------------------------------------------------------------------------

struct ValidateOptions {
  // The collection as stored before this change; nullptr when creating.
  const Collection* original = nullptr;
  // The type as the client wrote it, when it is not one of base/auth/view (validation_in_invalid).
  std::string invalid_type;
};

// Every rule of PocketBase's collection validator against the collections in `schema` (the
// current ones; `c` replaces its original there) and the database behind `conn` (name and id
// uniqueness, internal tables, index names, view queries). Empty when valid.
ValidationErrors validate_collection(db::Connection& conn, const Schema& schema, const Collection& c,
                                     const ValidateOptions& opts = {});

// One field's ValidateSettings within collection `c` (`original`: the stored collection, for the
// checks that compare with it). Empty when valid.
ValidationErrors validate_field_settings(const Schema& schema, const Collection& c, const Collection* original,
                                         const Field& f);

// The OAuth2 providers PocketBase knows, in its display order: {name, displayName}.
struct OAuth2ProviderInfo {
  std::string_view name;
  std::string_view display_name;
};
const std::vector<OAuth2ProviderInfo>& oauth2_providers();

}  // namespace larder::schema
