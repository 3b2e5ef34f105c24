// Turns a parsed expression into a SQL condition (filter-and-rules.md §3, §7, §8): operand
// resolution (macros, literals, functions, and — through a Resolver — field paths), the
// NULL/empty normalisations of = and !=, LIKE wrapping, and the all-of semantics of
// multi-valued operands (NOT EXISTS over a correlated subquery).
//
// The same compiler serves record queries (RecordResolver) and the plain tables of the
// collections/logs lists (simple_query.cpp).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "core/query/operand.h"
#include "core/query/parser.h"
#include "core/util/datetime.h"

namespace larder::query {

// Resolves identifiers that are not date macros.
class Resolver {
 public:
  virtual ~Resolver() = default;
  // Whether the single word `name` resolves (a visible field called "null", "true" or "false"
  // wins over the literal).
  virtual bool resolves_word(std::string_view name) const = 0;
  // Throws FilterError when the path cannot be resolved.
  virtual Operand resolve(std::string_view identifier) = 0;
};

// Table aliases handed out within one query (the main query and all its subqueries), so that a
// generated alias never shadows another.
class Aliases {
 public:
  // `base` itself if free, else base + "_" + n. `base` must be ^\w+$.
  Ident unique(const std::string& base);
  void reserve(const std::string& name) { used_.insert(name); }
  bool used(const std::string& name) const { return used_.count(name) != 0; }

 private:
  std::unordered_set<std::string> used_;
  size_t counter_ = 0;
};

struct CompileEnv {
  ParamPool& params;
  Aliases& aliases;
  util::DateTime now;
};

class Compiler {
 public:
  Compiler(Resolver& resolver, CompileEnv env) : resolver_(resolver), env_(env) {}

  // The condition for a whole expression (parenthesised when it has more than one item).
  Sql compile(const Expression& e);
  // One operand token: macro, field path, null/true/false, text, number or function.
  Operand operand(const Token& t);
  // `l op r` including the multi-match and visibility extensions.
  Sql comparison(const Operand& l, SignOp op, const Operand& r);

 private:
  Sql items(const std::vector<Node>& nodes);
  Sql plain(const Operand& l, SignOp op, const Operand& r);
  Sql equal(bool eq, const Operand& l, const Operand& r);
  bool is_empty(const Operand& o) const;
  bool known_non_empty(const Operand& o) const;
  Operand value_param(db::SqlValue v);
  Operand geo_distance(const Token& fn);
  Operand strftime(const Token& fn);

  Resolver& resolver_;
  CompileEnv env_;
};

// Go's cast.ToString for a bound value (used for LIKE wrapping).
std::string value_to_string(const db::SqlValue& v);
// "%v%" unless v contains an unescaped '%'; unescaped \ % _ get a backslash (filter-and-rules §8.2).
std::string like_wrap(std::string_view v);

}  // namespace larder::query
