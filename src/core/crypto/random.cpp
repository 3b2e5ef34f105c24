// Random bytes and rejection-sampled random strings.
#include "core/crypto/random.h"

#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>

namespace larder::crypto {
namespace {

// One device per thread: no locking on the hot path, and a device is never shared. The token is
// the one both libstdc++ (a file read) and Emscripten's libc++ (getentropy) accept; libstdc++'s
// "default" could pick RDRAND instead.
std::random_device& device() {
  thread_local std::random_device rd("/dev/urandom");
  return rd;
}

}  // namespace

void random_bytes(void* out, size_t n) {
  auto* p = static_cast<unsigned char*>(out);
  std::random_device& rd = device();
  while (n > 0) {
    uint32_t word = static_cast<uint32_t>(rd());
    size_t take = n < 4 ? n : 4;
    std::memcpy(p, &word, take);
    p += take;
    n -= take;
  }
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  random_bytes(out.data(), n);
  return out;
}

std::string random_string(size_t n, std::string_view alphabet) {
  if (alphabet.empty() || alphabet.size() > 256)
    throw std::invalid_argument("random_string: the alphabet must have 1 to 256 characters");
  const unsigned m = static_cast<unsigned>(alphabet.size());
  // Bytes at or above the largest multiple of m would favour the first characters: redraw them.
  const unsigned limit = 256 - (256 % m);
  std::string out;
  out.reserve(n);
  unsigned char buf[64];
  while (out.size() < n) {
    // Enough bytes for the rest in most cases (at most a quarter is redrawn), capped by buf.
    size_t want = n - out.size();
    size_t draw = want + want / 4 + 4 < sizeof buf ? want + want / 4 + 4 : sizeof buf;
    random_bytes(buf, draw);
    for (size_t i = 0; i < draw; ++i) {
      unsigned char b = buf[i];
      if (b >= limit) continue;
      out.push_back(alphabet[b % m]);
      if (out.size() == n) break;
    }
  }
  return out;
}

std::string random_alnum(size_t n) {
  return random_string(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
}

std::string random_lower_alnum(size_t n) { return random_string(n, "abcdefghijklmnopqrstuvwxyz0123456789"); }

std::string random_digits(size_t n) { return random_string(n, "0123456789"); }

}  // namespace larder::crypto
