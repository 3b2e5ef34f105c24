// File serving rules (see serve.h).
#include "core/files/serve.h"

#include <ctime>

#include "core/util/trim.h"

namespace larder::files {

namespace {

// strconv.ParseInt(s, 10, 64) for non-negative values (a leading '+'/'-' is rejected, which
// for Range makes no observable difference: Go rejects negatives there too).
std::optional<uint64_t> parse_uint(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

std::string served_content_type(std::string_view served_name, std::string_view stored) {
  // filepath.Ext: from the last dot of the name (case-sensitive map lookup, as in Go).
  size_t dot = served_name.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? std::string_view{} : served_name.substr(dot);
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".css") return "text/css";
  if (ext == ".js" || ext == ".mjs") return "text/javascript";
  if (ext == ".xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (ext == ".docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (ext == ".pptx") return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  return std::string(stored);
}

bool inline_content_type(std::string_view t) {
  static const char* const kInline[] = {
      "image/png",      "image/jpg",       "image/jpeg",      "image/gif",       "image/webp",
      "image/x-icon",   "image/bmp",       "video/webm",      "video/mp4",       "video/3gpp",
      "video/quicktime", "video/x-ms-wmv", "audio/basic",     "audio/aiff",      "audio/mpeg",
      "audio/midi",     "audio/mp3",       "audio/wave",      "audio/wav",       "audio/x-wav",
      "audio/x-mpeg",   "audio/x-m4a",     "audio/aac",       "application/pdf", "application/x-pdf",
  };
  for (const char* i : kInline)
    if (t == i) return true;
  return false;
}

bool go_parse_bool_true(std::string_view s) {
  return s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True";
}

RangeResult parse_range(std::string_view s, uint64_t size, std::vector<ByteRange>& out) {
  out.clear();
  if (s.empty()) return RangeResult::None;
  constexpr std::string_view kPrefix = "bytes=";
  if (s.substr(0, kPrefix.size()) != kPrefix) return RangeResult::Invalid;
  s.remove_prefix(kPrefix.size());
  bool no_overlap = false;
  while (true) {
    size_t comma = s.find(',');
    std::string_view ra = util::trim(s.substr(0, comma), util::kHttpSpace);
    if (!ra.empty()) {
      size_t dash = ra.find('-');
      if (dash == std::string_view::npos) return RangeResult::Invalid;
      std::string_view start = util::trim(ra.substr(0, dash), util::kHttpSpace);
      std::string_view end = util::trim(ra.substr(dash + 1), util::kHttpSpace);
      ByteRange r;
      if (start.empty()) {
        auto n = parse_uint(end);
        if (!n) return RangeResult::Invalid;
        uint64_t i = *n > size ? size : *n;
        r.start = size - i;
        r.length = size - r.start;
        out.push_back(r);
      } else {
        auto first = parse_uint(start);
        if (!first) return RangeResult::Invalid;
        if (*first >= size) {
          no_overlap = true;
        } else {
          r.start = *first;
          if (end.empty()) {
            r.length = size - r.start;
          } else {
            auto last = parse_uint(end);
            if (!last || r.start > *last) return RangeResult::Invalid;
            uint64_t l = *last >= size ? size - 1 : *last;
            r.length = l - r.start + 1;
          }
          out.push_back(r);
        }
      }
    }
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  if (no_overlap && out.empty()) return RangeResult::NoOverlap;
  return out.empty() ? RangeResult::None : RangeResult::Ok;
}

std::string http_date(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<int64_t> parse_http_date(std::string_view s) {
  // Only the IMF-fixdate form clients send today; other forms just disable the 304.
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(25) != " GMT" || s[3] != ',') return std::nullopt;
  auto num = [&](size_t pos, size_t len) -> std::optional<int> {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto day = num(5, 2), year = num(12, 4), hh = num(17, 2), mm = num(20, 2), ss = num(23, 2);
  int month = -1;
  for (int i = 0; i < 12; ++i)
    if (s.substr(8, 3) == kMonths[i]) month = i;
  if (!day || !year || !hh || !mm || !ss || month < 0) return std::nullopt;
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = *day;
  tm.tm_hour = *hh;
  tm.tm_min = *mm;
  tm.tm_sec = *ss;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace larder::files
