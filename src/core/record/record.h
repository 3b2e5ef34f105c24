// A record: one row of a collection's table, with every value already in its normalised form
// (what PocketBase holds in a core.Record after loading):
//
//   text, email, url, editor, password, date, autodate   string ("" when empty)
//   number                                               double
//   bool                                                 bool
//   select / relation / file, single (maxSelect <= 1)    string
//   select / relation / file, multiple                   array of strings
//   json                                                 json::Raw (compact JSON text) or null
//   geoPoint                                             object {"lon": n, "lat": n}
//
// The collection pointer belongs to the schema snapshot the record was loaded with; keep that
// snapshot alive as long as the record.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json/json.h"
#include "core/schema/collection.h"

namespace larder::record {

struct Record;

// One expanded relation (api.md §3.5): the related records under `key`, output as one object
// (single relation) or an array.
struct ExpandEntry {
  std::string key;
  bool multiple = false;
  std::vector<std::shared_ptr<Record>> records;
};

struct Record {
  const schema::Collection* collection = nullptr;
  json::Object values;  // field name -> normalised value

  // Output flags, set by the API layer for the requester (PocketBase's Unhide and
  // IgnoreEmailVisibility): superusers see hidden fields; owners, managers and superusers see
  // the email of auth records.
  bool show_hidden = false;
  bool show_email = false;
  // nullopt: expand never ran on this record (no "expand" key); otherwise the expanded
  // relations, possibly none ("expand": {}).
  std::optional<std::vector<ExpandEntry>> expand;

  std::string_view id() const {
    const json::Value* v = values.find("id");
    return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view{};
  }
  const json::Value* get(std::string_view field) const { return values.find(field); }
  std::string_view get_string(std::string_view field) const {
    const json::Value* v = values.find(field);
    return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view{};
  }
  bool get_bool(std::string_view field) const {
    const json::Value* v = values.find(field);
    return v && v->is_bool() && v->as_bool();
  }
};

}  // namespace larder::record
