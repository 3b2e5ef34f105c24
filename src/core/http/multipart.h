// multipart/form-data parsing (RFC 7578), with the limits Go's mime/multipart enforces so that
// hostile bodies fail fast: at most 1000 parts, 10,000 header lines' worth of headers.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace larder::http {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // present for file parts (even when empty)
  std::string content_type;             // the part's Content-Type header, if any
  std::string staged;                   // its X-Larder-Staged header (see Request::staged_uploads)
  std::string data;
};

struct MultipartError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The boundary parameter of a multipart Content-Type, or nullopt.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Throws MultipartError on malformed input (missing boundary, truncated body, bad headers,
// too many parts).
std::vector<FormPart> parse_multipart(std::string_view body, std::string_view boundary);

// The value of a header parameter: `form-data; name="a"; filename="b.png"` -> param "name" = a.
std::optional<std::string> header_param(std::string_view header, std::string_view param);

}  // namespace larder::http
