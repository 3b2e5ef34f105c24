// Record serialisation.
#include "core/record/output.h"

namespace larder::record {

using schema::FieldType;

json::Value to_api_json(const Record& r) {
  const schema::Collection& c = *r.collection;
  json::Object o;
  o.reserve(r.values.size() + 3);
  const bool auth = c.is_auth();
  const bool show_email = r.show_email || (auth && r.get_bool("emailVisibility"));
  for (const auto& f : c.fields) {
    if (f.hidden && !r.show_hidden) continue;
    if (auth && (f.name == "password" || f.name == "tokenKey")) continue;
    if (auth && f.name == "email" && !show_email) continue;
    if (f.type == FieldType::Password) {
      // Plaintext is never kept and hashes never leave: password fields read as "".
      o.push_back({f.name, json::Value("")});
      continue;
    }
    const json::Value* v = r.values.find(f.name);
    o.push_back({f.name, v ? *v : json::Value()});
  }
  o.push_back({"collectionId", json::Value(c.id)});
  o.push_back({"collectionName", json::Value(c.name)});
  if (r.expand) {
    json::Object e;
    for (const auto& entry : *r.expand) {
      if (entry.multiple) {
        json::Array arr;
        for (const auto& rel : entry.records) arr.push_back(to_api_json(*rel));
        e.set(entry.key, json::Value(std::move(arr)));
      } else if (!entry.records.empty()) {
        e.set(entry.key, to_api_json(*entry.records.front()));
      }
    }
    e.sort_keys();
    o.push_back({"expand", json::Value(std::move(e))});
  }
  o.sort_keys();
  return json::Value(std::move(o));
}

}  // namespace larder::record
