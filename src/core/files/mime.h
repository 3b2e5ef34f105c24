// Content-type sniffing from the first bytes of a file, for the formats people upload. PocketBase
// decides `mimeTypes` validation, the served Content-Type and thumbnail support from the sniffed
// type, never from the client's claim.
#pragma once

#include <string>
#include <string_view>

namespace larder::files {

// e.g. "image/png", "text/plain; charset=utf-8", "application/octet-stream" (unknown).
std::string sniff_mime(std::string_view head);

// ".png" for "image/png"; "" when unknown.
std::string extension_for_mime(std::string_view mime);

// The media type without parameters, lower-case ("text/plain; charset=utf-8" -> "text/plain").
std::string base_mime(std::string_view mime);

}  // namespace larder::files
