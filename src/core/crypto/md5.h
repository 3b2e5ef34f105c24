// MD5 (RFC 1321). Not for security: PocketBase uses it only as a fingerprint (the md5 written into
// a stored file's .attrs, and the auth-origin fingerprint of a login), and Larder must produce the
// same values.
#pragma once

#include <string>
#include <string_view>

namespace larder::crypto {

// 16 raw bytes; crypto::hex() (sha256.h) gives the usual 32-char form.
std::string md5(std::string_view data);

}  // namespace larder::crypto
