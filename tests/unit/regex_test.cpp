// Regex (Go RE2 syntax, Pike VM) and the autogeneratePattern generator. Every expectation in the
// tables below was checked against Go 1.26's regexp.MatchString / regexp.Compile (full-match
// rows as `\A(?:pattern)\z`) unless the row says "Larder only".
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>

#include "core/util/regex.h"
#include "core/util/regex_random.h"
#include "core/util/utf8.h"

using namespace larder::util;
using namespace std::string_view_literals;

namespace {

struct MatchCase {
  const char* pattern;
  std::string_view text;
  bool expected;
};

Regex must_compile(std::string_view pattern) {
  std::string error;
  auto re = Regex::compile(pattern, &error);
  EXPECT_TRUE(re) << pattern << ": " << error;
  return re ? *re : *Regex::compile("");
}

// Time limits leave room for sanitizer builds (LARDER_SANITIZE), which run about 5x slower.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kSlack = 5;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr double kSlack = 5;
#else
constexpr double kSlack = 1;
#endif
#else
constexpr double kSlack = 1;
#endif

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

// Unanchored search, like Go's regexp.MatchString (what PocketBase's text field uses).
// BEGIN SEARCH TABLE
const MatchCase kSearch[] = {
    {R"(^[a-z0-9]+$)", "abc123", true},
    {R"(^[a-z0-9]+$)", "abc-123", false},
    {R"(^[a-z0-9]+$)", "", false},
    {R"(^[a-z0-9]+$)", "ABC", false},
    {R"(^[a-z0-9]+$)", "abc\n", false},  // $ is \z without (?m)
    {R"(^[\w][\w\.\-]*$)", "john.doe-1", true},
    {R"(^[\w][\w\.\-]*$)", ".john", false},
    {R"(^[\w][\w\.\-]*$)", "a", true},
    {R"(^[\w][\w\.\-]*$)", "jos\xc3\xa9", false},  // \w is ASCII only
    {R"((?i)^abc)", "ABCdef", true},
    {R"((?i)^abc)", "xabc", false},
    {R"(^$)", "", true},
    {R"(^$)", "a", false},
    {R"()", "anything", true},
    {R"(a|)", "", true},
    {R"(a|)", "b", true},
    {R"(^(?:)$)", "", true},
    {R"([]a])", "]", true},
    {R"([]a])", "a", true},
    {R"([]a])", "b", false},
    {R"([^]a])", "b", true},
    {R"(^[^]a]$)", "]", false},
    {R"([a-])", "-", true},
    {R"([-a])", "-", true},
    {R"(^[a-c-e]$)", "-", true},
    {R"(^[a-c-e]$)", "d", false},
    {R"(^[\d-z]$)", "-", true},
    {R"([^a-z0-9_])", "abc_9", false},
    {R"([^a-z0-9_])", "ab!", true},
    {R"(^[\w.-]+$)", "a.b-c_d", true},
    {R"(^[\w.-]+$)", "a b", false},
    {R"(^[[:alpha:]]+$)", "abcXYZ", true},
    {R"(^[[:alpha:]]+$)", "abc1", false},
    {R"(^[[:^digit:]]+$)", "abc", true},
    {R"(^[[:^digit:]]+$)", "ab1", false},
    {R"(^[[:space:]]$)", "\v", true},
    {R"(^\s$)", "\v", false},  // RE2's \s has no \v
    {R"(^\s+$)", " \t\r\n\f", true},
    {R"(^\d+$)", "0123456789", true},
    {R"(^\d+$)", "\xd9\xa3", false},  // Arabic-Indic 3: \d is ASCII
    {R"(^\D$)", "\xd9\xa3", true},
    {R"(^\w$)", "\xc3\xa9", false},
    {R"(^\W$)", "\xc3\xa9", true},
    {R"(^\S+$)", "ab", true},
    {R"(.)", "\n", false},
    {R"((?s).)", "\n", true},
    {R"([^a])", "\n", true},  // classes match \n (Go's ClassNL)
    {R"(^a.c$)", "a\xe2\x98\xba" "c", true},  // . is one code point
    {R"(^a.c$)", "a\xe2\x98\xba\xe2\x98\xba" "c", false},
    {R"(^a..c$)", "a\xe2\x98\xba" "c", false},
    {R"(^[\x{2600}-\x{26FF}]+$)", "\xe2\x98\xba\xe2\x98\x83", true},
    {R"(^[^\x{2600}-\x{26FF}]$)", "\xe2\x98\xba", false},
    {R"(^\x{1F600}$)", "\xf0\x9f\x98\x80", true},
    {R"(^.$)", "\xf0\x9f\x98\x80", true},
    {R"(^[α-ω]+$)", "\xce\xb1\xce\xb2\xce\xb3", true},
    {R"((?i)^k$)", "\xe2\x84\xaa", true},  // KELVIN SIGN folds to k
    {R"((?i)^[a-z]$)", "\xe2\x84\xaa", true},
    {R"((?i)^[^k]$)", "\xe2\x84\xaa", false},
    {R"((?i)^[^k]$)", "K", false},
    {R"((?i)^[^k]$)", "x", true},
    {R"((?i)^σ+$)", "\xcf\x82\xce\xa3\xcf\x83", true},  // ς Σ σ
    {R"((?i)^é$)", "\xc3\x89", true},
    {R"((?i)^ß$)", "\xe1\xba\x9e", true},  // ẞ: simple folding
    {R"((?i)^straße$)", "STRASSE", false},  // no full (multi-rune) folding
    {R"((?i)^[a-z]+$)", "ABCxyz", true},
    {R"((?i)^\w$)", "\xc5\xbf", true},  // ſ folds to s (Go folds \w too)
    {R"(^\w$)", "\xc5\xbf", false},
    {R"((?i)^\W$)", "\xc5\xbf", false},
    {R"((?i:A)b)", "ab", true},
    {R"(^(?i:A)b$)", "aB", false},
    {R"(^(?i)a(?-i)b$)", "Ab", true},
    {R"(^(?i)a(?-i)b$)", "AB", false},
    {R"(^(?i)(a)b$)", "AB", true},
    {R"(^((?i)a)b$)", "AB", false},  // flags end with their group
    {R"(\bfoo\b)", "a foo b", true},
    {R"(\bfoo\b)", "afoo", false},
    {R"(\Bfoo)", "afoo", true},
    {R"(\b)", "", false},
    {R"(\B)", "", true},
    {R"(^\b$)", "\xc3\xa9", false},  // \b is ASCII: é is not a word character
    {R"(x\b)", "x\xc3\xa9", true},
    {R"((?m)^b$)", "a\nb\nc", true},
    {R"(^b$)", "a\nb\nc", false},
    {R"((?m)a$)", "a\n", true},
    {R"(a$)", "a\n", false},
    {R"(\Aa\z)", "a", true},
    {R"((?m)\Ab)", "a\nb", false},
    {R"(x*)", "", true},
    {R"(^a{2,3}$)", "aaaa", false},
    {R"(a{2,3})", "aaaa", true},
    {R"(^a{2}$)", "a", false},
    {R"(^a{2,}$)", "aaaaaaa", true},
    {R"(^a{0}b$)", "b", true},
    {R"(^a{,5}$)", "a{,5}", true},  // not a repeat: literal braces, as in Go
    {R"(^a{$)", "a{", true},
    {R"(^a{01}$)", "a{01}", true},
    {R"(^a{1,2$)", "a{1,2", true},
    {R"(^\d{3}-\d{4}$)", "555-1234", true},
    {R"(^a.*?b$)", "axxb", true},
    {R"(^a+?$)", "aaa", true},
    {R"(^a??$)", "", true},
    {R"(^a{1,2}?$)", "aa", true},
    {R"((?U)^a+$)", "aaa", true},
    {R"(^(?:ab)+$)", "ababab", true},
    {R"(^(?:ab)+$)", "ababa", false},
    {R"(^(a|b)*c$)", "abbac", true},
    {R"(^(?P<name>x)(?<other>y)$)", "xy", true},
    {R"(^(?P<n>a)(?P<n>b)$)", "ab", true},  // duplicate names: Go 1.26 accepts
    {R"(^\.\-\\\/$)", ".-\\/", true},
    {R"(^\n\t\r\f\v\a$)", "\n\t\r\f\v\a", true},
    {R"(^\x41\x{263a}$)", "A\xe2\x98\xba", true},
    {R"(^\101\0$)", "A\0"sv, true},  // octal
    {R"(^\12$)", "\n", true},
    {R"(^\Qa.b\E$)", "a.b", true},
    {R"(^\Qa.b\E$)", "axb", false},
    {R"(^\Qa.b$)", "a.b$", true},  // \Q without \E runs to the end
    {R"(^\Qab\E+$)", "abbb", true},  // the repeat applies to the last rune
    {R"(^ab*$)", "a", true},
    {R"(a(?i)*)", "aaa", true},  // Go: the flag group leaves `a` as the operand
    {R"(^*a)", "a", true},  // Go: ^* is an (empty) repeat of \A
    {R"(\x{D800})", "\xed\xa0\x80", false},  // encoded surrogates are 3 invalid bytes
    {R"(^\x{FFFD}$)", "\xff", true},  // an invalid byte is U+FFFD
    {R"(^.$)", "\xff", true},
    {R"(^...$)", "\xed\xa0\x80", true},
    {R"(^..$)", "\xc0\xaf", true},  // overlong: two bad bytes
    {R"(^.$)", "\xc3", true},  // truncated sequence
    {R"(a.b)", "a\xff" "b", true},
    {R"(^[^a]$)", "\xff", true},
    {R"(^\x{FFFD}{2}$)", "\xfe\xff", true},
    {R"(^[a-z]+$)", "ab\xff", false},
    {R"(^a\x00b$)", "a\0b"sv, true},
    {R"(^(a*)*b$)", "aaab", true},
    {R"(^(a|ab)(c|bcd)(d*)$)", "abcd", true},
    {R"(^(?:a?){3}a{3}$)", "aaa", true},
    {R"(^[Aa]$)", "a", true},
};
// END SEARCH TABLE

// The whole text must match.
// BEGIN FULL TABLE
const MatchCase kFull[] = {
    {R"([a-z0-9]{15})", "abcdefghij12345", true},
    {R"([a-z0-9]{15})", "abcdefghij123456", false},
    {R"([a-z0-9]{15})", "abcdefghij1234", false},
    {R"(a|ab)", "ab", true},  // not leftmost-first: every alternative counts
    {R"((a|ab)(c|bcd))", "abcd", true},
    {R"(a*)", "", true},
    {R"(\w+)", "abc!", false},
    {R"(\w+)", "abc", true},
    {R"(users[0-9]{5})", "users12345", true},
    {R"(users[0-9]{5})", "xusers12345", false},
    {R"([a-z]{3}-[0-9]{4})", "abc-1234", true},
    {R"((?m)a$)", "a", true},
    {R"((?m)^a$\n^b$)", "a\nb", true},
    {R"(a\b)", "a", true},
    {R"(.*)", "line\nbreak", false},
    {R"((?s).*)", "line\nbreak", true},
    {R"(x*y*)", "xxyy", true},
    {R"(x*y*)", "xyx", false},
    {R"()", "", true},
    {R"()", "a", false},
};
// END FULL TABLE

TEST(RegexMatch, SearchTable) {
  for (const auto& c : kSearch) {
    Regex re = must_compile(c.pattern);
    EXPECT_EQ(re.search(c.text), c.expected) << c.pattern << " on \"" << c.text << '"';
  }
}

TEST(RegexMatch, FullMatchTable) {
  for (const auto& c : kFull) {
    Regex re = must_compile(c.pattern);
    EXPECT_EQ(re.full_match(c.text), c.expected) << c.pattern << " on \"" << c.text << '"';
  }
}

TEST(RegexMatch, CopiesShareTheProgram) {
  auto re = Regex::compile("^[a-z]+$");
  ASSERT_TRUE(re);
  Regex copy = *re;
  EXPECT_TRUE(copy.search("abc"));
  EXPECT_EQ(copy.program_size(), re->program_size());
}

struct RejectCase {
  const char* pattern;
  const char* go_error;  // nullptr: Go accepts it, Larder does not (reason in a comment)
};

// BEGIN REJECT TABLE
const RejectCase kReject[] = {
    {R"((a)\1)", "error parsing regexp: invalid escape sequence: `\\1`"},
    {R"(\8)", "error parsing regexp: invalid escape sequence: `\\8`"},
    {R"(a(?=b))", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"},
    {R"(a(?!b))", "error parsing regexp: invalid or unsupported Perl syntax: `(?!`"},
    {R"((?<=a)b)", "error parsing regexp: invalid named capture: `(?<=a)b`"},
    {R"((?<!a)b)", "error parsing regexp: invalid named capture: `(?<!a)b`"},
    {R"((?'n'a))", "error parsing regexp: invalid or unsupported Perl syntax: `(?'`"},
    {R"((?P=n))", "error parsing regexp: invalid or unsupported Perl syntax: `(?P`"},
    {R"((?P<>a))", "error parsing regexp: invalid named capture: `(?P<>`"},
    {R"((?P<n!>a))", "error parsing regexp: invalid named capture: `(?P<n!>`"},
    {R"((?P<n)", "error parsing regexp: invalid named capture: `(?P<n`"},
    {R"((?)", "error parsing regexp: invalid or unsupported Perl syntax: `(?`"},
    {R"((?i)", "error parsing regexp: invalid or unsupported Perl syntax: `(?i`"},
    {R"((?-))", "error parsing regexp: invalid or unsupported Perl syntax: `(?-)`"},
    {R"((?i-))", "error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`"},
    {R"((?i-s-m))", "error parsing regexp: invalid or unsupported Perl syntax: `(?i-s-`"},
    {R"((?z))", "error parsing regexp: invalid or unsupported Perl syntax: `(?z`"},
    {R"((abc)", "error parsing regexp: missing closing ): `(abc`"},
    {R"(((a)|b)", "error parsing regexp: missing closing ): `((a)|b`"},
    {R"(abc))", "error parsing regexp: unexpected ): `abc)`"},
    {R"())", "error parsing regexp: unexpected ): `)`"},
    {R"([a)", "error parsing regexp: missing closing ]: `[a`"},
    {R"([])", "error parsing regexp: missing closing ]: `[]`"},
    {R"(x[^)", "error parsing regexp: missing closing ]: `[^`"},
    {R"([z-a])", "error parsing regexp: invalid character class range: `z-a`"},
    {R"([a-\d])", "error parsing regexp: invalid escape sequence: `\\d`"},
    {R"([[:foo:]])", "error parsing regexp: invalid character class range: `[:foo:]`"},
    {R"([\b])", "error parsing regexp: invalid escape sequence: `\\b`"},
    {R"(a{1001})", "error parsing regexp: invalid repeat count: `{1001}`"},
    {R"(a{2,1001})", "error parsing regexp: invalid repeat count: `{2,1001}`"},
    {R"(a{2,1})", "error parsing regexp: invalid repeat count: `{2,1}`"},
    {R"(a{99999999999})", "error parsing regexp: invalid repeat count: `{99999999999}`"},
    {R"((a{1000}){1000})", "error parsing regexp: invalid repeat count: `{1000}`"},
    {R"(((a{10}){10}){11})", "error parsing regexp: invalid repeat count: `{11}`"},
    {R"((?:a{2}){501})", "error parsing regexp: invalid repeat count: `{501}`"},
    {R"(a**)", "error parsing regexp: invalid nested repetition operator: `**`"},
    {R"(a++)", "error parsing regexp: invalid nested repetition operator: `++`"},
    {R"(a*??)", "error parsing regexp: invalid nested repetition operator: `*??`"},
    {R"(a{2}{3})", "error parsing regexp: invalid nested repetition operator: `{2}{3}`"},
    {R"(*a)", "error parsing regexp: missing argument to repetition operator: `*`"},
    {R"((*))", "error parsing regexp: missing argument to repetition operator: `*`"},
    {R"(a|*)", "error parsing regexp: missing argument to repetition operator: `*`"},
    {R"({2})", "error parsing regexp: missing argument to repetition operator: `{2}`"},
    {R"((?i)+)", "error parsing regexp: missing argument to repetition operator: `+`"},
    {R"(a\)", "error parsing regexp: trailing backslash at end of expression: ``"},
    {R"(\C)", "error parsing regexp: invalid escape sequence: `\\C`"},
    {R"(\Z)", "error parsing regexp: invalid escape sequence: `\\Z`"},
    {R"(\y)", "error parsing regexp: invalid escape sequence: `\\y`"},
    {R"(\x{110000})", "error parsing regexp: invalid escape sequence: `\\x{110000`"},
    {R"(\x{})", "error parsing regexp: invalid escape sequence: `\\x{}`"},
    {R"(\xZZ)", "error parsing regexp: invalid escape sequence: `\\xZZ`"},
    {R"(\x4)", "error parsing regexp: invalid escape sequence: `\\x4`"},
    {"a\xff", "error parsing regexp: invalid UTF-8: `\xff`"},
    {"[\xc3]", "error parsing regexp: invalid UTF-8: `\xc3]`"},
    {R"(\pL)", nullptr},                // Larder only: no Unicode class tables
    {R"(\p{Greek})", nullptr},          // Larder only
    {R"([\PN])", nullptr},              // Larder only
    {R"((?:abcdefghij){1000})", nullptr},  // Larder only: 10,001 instructions > program cap
};
// END REJECT TABLE

TEST(RegexReject, Table) {
  for (const auto& c : kReject) {
    std::string error;
    EXPECT_FALSE(Regex::compile(c.pattern, &error)) << c.pattern;
    EXPECT_FALSE(error.empty()) << c.pattern;
    if (c.go_error) {
      EXPECT_EQ(error, c.go_error) << c.pattern;
    }
  }
}

TEST(RegexReject, SizeAndNestingCaps) {
  std::string error;
  EXPECT_FALSE(Regex::compile("(?:abcdefghij){1000}", &error));
  EXPECT_EQ(error, "error parsing regexp: expression too large: `(?:abcdefghij){1000}`");
  // Within Go's repeat limits, but 5,000,000 instructions: refused without building them.
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(Regex::compile("(?:" + std::string(5000, 'a') + "){1000}"));
  EXPECT_LT(seconds_since(t0), 0.1);
  auto big = Regex::compile("[a-z]{1000}(?:x{0,1000})");
  ASSERT_TRUE(big);
  EXPECT_LE(big->program_size(), Regex::kMaxProgramSize);

  // Larder's nesting cap (Go's is on tree height, about the same).
  std::string deep(1000, '(');
  deep += "a" + std::string(1000, ')');
  EXPECT_TRUE(Regex::compile(deep));
  EXPECT_FALSE(Regex::compile("(" + deep + ")", &error));
  EXPECT_EQ(error.rfind("error parsing regexp: expression nests too deeply", 0), 0u);
  // Deep but unparenthesised nesting is handled without recursion too.
  EXPECT_TRUE(Regex::compile(std::string(5000, 'a') + "|b"));
}

TEST(RegexPerf, PathologicalPatternsStayLinear) {
  const std::string as(100'000, 'a');
  // Exponential for a backtracker; here each costs O(text x program).
  const char* patterns[] = {"(a*)*b",           "(a|a)*b",    "(a+)+b",  "^(a|aa)+$b",
                            "(?:a?){20}a{20}c", "(.*a){10}b", "(x+x+)+y"};
  for (const char* p : patterns) {
    Regex re = must_compile(p);
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(re.search(as)) << p;
    EXPECT_FALSE(re.full_match(as)) << p;
    double s = seconds_since(t0);
    EXPECT_LT(s, 1.0 * kSlack) << p;
    std::printf("  %-20s 2 x 100,000 'a': %.1f ms\n", p, s * 1000);
  }
  EXPECT_TRUE(must_compile("(a*)*").full_match(as));
  EXPECT_TRUE(must_compile("(a|a)*b").search(as + "b"));
}

TEST(RegexPerf, OneMegabyteInput) {
  std::string text;
  text.reserve(1 << 20);
  while (text.size() < (1 << 20) - 6) text += "lorem ipsum dolor sit amet ";
  text.resize((1 << 20) - 6);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(must_compile("^[a-z ]+$").search(text));
  EXPECT_FALSE(must_compile("[0-9]").search(text));
  EXPECT_FALSE(must_compile("needle$").search(text));
  EXPECT_TRUE(must_compile("needle$").search(text + "needle"));
  EXPECT_TRUE(must_compile(R"((?i)(?:\w+\s)*\w*)").full_match(text));
  EXPECT_FALSE(must_compile("^x").search(text));  // anchored: gives up after the first rune
  double s = seconds_since(t0);
  EXPECT_LT(s, 2.0 * kSlack);
  std::printf("  six scans of 1 MiB: %.1f ms\n", s * 1000);
}

// ---- random_string_from_regex -----------------------------------------------------------------

struct GenCase {
  const char* pattern;
  int min_runes, max_runes;  // inclusive bounds on the generated length in code points
};

// Lengths follow PocketBase: * + {n,} are capped at 6 and the count is drawn from [min, max),
// so `\d{1,20}` yields 1 to 19 digits and `a?` always "".
const GenCase kGen[] = {
    {R"([a-z0-9]{15})", 15, 15},
    {R"([a-zA-Z0-9]{50})", 50, 50},
    {R"(users[0-9]{5})", 10, 10},
    {R"([a-z]{3}-[0-9]{4})", 8, 8},
    {R"(test)", 4, 4},
    {R"(\d+)", 1, 5},
    {R"(\d*)", 0, 5},
    {R"(\d{1,20})", 1, 19},
    {R"(\d{5})", 5, 5},
    {R"(\d{0,}-abc)", 4, 9},
    {R"([a-zA-Z_]*)", 0, 5},
    {R"([^a-zA-Z]{5,30})", 5, 29},
    {R"(\w+_abc)", 5, 9},
    {R"([2-9]{10}-\w+)", 12, 16},
    {R"((a|b|c))", 1, 1},
    {R"(.{8})", 8, 8},
    {R"((?s).)", 1, 1},
    {R"(x{7,})", 7, 7},
    {R"(x{2,})", 2, 5},
    {R"(a?b)", 1, 1},
    {R"(a{0}b)", 1, 1},
    {R"((?:ab|cde){2})", 4, 6},
    {R"(é{3})", 3, 3},
    {R"([α-ω]{4})", 4, 4},
    {R"(\x{1F600}[☀-⛿])", 2, 2},
    {R"((?P<x>[a-f]{4})-(?:[0-9]{2}))", 7, 7},
    {R"((?U)a+?)", 1, 5},
    {R"(\Qa.b\E)", 3, 3},
    {R"(((a*)*)*)", 0, 125},
    {R"((?i)[a-c]{6})", 6, 6},
    {R"((?i)[k])", 1, 1},
    {R"([\x{D7FF}-\x{E000}])", 1, 1},
    {R"([[:punct:]][[:upper:]]\s\S)", 4, 4},
    {R"(\W\D)", 2, 2},
};

TEST(RegexRandom, GeneratesMatchingStrings) {
  for (const auto& c : kGen) {
    Regex re = must_compile(c.pattern);
    for (int i = 0; i < 200; ++i) {
      std::string error;
      auto s = random_string_from_regex(c.pattern, &error);
      ASSERT_TRUE(s) << c.pattern << ": " << error;
      EXPECT_TRUE(re.full_match(*s)) << c.pattern << " generated \"" << *s << '"';
      const auto n = static_cast<int>(larder::utf8::count(*s));
      EXPECT_GE(n, c.min_runes) << c.pattern << " generated \"" << *s << '"';
      EXPECT_LE(n, c.max_runes) << c.pattern << " generated \"" << *s << '"';
    }
  }
}

TEST(RegexRandom, MakesPocketBasesChoices) {
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(random_string_from_regex("(?i)abc"), "ABC");       // Go emits the smallest fold
    EXPECT_EQ(random_string_from_regex("(?i)é"), "\xc3\x89");    // É
    EXPECT_EQ(random_string_from_regex("[Aa]"), "A");           // Go parses [Aa] as (?i:A)
    EXPECT_EQ(random_string_from_regex("a?"), "");              // count drawn from [0, 1)
    EXPECT_EQ(random_string_from_regex("x{7,}"), "xxxxxxx");    // {n,} with n > 6: exactly n
    auto dot = random_string_from_regex(".");
    ASSERT_TRUE(dot);
    EXPECT_TRUE(must_compile("^[A-Za-z0-9]$").search(*dot));
  }
  std::set<std::string> seen, letters, kelvin;
  for (int i = 0; i < 200; ++i) {
    seen.insert(*random_string_from_regex("[a-z0-9]{15}"));
    letters.insert(*random_string_from_regex("(a|b|c)"));
    kelvin.insert(*random_string_from_regex("(?i)[k]"));
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(letters.size(), 3u);
  EXPECT_EQ(kelvin, (std::set<std::string>{"K", "k", "\xe2\x84\xaa"}));
}

TEST(RegexRandom, RefusesWhatPocketBaseCannotGenerate) {
  struct Case {
    const char* pattern;
    const char* error;
  };
  const Case cases[] = {
      {"", "unsupported pattern operator 2"},
      {"()", "unsupported pattern operator 2"},
      {"(?:)", "unsupported pattern operator 2"},
      {"a|", "unsupported pattern operator 2"},  // PocketBase: fails half the time
      {"|a", "unsupported pattern operator 2"},
      {"^abc", "unsupported pattern operator 9"},
      {"^[a-z]+$", "unsupported pattern operator 9"},
      {"abc$", "unsupported pattern operator 10"},
      {R"(\Aab\z)", "unsupported pattern operator 9"},
      {"(?m)^a", "unsupported pattern operator 7"},
      {"(?m)a$", "unsupported pattern operator 8"},
      {R"(\bx)", "unsupported pattern operator 11"},
      {R"(x\B)", "unsupported pattern operator 12"},
      {R"([^\x00-\x{10FFFF}])", "no runes to choose from"},
      {R"([\x{D800}-\x{DFFF}])", "no runes to choose from"},
      {"(abc", "error parsing regexp: missing closing ): `(abc`"},
      {"a**", "error parsing regexp: invalid nested repetition operator: `**`"},
      {R"(\1)", "error parsing regexp: invalid escape sequence: `\\1`"},
      {R"(\pL)", "error parsing regexp: unsupported Unicode class: `\\pL`"},
  };
  for (const auto& c : cases) {
    std::string error;
    EXPECT_EQ(random_string_from_regex(c.pattern, &error), std::nullopt) << c.pattern;
    EXPECT_EQ(error, c.error) << c.pattern;
  }
  std::string error;
  EXPECT_EQ(random_string_from_regex("((((((((((a*)*)*)*)*)*)*)*)*)*){1000}", &error), std::nullopt);
  EXPECT_EQ(error, "generated string too long");
}
