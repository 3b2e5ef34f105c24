// Magic-number sniffing.
#include "core/files/mime.h"

#include <algorithm>
#include <cctype>

#include "core/util/utf8.h"

namespace larder::files {

namespace {

bool starts(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_text(std::string_view s) {
  // Valid UTF-8 without NULs or most control characters (what a text/plain sniffer accepts).
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B)) return false;
      ++i;
      continue;
    }
    size_t len = utf8::valid_sequence_length(s, i);
    if (len == 0) return i + 4 > s.size();  // a sequence cut by the sniff window is fine
    i += len;
  }
  return true;
}

std::string lower_prefix(std::string_view s, size_t n) {
  std::string out(s.substr(0, n));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::string sniff_mime(std::string_view h) {
  if (starts(h, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts(h, "\xFF\xD8\xFF")) return "image/jpeg";
  if (starts(h, "GIF87a") || starts(h, "GIF89a")) return "image/gif";
  if (h.size() >= 12 && starts(h, "RIFF") && h.substr(8, 4) == "WEBP") return "image/webp";
  if (h.size() >= 12 && starts(h, "RIFF") && h.substr(8, 4) == "WAVE") return "audio/wav";
  if (h.size() >= 12 && starts(h, "RIFF") && h.substr(8, 4) == "AVI ") return "video/x-msvideo";
  if (starts(h, "BM") && h.size() > 14) return "image/bmp";
  if (starts(h, std::string_view("\x00\x00\x01\x00", 4))) return "image/x-icon";
  if (starts(h, "II*\x00") || starts(h, std::string_view("MM\x00*", 4))) return "image/tiff";
  if (starts(h, "%PDF-")) return "application/pdf";
  if (starts(h, "PK\x03\x04")) return "application/zip";
  if (starts(h, "\x1F\x8B")) return "application/gzip";
  if (starts(h, "7z\xBC\xAF\x27\x1C")) return "application/x-7z-compressed";
  if (starts(h, "OggS")) return "audio/ogg";
  if (starts(h, "ID3") || (h.size() > 1 && static_cast<unsigned char>(h[0]) == 0xFF && (static_cast<unsigned char>(h[1]) & 0xE0) == 0xE0))
    return "audio/mpeg";
  if (starts(h, "fLaC")) return "audio/flac";
  if (starts(h, "\x1A\x45\xDF\xA3")) return "video/webm";
  if (h.size() >= 12 && h.substr(4, 4) == "ftyp") {
    std::string_view brand = h.substr(8, 4);
    if (brand == "qt  ") return "video/quicktime";
    if (brand == "avif" || brand == "avis") return "image/avif";
    if (brand == "heic" || brand == "heix") return "image/heic";
    if (starts(brand, "3gp")) return "video/3gpp";
    if (brand == "M4A ") return "audio/x-m4a";
    return "video/mp4";
  }
  if (starts(h, "wOFF")) return "font/woff";
  if (starts(h, "wOF2")) return "font/woff2";
  if (is_text(h)) {
    std::string_view t = h;
    if (starts(t, "\xEF\xBB\xBF")) t.remove_prefix(3);
    size_t b = t.find_first_not_of(" \t\r\n");
    std::string lead = b == std::string_view::npos ? std::string() : lower_prefix(t.substr(b), 256);
    if (lead.find("<svg") != std::string::npos || (starts(lead, "<?xml") && lower_prefix(t, 4096).find("<svg") != std::string::npos))
      return "image/svg+xml";
    if (starts(lead, "<!doctype html") || starts(lead, "<html")) return "text/html; charset=utf-8";
    if (starts(lead, "<?xml")) return "text/xml; charset=utf-8";
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

std::string base_mime(std::string_view mime) {
  std::string out(mime.substr(0, mime.find(';')));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string extension_for_mime(std::string_view mime) {
  struct Ext { const char* mime; const char* ext; };
  static const Ext table[] = {
      {"image/png", ".png"},         {"image/jpeg", ".jpg"},       {"image/gif", ".gif"},
      {"image/webp", ".webp"},       {"image/bmp", ".bmp"},        {"image/x-icon", ".ico"},
      {"image/tiff", ".tiff"},       {"image/svg+xml", ".svg"},    {"image/avif", ".avif"},
      {"image/heic", ".heic"},       {"application/pdf", ".pdf"},  {"application/zip", ".zip"},
      {"application/gzip", ".gz"},   {"audio/ogg", ".ogg"},        {"audio/mpeg", ".mp3"},
      {"audio/wav", ".wav"},         {"audio/flac", ".flac"},      {"video/webm", ".webm"},
      {"video/mp4", ".mp4"},         {"video/quicktime", ".mov"},  {"video/3gpp", ".3gp"},
      {"text/plain", ".txt"},        {"text/html", ".html"},       {"text/xml", ".xml"},
      {"font/woff", ".woff"},        {"font/woff2", ".woff2"},     {"application/x-7z-compressed", ".7z"},
  };
  std::string base = base_mime(mime);
  for (const auto& e : table)
    if (base == e.mime) return e.ext;
  return {};
}

}  // namespace larder::files
