// Base64 (RFC 4648): the standard alphabet with '=' padding (§4) and the URL-safe alphabet
// without padding (§5; JWT segments, base64.RawURLEncoding in Go).
//
// Decoding mirrors Go's non-strict encoders, which PocketBase and golang-jwt use: characters
// outside the alphabet, misplaced or missing padding (standard), any '=' (URL), and impossible
// lengths are rejected; non-zero unused bits in the last character are accepted (so "Zh==" decodes
// like "Zg==", as in Go). One deliberate difference: Go skips '\r' and '\n' inside the input, we
// reject them — no value we decode (tokens, headers) legitimately contains line breaks.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace larder::crypto {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace larder::crypto
