// Trimming a string_view by a set of characters, with the sets Go's code trims by: parsers that
// mirror strings.TrimSpace and HTTP header parsing share this instead of each keeping a copy.
#pragma once

#include <string_view>

namespace larder::util {

inline constexpr std::string_view kGoSpace = " \t\n\r\v\f";  // strings.TrimSpace's ASCII set
inline constexpr std::string_view kHttpSpace = " \t";         // optional whitespace (RFC 9110 OWS)

inline std::string_view trim(std::string_view s, std::string_view set = kGoSpace) {
  size_t b = s.find_first_not_of(set);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(set) - b + 1);
}

}  // namespace larder::util
