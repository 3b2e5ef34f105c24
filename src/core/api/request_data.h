// Reading a request body the way PocketBase's RequestInfo does (api.md §1.2): a JSON object,
// or multipart / urlencoded form values with type inference and merged `@jsonPayload` parts.
// Uploaded files are kept aside for the file fields.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/http/message.h"
#include "core/http/url.h"
#include "core/json/json.h"

namespace larder::api {

struct UploadedFile {
  std::string key;        // the form key as sent ("avatar", "documents+", "+documents")
  std::string filename;   // the client's file name
  std::string content_type;
  std::string data;       // the content; for a staged upload only its first bytes
  std::string staged_id;  // non-empty: the host already stored it (http::Request::staged_uploads)
  uint64_t size = 0;      // the whole file's size
};

struct RequestData {
  json::Object body;                 // the submitted fields
  std::vector<UploadedFile> files;   // multipart file parts
  bool multipart = false;
};

// Throws http::ApiError: 400 "Unsupported Content-Type." for other non-empty bodies, 400 with the
// default message for malformed JSON/multipart (PocketBase's RequestInfo error).
RequestData read_request_data(const http::Request& req, const http::QueryParams& query);

// PocketBase's inference for form values: "" stays "", "true"/"false" become bools, a canonical
// decimal number ("12", "-1.5", not "012", not "1.0") becomes a number, anything else a string.
json::Value infer_form_value(std::string_view raw);

}  // namespace larder::api
