// Regular expressions with Go's RE2 syntax and semantics, for the text field's `pattern`
// (validated against values from untrusted clients) and `autogeneratePattern` (see
// regex_random.h). std::regex can backtrack exponentially and recurses on the input, which
// would overflow the small wasm stack; this matcher is a Pike VM (Thompson NFA simulation):
// O(len(text) × program size) time, memory bounded by the program, no recursion anywhere.
//
// Supported: literals and escapes (\x41 \x{263a} \n \t \123 \Q…\E, escaped punctuation),
// `.`, [classes] with ranges/negation/[:posix:], \d \w \s \D \W \S (ASCII, as in RE2),
// ^ $ \A \z \b \B, ( ) (?: ) (?P<name> ) (?<name> ), |, * + ? {n} {n,} {n,m} and lazy forms,
// flags (?i) (?m) (?s) (?U) with (?flags:…) and (?-flags). Everything Go rejects is rejected
// with Go's error text; \p{…} Unicode classes are rejected too (not supported here).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace larder::util {

class Regex {
 public:
  // Program-size cap (instructions): repeats are expanded, so `(?:abc){1000}` costs 3,000.
  static constexpr size_t kMaxProgramSize = 10'000;

  // nullopt on a syntax error or an over-large pattern; *error then holds Go's message,
  // e.g. "error parsing regexp: missing closing ): `(a`".
  static std::optional<Regex> compile(std::string_view pattern, std::string* error = nullptr);

  bool search(std::string_view text) const;      // unanchored, like Go's MatchString
  bool full_match(std::string_view text) const;  // the whole text must match
  size_t program_size() const;

  struct Program;

 private:
  explicit Regex(std::shared_ptr<const Program> p) : prog_(std::move(p)) {}
  std::shared_ptr<const Program> prog_;  // immutable: copies share it, matching is thread-safe
};

// ---- Syntax tree, shared with regex_random.cpp ------------------------------------------------
namespace regex_syntax {

// Op numbers mirror Go's regexp/syntax.Op where Go has the op (error texts quote them).
enum class Op : uint8_t {
  Empty = 2, Literal = 3, Class = 4, AnyCharNotNL = 5, AnyChar = 6, BeginLine = 7, EndLine = 8,
  BeginText = 9, EndText = 10, WordBoundary = 11, NoWordBoundary = 12,
  Concat = 18, Alternate = 19,
  Repeat = 17,  // Go's Star, Plus, Quest and Repeat alike: min, max (-1 = unbounded)
};

struct Range {
  char32_t lo, hi;
};

struct Node {
  Op op = Op::Empty;
  bool fold = false;  // Literal under (?i)
  char32_t rune = 0;
  int min = 0, max = 0;
  int repeat_product = 1;     // product of nested {n,m} counts (Go caps it at 1000)
  std::vector<Range> ranges{};  // Class: sorted, merged, case folding already applied
  std::vector<int> subs{};      // children always have smaller indices than their parent
};

struct Tree {
  std::vector<Node> nodes;
  int root = 0;
};

std::optional<Tree> parse(std::string_view pattern, std::string* error);

// Smallest rune of c's simple case-folding orbit (Go's minFoldRune); orbit appends all members.
char32_t min_fold(char32_t c);
void fold_orbit(char32_t c, std::vector<char32_t>& out);

}  // namespace regex_syntax
}  // namespace larder::util
