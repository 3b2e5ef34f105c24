// How PocketBase serves a stored file (its filesystem.Serve + Go's http.ServeContent), as pure
// functions: the Content-Type/Disposition choice, Range parsing and HTTP dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace larder::files {

// The Content-Type sent for `served_name` whose stored type is `stored`: a few extensions force
// their type (.svg, .css, .js, .mjs, OOXML), otherwise the stored one.
std::string served_content_type(std::string_view served_name, std::string_view stored);

// Whether a stored type is shown inline (images, audio/video, PDF) rather than downloaded.
bool inline_content_type(std::string_view stored);

// Go's strconv.ParseBool truthy values ("1", "t", "T", "TRUE", "true", "True").
bool go_parse_bool_true(std::string_view s);

struct ByteRange {
  uint64_t start = 0;
  uint64_t length = 0;
};
enum class RangeResult { None, Ok, Invalid, NoOverlap };
// Go's net/http parseRange for a resource of `size` bytes. None: no header (serve it all).
RangeResult parse_range(std::string_view header, uint64_t size, std::vector<ByteRange>& out);

// "Mon, 02 Jan 2006 15:04:05 GMT" <-> Unix seconds.
std::string http_date(int64_t unix_seconds);
std::optional<int64_t> parse_http_date(std::string_view s);

}  // namespace larder::files
