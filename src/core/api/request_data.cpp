// Request body → data map.
#include "core/api/request_data.h"

#include <cstdlib>

#include "core/http/error.h"
#include "core/http/multipart.h"

namespace larder::api {

namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::iequals(s.substr(0, prefix.size()), prefix);
}

// Go's r.Form: body values first, then the URL query values, each key to a list.
void add_form_value(std::vector<std::pair<std::string, std::vector<std::string>>>& form, std::string key,
                    std::string value) {
  for (auto& [k, vs] : form) {
    if (k == key) {
      vs.push_back(std::move(value));
      return;
    }
  }
  form.push_back({std::move(key), {std::move(value)}});
}

void merge_json_payload(std::string_view payload, json::Object& into) {
  json::Value v;
  try {
    v = json::parse(payload);
  } catch (const json::ParseError&) {
    throw http::ApiError::bad_request();
  }
  if (v.is_null()) return;
  if (!v.is_object()) throw http::ApiError::bad_request();
  for (auto& [k, val] : v.as_object()) into.set(k, std::move(val));
}

json::Object form_to_object(const std::vector<std::pair<std::string, std::vector<std::string>>>& form) {
  json::Object out;
  std::vector<std::string_view> payloads;
  for (const auto& [k, vs] : form) {
    if (k == "@jsonPayload") continue;
    if (vs.size() == 1) {
      out.set(k, infer_form_value(vs[0]));
    } else {
      json::Array arr;
      for (const auto& v : vs) arr.push_back(infer_form_value(v));
      out.set(k, json::Value(std::move(arr)));
    }
  }
  for (const auto& [k, vs] : form)
    if (k == "@jsonPayload")
      for (const auto& p : vs) merge_json_payload(p, out);
  return out;
}

}  // namespace

json::Value infer_form_value(std::string_view raw) {
  if (raw.empty()) return json::Value("");
  if (raw == "true") return json::Value(true);
  if (raw == "false") return json::Value(false);
  if (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) {
    if (raw.find_first_not_of("-.0123456789") == std::string_view::npos) {
      std::string tmp(raw);
      char* end = nullptr;
      double d = std::strtod(tmp.c_str(), &end);
      if (end && *end == '\0' && json::format_number(d) == raw) return json::Value(d);
    }
  }
  return json::Value(std::string(raw));
}

RequestData read_request_data(const http::Request& req, const http::QueryParams& query) {
  RequestData out;
  if (req.body.empty()) return out;
  std::string_view ct = req.headers.get("Content-Type");

  if (starts_with_ci(ct, "application/json")) {
    json::Value v;
    try {
      json::ParseOptions opts;
      opts.allow_trailing = true;
      v = json::parse(req.body, opts);
    } catch (const json::ParseError&) {
      throw http::ApiError::bad_request();
    }
    if (v.is_null()) return out;
    if (!v.is_object()) throw http::ApiError::bad_request();
    out.body = std::move(v.as_object());
    return out;
  }

  std::vector<std::pair<std::string, std::vector<std::string>>> form;
  if (starts_with_ci(ct, "multipart/form-data")) {
    out.multipart = true;
    auto boundary = http::multipart_boundary(ct);
    if (!boundary) throw http::ApiError::bad_request();
    std::vector<http::FormPart> parts;
    try {
      parts = http::parse_multipart(req.body, *boundary);
    } catch (const http::MultipartError&) {
      throw http::ApiError::bad_request();
    }
    for (auto& p : parts) {
      if (p.filename) {
        // A staged part counts only if the host staged it for this very request.
        auto staged = p.staged.empty() ? req.staged_uploads.end() : req.staged_uploads.find(p.staged);
        const bool is_staged = staged != req.staged_uploads.end();
        const uint64_t size = is_staged ? staged->second : p.data.size();
        out.files.push_back({p.name, *p.filename, p.content_type, std::move(p.data), is_staged ? p.staged : "", size});
      } else {
        add_form_value(form, p.name, std::move(p.data));
      }
    }
  } else if (starts_with_ci(ct, "application/x-www-form-urlencoded")) {
    http::QueryParams fields(req.body);
    for (const auto& [k, v] : fields.entries()) add_form_value(form, k, v);
  } else {
    throw http::ApiError::bad_request("Unsupported Content-Type.");
  }
  for (const auto& [k, v] : query.entries()) add_form_value(form, k, v);
  out.body = form_to_object(form);
  return out;
}

}  // namespace larder::api
