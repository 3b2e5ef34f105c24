// Thumbnail generation with stb (the implementations of stb_image, stb_image_resize and
// stb_image_write are compiled here and nowhere else). The geometry follows
// disintegration/imaging, which PocketBase uses: Fill = crop to the target aspect at the anchor,
// then resize; Fit = shrink only, keeping the aspect; WxH with a 0 side = aspect-preserving
// resize. The linear (triangle) filter matches PocketBase's imaging.Linear.
#include "core/files/thumb.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "core/files/mime.h"

#if __has_include(<stb_image.h>) && __has_include(<stb_image_resize.h>) && __has_include(<stb_image_write.h>)
#define LARDER_HAVE_STB 1
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STBI_WRITE_NO_STDIO
#define STBI_MAX_DIMENSIONS 65535
#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>
#endif

namespace larder::files {

std::optional<ThumbSize> parse_thumb_size(std::string_view s) {
  auto digits = [&](size_t& i, int& out) {
    size_t start = i;
    long long v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i] - '0');
      if (v > kMaxThumbSide) return false;
      ++i;
    }
    out = static_cast<int>(v);
    return i > start;
  };
  ThumbSize t;
  size_t i = 0;
  if (!digits(i, t.width) || i >= s.size() || s[i] != 'x') return std::nullopt;
  ++i;
  if (!digits(i, t.height)) return std::nullopt;
  if (i < s.size()) {
    if (i + 1 != s.size() || (s[i] != 't' && s[i] != 'b' && s[i] != 'f')) return std::nullopt;
    t.mode = s[i];
  }
  if (t.width == 0 && t.height == 0) return std::nullopt;
  return t;
}

bool thumbable_content_type(std::string_view content_type) {
  std::string base = base_mime(content_type);
  return base == "image/png" || base == "image/jpg" || base == "image/jpeg" || base == "image/gif" ||
         base == "image/webp";
}

#ifdef LARDER_HAVE_STB

namespace {

struct StbFree {
  void operator()(unsigned char* p) const { stbi_image_free(p); }
};

void append_to_string(void* ctx, void* data, int size) {
  static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

int round_half_up(double v) { return static_cast<int>(std::floor(v + 0.5)); }

}  // namespace

std::optional<ImageInfo> probe_image(std::string_view image) {
  if (image.size() > static_cast<size_t>(INT32_MAX)) return std::nullopt;
  int w = 0, h = 0, comp = 0;
  const auto* bytes = reinterpret_cast<const stbi_uc*>(image.data());
  if (!stbi_info_from_memory(bytes, static_cast<int>(image.size()), &w, &h, &comp)) return std::nullopt;
  if (w <= 0 || h <= 0) return std::nullopt;
  return ImageInfo{w, h};
}

std::optional<Thumb> make_thumb(std::string_view image, const ThumbSize& size) {
  const std::string mime = base_mime(sniff_mime(image.substr(0, 512)));
  // stb writes neither GIF nor decodes WebP: those originals are served unchanged.
  if (mime != "image/png" && mime != "image/jpeg") return std::nullopt;
  auto info = probe_image(image);
  if (!info || static_cast<long long>(info->width) * info->height > kMaxDecodePixels) return std::nullopt;

  int sw = 0, sh = 0, ch = 0;
  std::unique_ptr<unsigned char, StbFree> src(stbi_load_from_memory(
      reinterpret_cast<const stbi_uc*>(image.data()), static_cast<int>(image.size()), &sw, &sh, &ch, 0));
  if (!src || sw != info->width || sh != info->height || ch < 1 || ch > 4) return std::nullopt;

  // Source rectangle (x0, y0, cw, chh) and output size (dw, dh).
  int x0 = 0, y0 = 0, cw = sw, chh = sh, dw = size.width, dh = size.height;
  if (dw == 0 || dh == 0) {
    if (dw == 0) dw = std::max(1, round_half_up(static_cast<double>(dh) * sw / sh));
    if (dh == 0) dh = std::max(1, round_half_up(static_cast<double>(dw) * sh / sw));
  } else if (size.mode == 'f') {
    if (sw <= dw && sh <= dh) {
      dw = sw;
      dh = sh;
    } else {
      double src_ratio = static_cast<double>(sw) / sh;
      if (src_ratio > static_cast<double>(dw) / dh) {
        dh = std::max(1, static_cast<int>(dw / src_ratio));
      } else {
        dw = std::max(1, static_cast<int>(dh * src_ratio));
      }
    }
  } else {
    double src_ratio = static_cast<double>(sw) / sh;
    if (src_ratio < static_cast<double>(dw) / dh) {
      chh = std::min(sh, round_half_up(std::max(1.0, static_cast<double>(sw) * dh / dw)));
    } else {
      cw = std::min(sw, round_half_up(std::max(1.0, static_cast<double>(sh) * dw / dh)));
    }
    x0 = (sw - cw) / 2;
    y0 = size.mode == 't' ? 0 : size.mode == 'b' ? sh - chh : (sh - chh) / 2;
  }
  if (static_cast<long long>(dw) * dh > kMaxDecodePixels) return std::nullopt;

  std::string out_pixels(static_cast<size_t>(dw) * static_cast<size_t>(dh) * static_cast<size_t>(ch), '\0');
  const unsigned char* origin = src.get() + (static_cast<size_t>(y0) * sw + x0) * ch;
  int alpha = ch == 4 ? 3 : ch == 2 ? 1 : STBIR_ALPHA_CHANNEL_NONE;
  if (!stbir_resize_uint8_generic(origin, cw, chh, sw * ch, reinterpret_cast<unsigned char*>(out_pixels.data()), dw,
                                  dh, dw * ch, ch, alpha, 0, STBIR_EDGE_CLAMP, STBIR_FILTER_TRIANGLE,
                                  STBIR_COLORSPACE_LINEAR, nullptr))
    return std::nullopt;

  Thumb t;
  int ok = 0;
  if (mime == "image/jpeg") {
    t.content_type = "image/jpeg";
    ok = stbi_write_jpg_to_func(append_to_string, &t.data, dw, dh, ch, out_pixels.data(), 95);  // imaging's default quality
  } else {
    t.content_type = "image/png";
    ok = stbi_write_png_to_func(append_to_string, &t.data, dw, dh, ch, out_pixels.data(), dw * ch);
  }
  if (!ok || t.data.empty()) return std::nullopt;
  return t;
}

#else  // no stb in this toolchain (e.g. a wasm sysroot without it): thumbs fall back to originals

std::optional<ImageInfo> probe_image(std::string_view) { return std::nullopt; }
std::optional<Thumb> make_thumb(std::string_view, const ThumbSize&) { return std::nullopt; }

#endif

}  // namespace larder::files
