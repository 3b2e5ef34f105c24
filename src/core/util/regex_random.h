// Random values for a text field's `autogeneratePattern`: a string the pattern matches, with
// PocketBase's choices (tools/security.RandomStringByRegex): unbounded repeats (* + {n,})
// capped at 6, `.` drawn from [A-Za-z0-9], patterns with anchors, \b or empty alternatives
// refused. Randomness comes from core/crypto/random.h (the OS CSPRNG).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace larder::util {

// nullopt when the pattern does not parse (Go's error text) or uses something PocketBase
// cannot generate (e.g. "unsupported pattern operator 9" for ^); *error then says why.
std::optional<std::string> random_string_from_regex(std::string_view pattern,
                                                    std::string* error = nullptr);

}  // namespace larder::util
