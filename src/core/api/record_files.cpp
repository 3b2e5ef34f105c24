// Uploads and file cleanup around record writes.
#include "core/api/record_files.h"

#include <algorithm>
#include <cstdio>

#include "core/files/filename.h"
#include "core/files/mime.h"
#include "core/record/fields/common.h"

namespace larder::api {

namespace {

constexpr size_t kSniffBytes = 3072;      // what PocketBase's mimetype detector reads
constexpr size_t kMaxOriginalName = 255;  // bytes of the client name kept in .attrs

std::vector<std::string> names_of(const record::Record& r, const schema::Field& f) {
  const json::Value* v = r.values.find(f.name);
  return record::fields::file_names(v ? *v : json::Value());
}

void log_failure(const char* what, const std::string& key, const std::exception& e) {
  std::fprintf(stderr, "larder: %s %s failed: %s\n", what, key.c_str(), e.what());
}

// Go's mime/multipart hands handlers filepath.Base(filename) (RFC 7578 §4.2: directory parts of
// a client file name must not be used), so "../../etc/passwd" arrives as "passwd".
std::string go_base(std::string_view name) {
  if (name.empty()) return ".";
  while (name.size() > 1 && name.back() == '/') name.remove_suffix(1);
  if (name == "/") return "/";
  size_t slash = name.rfind('/');
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace

std::vector<record::NewFile> take_uploads(const schema::Collection& c, RequestData& rd) {
  std::vector<record::NewFile> out;
  for (auto& part : rd.files) {
    record::KeyModifier km = record::split_key(part.key);
    const schema::Field* f = c.field(km.field);
    if (!f || f->type != schema::FieldType::File) continue;
    if (km.modifier != "" && km.modifier != "+" && km.modifier != "^") continue;

    record::NewFile nf;
    nf.field = f->name;
    nf.mime = files::sniff_mime(std::string_view(part.data).substr(0, kSniffBytes));
    const std::string client_name = go_base(part.filename);
    nf.name = files::normalize_filename(client_name, nf.mime);
    nf.original_name = client_name.substr(0, kMaxOriginalName);
    nf.size = part.size;
    nf.staged_id = std::move(part.staged_id);
    if (nf.staged_id.empty()) nf.data = std::move(part.data);

    // Plain values sent under the same key come first, then the uploads in part order.
    json::Array list;
    if (const json::Value* existing = rd.body.find(part.key)) {
      if (existing->is_array()) {
        for (const auto& e : existing->as_array())
          if (e.is_string() && !e.as_string().empty()) list.push_back(e);
      } else if (existing->is_string() && !existing->as_string().empty()) {
        list.push_back(*existing);
      }
    }
    list.emplace_back(nf.name);
    rd.body.set(part.key, json::Value(std::move(list)));
    out.push_back(std::move(nf));
  }
  rd.files.clear();
  return out;
}

RecordFiles::RecordFiles(files::FileStore* store, const record::Draft& draft) : store_(store), draft_(draft) {}

RecordFiles::~RecordFiles() {
  if (committed_ || !store_) return;
  for (const auto& key : written_) {
    try {
      store_->remove(key);
    } catch (const std::exception& e) {
      log_failure("removing uncommitted upload", key, e);
    }
  }
}

void RecordFiles::write_new() {
  const record::Record& rec = draft_.record;
  const std::string id(rec.get_string("id"));
  for (const auto& nf : draft_.new_files) {
    const schema::Field* f = rec.collection->field(nf.field);
    if (!f) continue;
    std::vector<std::string> names = names_of(rec, *f);
    if (std::find(names.begin(), names.end(), nf.name) == names.end()) continue;  // replaced in the same request
    if (!store_) throw files::StoreError("this host has no file storage");
    auto key = files::storage_key({rec.collection->id, id, nf.name});
    if (!key) throw files::StoreError("unsafe storage key");
    if (nf.staged_id.empty()) store_->put(*key, nf.data, nf.mime, nf.original_name);
    else store_->put_staged(*key, nf.staged_id, nf.size, nf.mime, nf.original_name);
    written_.push_back(*key);
  }
}

void RecordFiles::committed() {
  committed_ = true;
  if (!store_ || !draft_.original) return;
  const record::Record& rec = draft_.record;
  const std::string id(rec.get_string("id"));
  for (const auto& f : rec.collection->fields) {
    if (f.type != schema::FieldType::File) continue;
    std::vector<std::string> now = names_of(rec, f);
    for (const auto& old : names_of(*draft_.original, f))
      if (std::find(now.begin(), now.end(), old) == now.end()) remove_stored_file(*store_, rec.collection->id, id, old);
  }
}

void remove_stored_file(files::FileStore& store, const std::string& collection_id, const std::string& record_id,
                        const std::string& name) {
  auto key = files::storage_key({collection_id, record_id, name});
  auto thumbs = files::storage_key({collection_id, record_id, "thumbs_" + name});
  if (!key || !thumbs) return;  // a name that was never storable has nothing on disk
  try {
    store.remove(*key);
    store.remove_prefix(*thumbs);
  } catch (const std::exception& e) {
    log_failure("removing", *key, e);
  }
}

void remove_record_folders(files::FileStore* store, const std::vector<record::Record>& records) {
  if (!store) return;
  for (const auto& r : records) {
    if (!r.collection) continue;
    auto folder = files::storage_key({r.collection->id, r.get_string("id")});
    if (!folder) continue;
    try {
      store->remove_prefix(*folder);
    } catch (const std::exception& e) {
      log_failure("removing", *folder, e);
    }
  }
}

}  // namespace larder::api
