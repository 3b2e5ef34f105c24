// A collection field: its type and options, as PocketBase stores them in `_collections.fields`
// and returns them from the collections API (storage-schema.md §4.2).
//
// One plain struct for every type (the options of other types are simply unused): fields are
// small, copied rarely, and a flat struct keeps the (de)serialisation in one place
// (field_json.cpp). Type behaviour — column type, value normalisation, validation, output —
// lives in record/ and dispatches on `type`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json/json.h"

namespace larder::schema {

enum class FieldType { Text, Editor, Number, Bool, Email, Url, Date, Autodate, Select, File, Relation, Json, Password, GeoPoint };

// "text", "number", ... ; nullopt for an unknown type name.
std::optional<FieldType> field_type_from_name(std::string_view name);
std::string_view field_type_name(FieldType t);

// Defaults PocketBase applies when an option is 0 (storage-schema.md §4.2).
constexpr int kDefaultTextMax = 5000;
constexpr int64_t kDefaultEditorMaxSize = 5 << 20;
constexpr int64_t kDefaultFileMaxSize = 5 << 20;
constexpr int64_t kDefaultJsonMaxSize = 1 << 20;
constexpr int kDefaultPasswordMax = 71;
constexpr int kDefaultBcryptCost = 10;

struct Field {
  FieldType type = FieldType::Text;
  std::string id;
  std::string name;
  bool system = false;
  bool hidden = false;
  bool presentable = false;
  std::string help;
  bool required = false;

  // text, password: length limits in code points; text max 0 = 5000, password max 0 = 71.
  int min = 0;
  int max = 0;
  std::string pattern;              // text, password
  std::string autogenerate_pattern; // text
  bool primary_key = false;         // text

  std::optional<double> num_min;    // number (null = no limit)
  std::optional<double> num_max;
  bool only_int = false;

  // email, url: nullopt serialises as null (PocketBase keeps nil slices as null).
  std::optional<std::vector<std::string>> except_domains;
  std::optional<std::vector<std::string>> only_domains;

  int64_t max_size = 0;             // editor, file, json (0 = type default)
  bool convert_urls = false;        // editor (UI only)

  std::string date_min;             // date: "" or a datetime string
  std::string date_max;

  bool on_create = false;           // autodate
  bool on_update = false;

  std::vector<std::string> values;  // select
  int max_select = 0;               // select, file, relation (<= 1 single)
  int min_select = 0;               // relation

  std::optional<std::vector<std::string>> mime_types;  // file
  std::optional<std::vector<std::string>> thumbs;
  bool protected_ = false;

  std::string collection_id;        // relation
  bool cascade_delete = false;

  int cost = 0;                     // password (0 = bcrypt default 10)

  // Multi-valued select/relation/file store a JSON array; single ones a plain string.
  bool is_multiple() const { return max_select > 1; }
  bool is_multi_capable() const {
    return type == FieldType::Select || type == FieldType::Relation || type == FieldType::File;
  }
  int effective_text_max() const { return max > 0 ? max : kDefaultTextMax; }
  int64_t effective_max_size() const;
};

// Field ⇄ JSON. The output has alphabetically sorted keys including "type", exactly the keys of
// the PocketBase struct for that type. Parsing is lenient about missing keys (older installs)
// and reports a bad shape by returning nullopt with a message.
json::Value field_to_json(const Field& f);
std::optional<Field> field_from_json(const json::Value& v, std::string* error = nullptr);

// PocketBase's default field id: "<type><crc32(name)>" (storage-schema.md §4.1).
std::string default_field_id(FieldType type, std::string_view name);

}  // namespace larder::schema
