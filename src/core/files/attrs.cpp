// .attrs sidecars (see attrs.h).
#include "core/files/attrs.h"

#include <exception>

#include "core/crypto/base64.h"
#include "core/crypto/md5.h"
#include "core/json/json.h"

namespace larder::files {

std::string encode_attrs(std::optional<std::string_view> data, const std::string& content_type,
                         const std::string& original_name) {
  json::Object o;
  o.set("user.cache_control", "");
  o.set("user.content_disposition", "");
  o.set("user.content_encoding", "");
  o.set("user.content_language", "");
  o.set("user.content_type", content_type);
  if (original_name.empty()) {
    o.set("user.metadata", json::Value());
  } else {
    json::Object meta;
    meta.set("original-filename", original_name);
    o.set("user.metadata", json::Value(std::move(meta)));
  }
  if (data) o.set("md5", crypto::base64_encode(crypto::md5(*data)));
  return json::dump(json::Value(std::move(o)));
}

std::string attrs_content_type(std::string_view attrs_json) {
  const std::string fallback = "application/octet-stream";
  if (attrs_json.empty()) return fallback;
  try {
    json::Value v = json::parse(attrs_json);
    if (v.is_object())
      if (const json::Value* ct = v.as_object().find("user.content_type"); ct && ct->is_string() && !ct->as_string().empty())
        return std::string(ct->as_string());
  } catch (const std::exception&) {
  }
  return fallback;
}

}  // namespace larder::files
