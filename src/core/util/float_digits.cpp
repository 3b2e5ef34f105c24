// Shortest round-trip digits of a double (see float_digits.h).
#include "core/util/float_digits.h"

#include <cstdio>
#include <cstdlib>

namespace larder::util {

void shortest_digits(double d, std::string& digits, int& exp10) {
  char buf[64];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
    if (prec == 17 || std::strtod(buf, nullptr) == d) break;
  }
  const char* p = buf;
  if (*p == '-') ++p;
  digits.clear();
  for (; *p && *p != 'e'; ++p)
    if (*p != '.') digits += *p;
  exp10 = std::atoi(p + 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}

}  // namespace larder::util
