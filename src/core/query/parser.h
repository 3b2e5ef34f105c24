// Parser for the filter language (filter-and-rules.md §2): `term { join term }`, where a term
// is a comparison `operand sign operand` or a parenthesised expression. Empty groups "()" are
// dropped and groups holding a single item are replaced by that item (so SQL carries no
// redundant parentheses, as PocketBase's output doesn't either).
//
// The parser is iterative (an explicit stack of open groups): hostile nesting cannot exhaust the
// native or the wasm stack. After collapsing, every group has at least two items, so the tree
// depth is bounded by the number of comparisons (≤ kMaxComparisons); code walking the tree
// recursively is therefore safe.
//
// fexpr is more permissive than the grammar on a few malformed inputs (it accepts "a = (b = 1)"
// and "(a = 1) (b = 2)" by silently dropping or joining tokens); these are errors here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/query/lexer.h"

namespace larder::query {

enum class JoinOp : uint8_t { And, Or };

struct Comparison {
  Token left;
  SignOp op = SignOp::Eq;
  Token right;
};

struct Node {
  JoinOp join = JoinOp::And;  // how the node attaches to the previous one (unused for the first)
  bool is_group = false;
  Comparison cmp;             // !is_group
  std::vector<Node> items;    // is_group (≥ 2 items)
};

struct Expression {
  std::vector<Node> items;  // never empty
  size_t comparisons = 0;
};

// PocketBase's limit per filter/rule; also bounds the tree depth.
inline constexpr size_t kMaxComparisons = 200;
// Parenthesis nesting. PocketBase has no explicit limit, but its 3500-byte filter cap allows
// at most ~1750 levels; everything PocketBase can accept stays accepted.
inline constexpr size_t kMaxGroupDepth = 2000;
// Longest expression the module accepts at all (the API caps client filters at 3500 bytes;
// rules are written by admins). Longer input fails before any work is done.
inline constexpr size_t kMaxExpressionBytes = 256 * 1024;

// Throws FilterError ("empty filter expression", "invalid or incomplete filter expression", ...).
Expression parse(std::string_view input, size_t max_comparisons = kMaxComparisons);

// A canonical rendering for tests and logs: `a = 1 && (b != "x" || f(c, 2) ~ 'y')`.
std::string to_string(const Expression& e);
std::string to_string(const Token& t);

}  // namespace larder::query
