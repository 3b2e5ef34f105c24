// Thumbnails (auth-realtime-files.md §10.4): the `?thumb=` size grammar and the image work,
// done in the core with stb so every host makes the same thumbnails.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace larder::files {

struct ThumbSize {
  int width = 0;   // 0: follow the aspect ratio from the height
  int height = 0;  // 0: follow the aspect ratio from the width
  char mode = 0;   // 0 (center crop), 't' (top crop), 'b' (bottom crop), 'f' (fit, no crop)
};

// ^(\d+)x(\d+)(t|b|f)?$ and not 0x0; each side at most kMaxThumbSide (a thumb is small; the
// bound also keeps the output buffer sane).
constexpr int kMaxThumbSide = 8192;
std::optional<ThumbSize> parse_thumb_size(std::string_view s);

// Images larger than this many pixels are never decoded (a 20000x20000 PNG is 40 KB on the
// wire and 1.6 GB in memory).
constexpr long long kMaxDecodePixels = 50'000'000;

// Content types PocketBase thumbs.
bool thumbable_content_type(std::string_view content_type);

struct Thumb {
  std::string data;
  std::string content_type;
};

// Makes the thumbnail of an image, or nullopt when it cannot (unsupported format such as WebP
// or GIF output, corrupt data, too many pixels): the caller then serves the original, as
// PocketBase does when generation fails. JPEG stays JPEG; everything else becomes PNG.
std::optional<Thumb> make_thumb(std::string_view image, const ThumbSize& size);

// The image's dimensions from its header only (no decoding); nullopt when not a supported image.
struct ImageInfo {
  int width = 0;
  int height = 0;
};
std::optional<ImageInfo> probe_image(std::string_view image);

}  // namespace larder::files
