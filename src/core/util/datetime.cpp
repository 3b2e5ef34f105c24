// Datetime parsing and formatting without time zones databases: everything is UTC plus an
// optional numeric offset in the input.
#include "core/util/datetime.h"

#include <chrono>
#include <cstdio>

namespace larder::util {

namespace {

int64_t g_fixed_now_ms = 0;

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool eat(char c) {
    if (peek() == c) { ++i_; return true; }
    return false;
  }
  // Exactly n digits.
  bool digits(int n, int& out) {
    out = 0;
    for (int k = 0; k < n; ++k) {
      char c = peek();
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
      ++i_;
    }
    return true;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::optional<DateTime> parse_datetime(std::string_view text) {
  Scanner s(text);
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!s.digits(4, y) || !s.eat('-') || !s.digits(2, mo) || !s.eat('-') || !s.digits(2, d)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo))) return std::nullopt;
  int offset_min = 0;
  if (!s.done()) {
    if (!s.eat('T') && !s.eat(' ')) return std::nullopt;
    if (!s.digits(2, h) || !s.eat(':') || !s.digits(2, mi) || !s.eat(':') || !s.digits(2, sec)) return std::nullopt;
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
    if (s.eat('.') || s.eat(',')) {
      // Up to nanoseconds; keep milliseconds (truncated, as formatting does).
      int n = 0;
      int scale = 100;
      while (s.peek() >= '0' && s.peek() <= '9') {
        int digit;
        s.digits(1, digit);
        if (scale > 0) {
          ms += digit * scale;
          scale /= 10;
        }
        if (++n > 9) return std::nullopt;
      }
      if (n == 0) return std::nullopt;
    }
    s.eat(' ');
    if (s.eat('Z')) {
    } else if (s.peek() == '+' || s.peek() == '-') {
      int sign = s.peek() == '-' ? -1 : 1;
      s.eat(s.peek());
      int oh, om = 0;
      if (!s.digits(2, oh)) return std::nullopt;
      s.eat(':');
      if (!s.done() && !s.digits(2, om)) return std::nullopt;
      if (oh > 23 || om > 59) return std::nullopt;
      offset_min = sign * (oh * 60 + om);
      // Go's Time.String() form appends " MST"-like zone names; accept and ignore them.
      if (s.eat(' ')) {
        while (!s.done() && ((s.peek() >= 'A' && s.peek() <= 'Z'))) s.eat(s.peek());
      }
    }
    if (!s.done()) return std::nullopt;
  }
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - static_cast<int64_t>(offset_min) * 60;
  return DateTime{secs * 1000 + ms};
}

std::string format_datetime(DateTime t) {
  CivilTime c = to_civil(t);
  if (c.year < 0 || c.year > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03dZ", c.year, c.month, c.day, c.hour, c.minute,
                  c.second, c.millisecond);
    return buf;
  }
  // Every record answer formats its dates: digits by hand rather than through printf.
  std::string out = "0000-00-00 00:00:00.000Z";
  auto put = [&out](size_t at, int v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) out[at + static_cast<size_t>(i)] = static_cast<char>('0' + v % 10);
  };
  put(0, c.year, 4);
  put(5, c.month, 2);
  put(8, c.day, 2);
  put(11, c.hour, 2);
  put(14, c.minute, 2);
  put(17, c.second, 2);
  put(20, c.millisecond, 3);
  return out;
}

CivilTime to_civil(DateTime t) {
  int64_t ms = t.unix_ms;
  int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int millis = static_cast<int>(ms - secs * 1000);
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  int64_t wd = (days + 4) % 7;  // 1970-01-01 was a Thursday
  if (wd < 0) wd += 7;
  return CivilTime{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d), static_cast<int>(rem / 3600),
                   static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60), millis, static_cast<int>(wd)};
}

DateTime from_civil(int year, int month, int day, int hour, int minute, int second, int ms) {
  int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return DateTime{(days * 86400 + hour * 3600 + minute * 60 + second) * 1000 + ms};
}

DateTime now_utc() {
  if (g_fixed_now_ms) return DateTime{g_fixed_now_ms};
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return DateTime{std::chrono::duration_cast<std::chrono::milliseconds>(now).count()};
}

DateTime from_unix_seconds(int64_t s) { return DateTime{s * 1000}; }

void set_fixed_now_for_testing(int64_t unix_ms) { g_fixed_now_ms = unix_ms; }

}  // namespace larder::util
