// A collection as PocketBase models it: a row of `_collections` (storage-schema.md §4) and the
// object the collections API returns (api.md §15.1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json/json.h"
#include "core/schema/field.h"

namespace larder::schema {

enum class CollectionType { Base, Auth, View };

std::optional<CollectionType> collection_type_from_name(std::string_view name);
std::string_view collection_type_name(CollectionType t);

struct TokenConfig {
  std::string secret;  // never leaves the server
  int64_t duration = 0;
};

struct EmailTemplate {
  std::string subject;
  std::string body;
};

struct OAuth2Provider {
  std::optional<bool> pkce;
  std::string name, client_id, client_secret, auth_url, token_url, user_info_url, display_name;
  json::Value extra;  // null or object
};

struct AuthOptions {
  std::optional<std::string> auth_rule = std::string();
  std::optional<std::string> manage_rule;
  bool auth_alert_enabled = true;
  EmailTemplate auth_alert_template;
  bool oauth2_providers_null = true;  // stored null vs [] (output is always [])
  std::vector<OAuth2Provider> oauth2_providers;
  std::string mapped_id, mapped_name, mapped_username, mapped_avatar_url;
  bool oauth2_enabled = false;
  bool password_enabled = true;
  std::vector<std::string> identity_fields{"email"};
  bool mfa_enabled = false;
  int64_t mfa_duration = 600;
  std::string mfa_rule;
  bool otp_enabled = false;
  int64_t otp_duration = 180;
  int otp_length = 8;
  EmailTemplate otp_template;
  TokenConfig auth_token{"", 432000};
  TokenConfig password_reset_token{"", 1800};
  TokenConfig email_change_token{"", 1800};
  TokenConfig verification_token{"", 86400};
  TokenConfig file_token{"", 180};
  EmailTemplate verification_template;
  EmailTemplate reset_password_template;
  EmailTemplate confirm_email_change_template;
};

struct Collection {
  std::string id;
  std::string name;
  CollectionType type = CollectionType::Base;
  bool system = false;
  std::vector<Field> fields;
  std::vector<std::string> indexes;
  std::optional<std::string> list_rule, view_rule, create_rule, update_rule, delete_rule;
  std::string view_query;  // view collections
  AuthOptions auth;        // auth collections
  std::string created, updated;

  bool is_auth() const { return type == CollectionType::Auth; }
  bool is_view() const { return type == CollectionType::View; }
  bool is_base() const { return type == CollectionType::Base; }
  const Field* field(std::string_view name) const;
  const Field* field_by_id(std::string_view id) const;
};

// The API representation (api.md §15.1): struct key order, secrets omitted, providers never null.
json::Value collection_to_json(const Collection& c);
// The stored `options` column (with secrets); base collections store "{}".
json::Value collection_options_to_json(const Collection& c);
// Builds a collection from a `_collections` row's values (fields/indexes/options as parsed JSON).
// Unknown field types or malformed shapes are reported through `error`.
std::optional<Collection> collection_from_row(std::string id, std::string name, std::string_view type, bool system,
                                              const json::Value& fields, const json::Value& indexes,
                                              std::optional<std::string> list_rule, std::optional<std::string> view_rule,
                                              std::optional<std::string> create_rule,
                                              std::optional<std::string> update_rule,
                                              std::optional<std::string> delete_rule, const json::Value& options,
                                              std::string created, std::string updated, std::string* error);
// Reads auth options from their JSON form (stored or API input), keeping `base` values for keys
// that are absent. Returns false with `error` on a wrong JSON type.
bool auth_options_from_json(const json::Value& v, AuthOptions& out, std::string* error);

// Default collection id: "pbc_<crc32(type+name)>" (storage-schema.md §4).
std::string default_collection_id(CollectionType type, std::string_view name);

}  // namespace larder::schema
