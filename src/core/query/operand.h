// A resolved operand of a comparison: its SQL expression plus what the comparison builder needs
// to know about it (PocketBase's search.ResolverResult).
#pragma once

#include <optional>
#include <vector>

#include "core/query/sql_builder.h"

namespace larder::query {

// How `=`/`!=` treat NULL vs '' for this operand (filter-and-rules.md §8.1).
enum class NullFallback : uint8_t {
  Auto,      // the COALESCE / "OR x IS NULL" normalisations apply
  Disabled,  // plain IS / IS NOT (json paths, geoDistance, :changed)
  Enforced,  // never treated as "known non-empty" (strftime)
};

// What PocketBase infers from an identifier's text: NULL is "empty"; 1/0/TRUE/FALSE literals
// are "known non-empty" (so `x = true` compiles to a plain `x = 1`).
enum class LiteralKind : uint8_t { None, Empty, NonEmpty };

// The correlated subquery listing every value of a multi-valued operand for the current row:
// SELECT <value> AS `multiMatchValue` <tail>.
struct MultiMatch {
  Sql value;
  Sql tail;  // FROM ... LEFT JOIN ... WHERE <from>.`id` = <target>.`id`
};

struct Operand {
  Sql sql;
  NullFallback null_fallback = NullFallback::Auto;
  LiteralKind literal = LiteralKind::None;
  // A constant rather than a column expression (NULL, TRUE/FALSE from :isset, a body :length
  // count): not a valid sort term.
  bool constant = false;
  // Parameters holding this operand's literal values (PocketBase's ResolverResult.Params):
  // drive the empty/non-empty rules, LIKE wrapping, and make a sort term invalid. Parameters
  // that are only structure (JSON paths) are not listed.
  std::vector<Param> values;
  std::optional<MultiMatch> multi;
  // A condition ANDed to the finished comparison (auth `email` in client mode:
  // `alias`.`emailVisibility` = TRUE).
  std::optional<Sql> visibility;
};

}  // namespace larder::query
