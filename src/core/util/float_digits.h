// The shortest decimal digits of a double that read back as the same value, with the decimal
// exponent of the first digit (1234.5 -> "12345", 3): what Go's strconv.FormatFloat(…, -1, 64)
// starts from. Shared by every Go-style float formatter ('f' for record numbers, 'g' for %v).
// Emscripten's libc++ has no floating-point std::to_chars, so the digits come from printf with
// rising precision.
#pragma once

#include <string>

namespace larder::util {

// `d` must be finite and non-zero; `digits` has no trailing zeros.
void shortest_digits(double d, std::string& digits, int& exp10);

}  // namespace larder::util
