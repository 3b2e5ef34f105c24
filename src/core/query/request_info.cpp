// @request helpers.
#include "core/query/request_info.h"

#include "core/http/headers.h"

namespace larder::query {

std::string header_key(std::string_view name) {
  // Go canonicalises the header name first ("x-custom-token" -> "X-Custom-Token"), then
  // PocketBase snake_cases it; the result is the lower-case name with '-' as '_'.
  std::string out;
  out.reserve(name.size());
  for (char c : http::canonical_header_name(name)) {
    if (c == '-') out += '_';
    else out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace larder::query
