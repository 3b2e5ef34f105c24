// bcrypt password hashing, compatible with golang.org/x/crypto/bcrypt (what PocketBase stores in
// every auth collection's `password` column). Blowfish/EksBlowfish are implemented here: the core
// carries no crypto library, and the same code must run natively and in wasm.
#pragma once

#include <string>
#include <string_view>

namespace larder::crypto {

// "$2a$<cost>$<22-char salt><31-char hash>" with a fresh random salt, like Go's
// bcrypt.GenerateFromPassword: a cost below 4 means the default 10; a cost above 31 and a password
// longer than 72 bytes (Go's ErrPasswordTooLong) throw std::invalid_argument.
std::string bcrypt_hash(std::string_view password, int cost);

// True when `hash` is a well-formed "$2a$", "$2b$", "$2y$" (or "$2$") hash of `password`.
// Never throws: malformed hashes are simply false ("well-formed" is a little stricter than Go:
// exactly two cost digits, nothing after the 31 hash characters). As in Go and OpenBSD, "$2a$"
// means the corrected algorithm, all four prefixes compute the same thing, and only the first 72
// password bytes count. "$2x$" (crypt_blowfish's buggy variant) is rejected. The recomputed hash
// is compared in constant time.
bool bcrypt_verify(std::string_view password, std::string_view hash) noexcept;

}  // namespace larder::crypto
