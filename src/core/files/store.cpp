// Storage key validation: the single guard between request input and file system paths.
#include "core/files/store.h"

namespace larder::files {

bool is_safe_key_component(std::string_view c) {
  if (c.empty() || c.size() > 255 || c.front() == '.') return false;  // also rules out "." and ".."
  for (char ch : c) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (ch == '/' || ch == '\\' || u < 0x20 || u == 0x7F) return false;
  }
  return true;
}

bool is_safe_key(std::string_view key) {
  if (key.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t slash = key.find('/', start);
    std::string_view part = key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!is_safe_key_component(part)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::optional<std::string> storage_key(std::initializer_list<std::string_view> components) {
  std::string out;
  for (std::string_view c : components) {
    if (!is_safe_key_component(c)) return std::nullopt;
    if (!out.empty()) out += '/';
    out += c;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace larder::files
