// HTTP header list with case-insensitive lookup. Names keep the case they were given; the core
// emits Go-canonical names (Content-Type, X-Xss-Protection) so hosts can write them verbatim.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace larder::http {

bool iequals(std::string_view a, std::string_view b);
// "x-custom-token" -> "X-Custom-Token" (Go's textproto.CanonicalMIMEHeaderKey).
std::string canonical_header_name(std::string_view name);

class Headers {
 public:
  using Entry = std::pair<std::string, std::string>;

  // First value of the header, or empty.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  std::vector<std::string_view> all(std::string_view name) const;
  void add(std::string name, std::string value) { entries_.emplace_back(std::move(name), std::move(value)); }
  // Replaces every existing value of the header with one value.
  void set(std::string name, std::string value);
  // Adds only when the header is absent (PocketBase's "only if not already present").
  void set_default(std::string name, std::string value);
  void remove(std::string_view name);

  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<Entry> entries_;
};

}  // namespace larder::http
