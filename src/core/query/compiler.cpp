// Expression → SQL (see compiler.h). The comparison shapes follow PocketBase's
// tools/search/filter.go so that results match row for row; the SQL text differs only in
// parameter and alias names.
#include "core/query/compiler.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/json/json.h"
#include "core/query/errors.h"
#include "core/query/macros.h"

namespace larder::query {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

enum class BaseOp { Eq, Neq, Like, NLike, Lt, Lte, Gt, Gte };

BaseOp base_op(SignOp op) {
  switch (op) {
    case SignOp::Eq: case SignOp::AnyEq: return BaseOp::Eq;
    case SignOp::Neq: case SignOp::AnyNeq: return BaseOp::Neq;
    case SignOp::Like: case SignOp::AnyLike: return BaseOp::Like;
    case SignOp::NLike: case SignOp::AnyNLike: return BaseOp::NLike;
    case SignOp::Lt: case SignOp::AnyLt: return BaseOp::Lt;
    case SignOp::Lte: case SignOp::AnyLte: return BaseOp::Lte;
    case SignOp::Gt: case SignOp::AnyGt: return BaseOp::Gt;
    case SignOp::Gte: case SignOp::AnyGte: return BaseOp::Gte;
  }
  return BaseOp::Eq;
}

// Go's strconv.ParseFloat through cast.ToFloat64: an out-of-range literal becomes 0.
double parse_number(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (std::isinf(d)) return 0;
  return d;
}

bool empty_value(const db::SqlValue& v) {
  if (std::holds_alternative<std::nullptr_t>(v)) return true;
  if (const auto* s = std::get_if<std::string>(&v)) return s->empty();
  return false;
}

Operand with_sql(Sql sql, NullFallback nf = NullFallback::Auto) {
  Operand o;
  o.sql = std::move(sql);
  o.null_fallback = nf;
  return o;
}

}  // namespace

Ident Aliases::unique(const std::string& base) {
  if (used_.insert(base).second) return Ident(base);
  for (;;) {
    std::string candidate = base + "_" + std::to_string(++counter_);
    if (used_.insert(candidate).second) return Ident(candidate);
  }
}

std::string value_to_string(const db::SqlValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  // Go formats with 'f' (no exponent); json::format_number matches it for every value a filter
  // realistically holds (|x| in [1e-6, 1e21)).
  if (const auto* d = std::get_if<double>(&v)) return json::format_number(*d);
  return "";
}

std::string like_wrap(std::string_view v) {
  // An unescaped '%' means the caller wrote the wildcards: use the value verbatim. A "\\" pair
  // is one escaped backslash, so it does not escape what follows.
  char prev = 0;
  for (char c : v) {
    if (c == '%' && prev != '\\') return std::string(v);
    prev = (c == '\\' && prev == '\\') ? 0 : c;
  }
  // PocketBase's escapeUnescapedChars, scanning right to left: after a special char (\ % _)
  // the byte to its left gets a backslash inserted unless it is one already — and that byte is
  // then not examined itself (so in "__" only the second '_' is escaped). Reproduced as is so
  // that LIKE matches the same rows.
  std::string rev;
  rev.reserve(v.size() * 2 + 2);
  bool match = false;
  for (size_t k = v.size(); k-- > 0;) {
    const char c = v[k];
    if (match) {
      if (c != '\\') rev += '\\';
      match = false;
    } else {
      match = c == '\\' || c == '%' || c == '_';
    }
    rev += c;
    if (k == 0 && match) rev += '\\';
  }
  std::string out = "%";
  out.append(rev.rbegin(), rev.rend());
  out += '%';
  return out;
}

Sql Compiler::compile(const Expression& e) { return items(e.items); }

Sql Compiler::items(const std::vector<Node>& nodes) {
  Sql out;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    if (i > 0) out << (n.join == JoinOp::And ? Lit(" AND ") : Lit(" OR "));
    if (n.is_group) {
      out << items(n.items);  // ≥ 2 items: parenthesised below
    } else {
      Operand l = operand(n.cmp.left);
      Operand r = operand(n.cmp.right);
      out << comparison(l, n.cmp.op, r);
    }
  }
  return nodes.size() > 1 ? paren(out) : out;
}

Operand Compiler::value_param(db::SqlValue v) {
  Param p = env_.params.add(std::move(v));
  Operand o;
  o.sql << p;
  o.values.push_back(p);
  return o;
}

Operand Compiler::operand(const Token& t) {
  switch (t.type) {
    case TokenType::Identifier: {
      if (auto m = date_macro(t.text, env_.now)) return value_param(std::move(*m));
      const bool is_null = iequals(t.text, "null"), is_true = iequals(t.text, "true"),
                 is_false = iequals(t.text, "false");
      if ((is_null || is_true || is_false) && !resolver_.resolves_word(t.text)) {
        Operand o;
        o.sql = is_null ? Sql("NULL") : is_true ? Sql("1") : Sql("0");
        o.literal = is_null ? LiteralKind::Empty : LiteralKind::NonEmpty;
        return o;
      }
      return resolver_.resolve(t.text);
    }
    case TokenType::Text:
      return value_param(t.text);
    case TokenType::Number:
      return value_param(parse_number(t.text));
    case TokenType::Function:
      if (t.text == "geoDistance") return geo_distance(t);
      if (t.text == "strftime") return strftime(t);
      throw FilterError("unknown function " + t.text);
    default:
      throw FilterError("unsupported operand");
  }
}

bool Compiler::is_empty(const Operand& o) const {
  if (o.literal == LiteralKind::Empty) return true;
  return o.null_fallback == NullFallback::Auto && o.values.size() == 1 && empty_value(env_.params.value(o.values[0]));
}

bool Compiler::known_non_empty(const Operand& o) const {
  if (o.null_fallback == NullFallback::Enforced) return false;
  if (o.literal == LiteralKind::NonEmpty) return true;
  if (o.values.empty() || o.literal == LiteralKind::Empty) return false;
  for (Param p : o.values)
    if (empty_value(env_.params.value(p))) return false;
  return true;
}

// PocketBase's resolveEqualExpr: avoid COALESCE where possible (a plain `col = ?` can use an
// index) while treating NULL and '' alike.
Sql Compiler::equal(bool eq, const Operand& l, const Operand& r) {
  const Lit op = eq ? Lit(" = ") : Lit(" IS NOT ");
  const Lit null_op = eq ? Lit(" IS ") : Lit(" IS NOT ");
  const Lit concat = eq ? Lit(" OR ") : Lit(" AND ");
  const Lit null_expr = eq ? Lit(" IS NULL") : Lit(" IS NOT NULL");
  Sql s;
  if (l.null_fallback == NullFallback::Disabled || r.null_fallback == NullFallback::Disabled) {
    s << l.sql << null_op << r.sql;
    return s;
  }
  const bool l_empty = is_empty(l), r_empty = is_empty(r);
  if (l_empty && r_empty) {
    s << "''" << op << "''";
    return s;
  }
  if (known_non_empty(l) || known_non_empty(r)) {
    s << (l_empty ? Sql("''") : l.sql) << op << (r_empty ? Sql("''") : r.sql);
    return s;
  }
  if (l_empty) {
    s << "(''" << op << r.sql << concat << r.sql << null_expr << ")";
    return s;
  }
  if (r_empty) {
    s << "(" << l.sql << op << "''" << concat << l.sql << null_expr << ")";
    return s;
  }
  s << "COALESCE(" << l.sql << ", '')" << op << "COALESCE(" << r.sql << ", '')";
  return s;
}

Sql Compiler::plain(const Operand& l, SignOp op, const Operand& r) {
  Sql s;
  switch (base_op(op)) {
    case BaseOp::Eq: return equal(true, l, r);
    case BaseOp::Neq: return equal(false, l, r);
    case BaseOp::Like:
    case BaseOp::NLike: {
      const Lit kw = base_op(op) == BaseOp::Like ? Lit(" LIKE ") : Lit(" NOT LIKE ");
      if (r.values.empty()) {
        // A column on the right: "contains" semantics.
        s << l.sql << kw << "('%' || " << r.sql << " || '%') ESCAPE '\\'";
      } else {
        for (Param p : r.values) {
          db::SqlValue& v = env_.params.value(p);
          v = like_wrap(value_to_string(v));
        }
        s << l.sql << kw << r.sql << " ESCAPE '\\'";
      }
      return s;
    }
    case BaseOp::Lt: s << l.sql << " < " << r.sql; return s;
    case BaseOp::Lte: s << l.sql << " <= " << r.sql; return s;
    case BaseOp::Gt: s << l.sql << " > " << r.sql; return s;
    case BaseOp::Gte: s << l.sql << " >= " << r.sql; return s;
  }
  return s;
}

Sql Compiler::comparison(const Operand& l, SignOp op, const Operand& r) {
  Sql expr = plain(l, op, r);

  // All-of semantics: the comparison must also hold for every item (no item violates it).
  if (!is_any_op(op) && (l.multi || r.multi)) {
    auto subquery = [](const MultiMatch& m) {
      Sql s;
      s << "(SELECT " << m.value << " AS `multiMatchValue` " << m.tail << ")";
      return s;
    };
    auto item = [](const Ident& alias, NullFallback nf) {
      Sql s;
      s << alias << ".`multiMatchValue`";
      return with_sql(std::move(s), nf);
    };
    // The other side as a plain value: only its SQL and literal parameters take part.
    auto bare = [](const Operand& o) {
      Operand b;
      b.sql = o.sql;
      b.literal = o.literal;
      b.values = o.values;
      return b;
    };
    Sql not_exists;
    if (l.multi && r.multi) {
      Ident la = env_.aliases.unique("__ml"), ra = env_.aliases.unique("__mr");
      not_exists << "NOT EXISTS (SELECT 1 FROM " << subquery(*l.multi) << " " << la << " LEFT JOIN "
                 << subquery(*r.multi) << " " << ra << " WHERE NOT ("
                 << plain(item(la, l.null_fallback), op, item(ra, r.null_fallback)) << "))";
    } else {
      const bool left_multi = l.multi.has_value();
      const Operand& many = left_multi ? l : r;
      Ident sa = env_.aliases.unique("__sm");
      Operand each = item(sa, many.null_fallback);
      Operand other = bare(left_multi ? r : l);
      not_exists << "NOT EXISTS (SELECT 1 FROM " << subquery(*many.multi) << " " << sa << " WHERE NOT ("
                 << (left_multi ? plain(each, op, other) : plain(other, op, each)) << "))";
    }
    Sql both;
    both << "((" << expr << ") AND (" << not_exists << "))";
    expr = std::move(both);
  }

  for (const Operand* o : {&l, &r}) {
    if (!o->visibility) continue;
    Sql both;
    both << "((" << expr << ") AND (" << *o->visibility << "))";
    expr = std::move(both);
  }
  return expr;
}

}  // namespace larder::query
