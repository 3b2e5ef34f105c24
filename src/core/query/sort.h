// The `sort` list parameter (api.md §3.1, filter-and-rules.md §10): "-created,title,@random,
// -@rowid". Each name resolves through the same resolver as filter paths (so relation paths
// and client-mode restrictions apply); values (macros, literals, @request values) are refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/query/compiler.h"

namespace larder::query {

inline constexpr size_t kMaxSortTerms = 8;
inline constexpr size_t kMaxSortNameBytes = 255;

struct SortTerm {
  std::string name;
  bool desc = false;
};

// Splits on ',' (trimming spaces); "-x" is descending, "+x"/"x" ascending. Throws FilterError
// for more than 8 terms or a name over 255 bytes. "" gives no terms.
std::vector<SortTerm> parse_sort(std::string_view param);

// ORDER BY items ("x ASC", "RANDOM()", "`t`.`_rowid_` DESC"). `rowid_table` qualifies @rowid.
// Throws FilterError for a term that does not resolve to a column expression.
std::vector<Sql> build_sort(const std::vector<SortTerm>& terms, Resolver& resolver, const Ident& rowid_table);

}  // namespace larder::query
