// Filter parser: input → canonical AST rendering, or an error (filter-and-rules.md §2).
#include <gtest/gtest.h>

#include <string>

#include "core/query/errors.h"
#include "core/query/parser.h"

using namespace larder::query;

namespace {

struct Case {
  std::string in;
  std::string ast;  // to_string(parse(in)); empty = expect FilterError
};

std::string repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST(FilterParser, Grammar) {
  const Case cases[] = {
      {"a = 1", "a = 1"},
      {"a='x'", "a = \"x\""},
      {"'x' = a", "\"x\" = a"},
      {"1 = 1", "1 = 1"},
      {"a = 1 && b != 2", "a = 1 && b != 2"},
      {"a = 1 || b = 2 && c = 3", "a = 1 || b = 2 && c = 3"},
      {"(a = 1 || b = 2) && c = 3", "(a = 1 || b = 2) && c = 3"},
      {"a = 1 && (b = 2 || (c = 3 && d = 4))", "a = 1 && (b = 2 || (c = 3 && d = 4))"},
      // redundant groups collapse, empty groups disappear
      {"((a = 1))", "a = 1"},
      {"(((a = 1) && ((b = 2))))", "(a = 1 && b = 2)"},
      {"() && a = 1", "a = 1"},
      {"a = 1 && ()", "a = 1"},
      {"a = 1 && () || b = 2", "a = 1 || b = 2"},
      {"(()) && a = 1", "a = 1"},
      {"a = 1 || (b = 2)", "a = 1 || b = 2"},
      // comments and whitespace
      {"// leading\na = 1 // trailing", "a = 1"},
      {"a\n=\n1", "a = 1"},
      {"@request.auth.id != \"\" && @request.auth.collectionName != \"users\"",
       "@request.auth.id != \"\" && @request.auth.collectionName != \"users\""},
      {"geoDistance(a.lon, a.lat, 23.32, 42.69) < 25", "geoDistance(a.lon, a.lat, 23.32, 42.69) < 25"},
      {"strftime('%Y', created) = \"2026\"", "strftime(\"%Y\", created) = \"2026\""},
      {"tags:each ?= 'a'", "tags:each ?= \"a\""},
      // errors
      {"", ""},
      {"   ", ""},
      {"// nothing", ""},
      {"()", ""},
      {"() &&", ""},
      {"a", ""},
      {"a =", ""},
      {"= 1", ""},
      {"a = 1 &&", ""},
      {"&& a = 1", ""},
      {"a = 1 && && b = 2", ""},
      {"a = 1 b = 2", ""},
      {"a = = 1", ""},
      {"a 1", ""},
      {"(a = 1", ""},
      {"a = 1)", ""},
      {")", ""},
      {"(a = 1))", ""},
      {"((a = 1)", ""},
      {"(a = 1 &&)", ""},
      {"(&& a = 1)", ""},
      // fexpr quietly accepts these by dropping/joining tokens; they are errors here
      {"a = (b = 1)", ""},
      {"(a = 1) (b = 2)", ""},
      {"a (b = 1)", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    if (c.ast.empty()) {
      EXPECT_THROW(parse(c.in), FilterError);
    } else {
      EXPECT_EQ(to_string(parse(c.in)), c.ast);
    }
  }
}

TEST(FilterParser, ErrorMessages) {
  auto message = [](std::string_view in) {
    try {
      parse(in);
    } catch (const FilterError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(""), "empty filter expression");
  EXPECT_EQ(message("()"), "empty filter expression");
  EXPECT_EQ(message("a ="), "invalid or incomplete filter expression");
  EXPECT_EQ(message("a = 1 &&"), "invalid or incomplete filter expression");
}

TEST(FilterParser, ComparisonLimit) {
  // 200 comparisons are fine, the 201st fails (PocketBase's DefaultFilterExprLimit).
  std::string ok = "a = 1" + repeat(" && a = 1", 199);
  EXPECT_EQ(parse(ok).comparisons, 200u);
  EXPECT_THROW(parse(ok + " && a = 1"), FilterError);
  EXPECT_THROW(parse("a = 1" + repeat(" || a = 1", 100000)), FilterError);
  EXPECT_EQ(parse("a = 1 && b = 2", 2).comparisons, 2u);
  EXPECT_THROW(parse("a = 1 && b = 2", 1), FilterError);
}

TEST(FilterParser, HostileNesting) {
  // Redundant parentheses as deep as PocketBase's 3500-byte limit allows (~1750) parse.
  EXPECT_EQ(to_string(parse(repeat("(", 1700) + "a = 1" + repeat(")", 1700))), "a = 1");
  // Deeper nesting is refused cleanly, balanced or not; nothing recurses.
  EXPECT_THROW(parse(repeat("(", 10000) + "a = 1" + repeat(")", 10000)), FilterError);
  EXPECT_THROW(parse(repeat("(", 10000)), FilterError);
  EXPECT_THROW(parse(repeat(")", 10000)), FilterError);
  EXPECT_THROW(parse(repeat("()", 100000)), FilterError);
  // Meaningful nesting (each level has a sibling) is bounded by the comparison limit.
  std::string deep = repeat("(a = 1 && ", 199) + "a = 1" + repeat(")", 199);
  EXPECT_EQ(parse(deep).comparisons, 200u);
  std::string too_deep = repeat("(a = 1 && ", 250) + "a = 1" + repeat(")", 250);
  EXPECT_THROW(parse(too_deep), FilterError);
  // Oversized input fails before lexing.
  EXPECT_THROW(parse(std::string(1 << 20, ' ')), FilterError);
  EXPECT_THROW(parse("a = \"" + std::string(1 << 20, 'x') + "\""), FilterError);
}
