// URL pieces with Go net/url semantics: percent-decoding and query-string parsing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace larder::http {

// Decodes %XX escapes (and '+' as space when plus_as_space). nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space);
// encodeURIComponent-style escaping (unreserved characters kept).
std::string percent_encode(std::string_view s);

// Ordered multi-map of query parameters, parsed like Go's url.ParseQuery: pairs separated by
// '&', '+' means space, pairs with a bad escape or a ';' are skipped.
class QueryParams {
 public:
  QueryParams() = default;
  explicit QueryParams(std::string_view raw);

  // First value for the key (Go's Values.Get), or empty.
  std::string_view get(std::string_view key) const;
  bool has(std::string_view key) const;
  std::vector<std::string_view> all(std::string_view key) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace larder::http
