// file fields (PocketBase's field_file.go) as far as values and validation go: a value is a list
// of stored file names (new uploads are already named, see Draft::new_files); "+", "+name" and
// "-" add, prepend and remove names. Validation rejects names that are neither stored on the
// record nor uploaded now (a client cannot point a record at someone else's file), too many
// files, and uploads over the size limit or of a type not allowed. Writing and deleting the
// bytes happen elsewhere, after the record is saved.
#include <algorithm>
#include <unordered_set>

#include "core/files/mime.h"
#include "core/record/fields/common.h"

namespace larder::record::fields {

namespace {

constexpr size_t kMaxReportedInvalidName = 250;  // bytes of each name quoted in the error
constexpr size_t kMaxReportedUploadName = 300;   // bytes of the client's name in size errors

std::vector<std::string> unique_names(std::vector<std::string> names) {
  std::unordered_set<std::string> seen;
  std::vector<std::string> out;
  for (auto& n : names)
    if (seen.insert(n).second) out.push_back(std::move(n));
  return out;
}

json::Value normalize(const schema::Field& f, const std::vector<std::string>& names) {
  // Like PocketBase, a combined list is normalised again as a whole (names are re-read from a
  // list of strings).
  std::vector<std::string> list = file_names(string_array(names));
  if (f.is_multiple()) return string_array(list);
  return json::Value(list.empty() ? std::string() : list.back());
}

// validation.Length(1, 150) and the loose name rule ^[^./\\][^/\\]+$ of PocketBase: normalised
// names always pass, but a name is a storage key, so the guard stays.
std::optional<FieldError> check_upload_name(std::string_view name) {
  size_t runes = rune_count(name);
  if (runes < 1 || runes > 150)
    return make_error("validation_length_out_of_range", "the length must be between 1 and 150",
                      json::Object{{"min", 1}, {"max", 150}});
  bool ok = runes >= 2 && name[0] != '.' && name[0] != '/' && name[0] != '\\' &&
            name.find_first_of("/\\") == std::string_view::npos;
  if (!ok) return make_error("validation_match_invalid", "must be in a valid format");
  return std::nullopt;
}

bool mime_allowed(const std::vector<std::string>& allowed, std::string_view sniffed) {
  const std::string actual = files::base_mime(sniffed);
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& t) { return files::base_mime(t) == actual; });
}

}  // namespace

std::vector<std::string> file_names(const json::Value& v) {
  std::vector<std::string> names;
  if (v.is_array()) {
    // Each element must stand for exactly one file; anything else is dropped.
    for (const auto& e : v.as_array()) {
      std::vector<std::string> one = file_names(e);
      if (one.size() == 1) names.push_back(std::move(one[0]));
    }
  } else {
    names = to_unique_strings(v);
  }
  return unique_names(std::move(names));
}

json::Value file_apply(const schema::Field& f, const json::Value& current, const json::Value& raw, Mod mod) {
  switch (mod) {
    case Mod::Append: {
      std::vector<std::string> names = file_names(current);
      std::vector<std::string> more = file_names(raw);
      names.insert(names.end(), more.begin(), more.end());
      return normalize(f, names);
    }
    case Mod::Prepend: {
      std::vector<std::string> names = file_names(raw);
      std::vector<std::string> more = file_names(current);
      names.insert(names.end(), more.begin(), more.end());
      return normalize(f, names);
    }
    case Mod::Subtract: {
      std::vector<std::string> names = file_names(current);
      const std::vector<std::string> gone = file_names(raw);
      std::erase_if(names, [&](const std::string& n) { return std::find(gone.begin(), gone.end(), n) != gone.end(); });
      return normalize(f, names);
    }
    default: {
      std::vector<std::string> names = file_names(raw);
      if (f.is_multiple()) return string_array(names);
      return json::Value(names.empty() ? std::string() : names.back());
    }
  }
}

std::optional<FieldError> validate_file(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  const std::vector<std::string> names = file_names(v ? *v : json::Value());
  if (names.empty()) {
    if (f.required) return required_error();
    return std::nullopt;
  }

  auto upload_named = [&](const std::string& name) -> const NewFile* {
    for (const auto& nf : d.new_files)
      if (nf.field == f.name && nf.name == name) return &nf;
    return nullptr;
  };

  std::vector<std::string> stored;
  if (d.original) {
    const json::Value* old = d.original->get(f.name);
    stored = file_names(old ? *old : json::Value());
  }
  json::Array invalid;
  std::string listed;
  for (const auto& name : names) {
    if (upload_named(name) || std::find(stored.begin(), stored.end(), name) != stored.end()) continue;
    std::string shown = name.substr(0, kMaxReportedInvalidName);
    if (!invalid.empty()) listed += ' ';
    listed += shown;
    invalid.emplace_back(std::move(shown));
  }
  if (!invalid.empty())
    return make_error("validation_invalid_file", "Invalid new files: [" + listed + "].",
                      json::Object{{"invalidFiles", json::Value(std::move(invalid))}});

  const int max_select = std::max(f.max_select, 1);
  if (names.size() > static_cast<size_t>(max_select))
    return make_error("validation_too_many_files", "The maximum allowed files is " + std::to_string(max_select),
                      json::Object{{"maxSelect", max_select}});

  const int64_t max_size = f.max_size > 0 ? f.max_size : schema::kDefaultFileMaxSize;
  for (const auto& name : names) {
    const NewFile* upload = upload_named(name);
    if (!upload) continue;
    if (auto e = check_upload_name(upload->name)) return e;
    if (upload->size > static_cast<uint64_t>(max_size)) {
      std::string shown = upload->original_name;
      if (shown.size() > kMaxReportedUploadName) shown = shown.substr(0, kMaxReportedUploadName) + "...";
      return make_error("validation_file_size_limit",
                        "Failed to upload " + shown + " - the maximum allowed file size is " +
                            std::to_string(max_size) + " bytes.",
                        json::Object{{"file", shown}, {"maxSize", max_size}});
    }
    if (f.mime_types && !f.mime_types->empty() && !mime_allowed(*f.mime_types, upload->mime)) {
      std::string allowed;
      for (const auto& t : *f.mime_types) allowed += (allowed.empty() ? "" : ", ") + t;
      return make_error("validation_invalid_mime_type",
                        go_quote(upload->name) + " mime type must be one of: " + allowed + ".");
    }
  }
  return std::nullopt;
}

}  // namespace larder::record::fields
