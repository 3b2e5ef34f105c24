// select fields (PocketBase's field_select.go) and the list semantics select shares with
// relation: values arrive as a string, an array or a JSON-array string, lists are de-duplicated
// without empty items, and a single-value field keeps only the last item. The "+", "+name" and
// "-" modifiers work on those lists.
#include <algorithm>

#include "core/record/fields/common.h"

namespace larder::record::fields {

namespace {

json::Value normalize(const schema::Field& f, const std::vector<std::string>& items) {
  std::vector<std::string> list = nonzero_uniques(items);
  if (!f.is_multiple()) return json::Value(list.empty() ? std::string() : list.back());
  return string_array(list);
}

}  // namespace

json::Value string_list_apply(const schema::Field& f, const json::Value& current, const json::Value& raw, Mod mod) {
  switch (mod) {
    case Mod::Append: {
      std::vector<std::string> items = to_unique_strings(current);
      std::vector<std::string> more = to_unique_strings(raw);
      items.insert(items.end(), more.begin(), more.end());
      return normalize(f, items);
    }
    case Mod::Prepend: {
      std::vector<std::string> items = to_unique_strings(raw);
      std::vector<std::string> more = to_unique_strings(current);
      items.insert(items.end(), more.begin(), more.end());
      return normalize(f, items);
    }
    case Mod::Subtract: {
      std::vector<std::string> items = to_unique_strings(current);
      const std::vector<std::string> gone = to_unique_strings(raw);
      std::erase_if(items, [&](const std::string& s) { return std::find(gone.begin(), gone.end(), s) != gone.end(); });
      return normalize(f, items);
    }
    default:
      return normalize(f, to_unique_strings(raw));
  }
}

std::optional<FieldError> validate_select(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  const std::vector<std::string> items = to_unique_strings(v ? *v : json::Value());
  if (items.empty()) {
    if (f.required) return required_error();
    return std::nullopt;
  }
  const int max_select = std::max(f.max_select, 1);
  if (items.size() > static_cast<size_t>(max_select))
    return make_error("validation_too_many_values", "Select no more than " + std::to_string(max_select),
                      json::Object{{"maxSelect", max_select}});
  for (const auto& item : items) {
    if (std::find(f.values.begin(), f.values.end(), item) == f.values.end())
      return make_error("validation_invalid_value", "Invalid value " + item, json::Object{{"value", item}});
  }
  return std::nullopt;
}

}  // namespace larder::record::fields
