// Cryptographically secure randomness: record ids, tokenKeys, token secrets, bcrypt salts, file
// name suffixes. Drawn from std::random_device opened on "/dev/urandom" — natively the kernel's
// CSPRNG, under Emscripten getentropy(), i.e. crypto.getRandomValues (or Node's
// crypto.randomBytes where there is no global crypto). Thread-safe: each thread owns its device.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace larder::crypto {

// Fills `out` with `n` random bytes. Throws std::system_error if no entropy source exists.
void random_bytes(void* out, size_t n);
std::string random_bytes(size_t n);

// `n` characters, each an independent uniform pick among the bytes of `alphabet` (rejection
// sampling, so no modulo bias). Throws std::invalid_argument unless the alphabet has 1..256 bytes.
std::string random_string(size_t n, std::string_view alphabet);

std::string random_alnum(size_t n);        // [A-Za-z0-9], PocketBase's security.RandomString
std::string random_lower_alnum(size_t n);  // [a-z0-9], record ids and file name suffixes
std::string random_digits(size_t n);       // [0-9], one-time passwords

}  // namespace larder::crypto
