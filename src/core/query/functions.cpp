// The filter functions (filter-and-rules.md §7): geoDistance(lonA, latA, lonB, latB) and
// strftime(format, [timeValue, modifiers...]). Arguments resolve like any operand.
#include "core/query/compiler.h"
#include "core/query/errors.h"

namespace larder::query {

namespace {

void append_values(Operand& to, const Operand& from) {
  to.values.insert(to.values.end(), from.values.begin(), from.values.end());
}

}  // namespace

// Haversine-free great-circle distance in km (spherical law of cosines, R = 6371), as
// PocketBase computes it. Multi-valued arguments are not expanded into all-of checks (like
// SQLite's own functions): the comparison holds if it holds for one joined row.
Operand Compiler::geo_distance(const Token& fn) {
  if (fn.args.size() != 4) throw FilterError("geoDistance expects 4 arguments");
  Operand a[4];
  for (size_t i = 0; i < 4; ++i) {
    const Token& t = fn.args[i];
    if (t.type != TokenType::Identifier && t.type != TokenType::Number)
      throw FilterError("geoDistance arguments must be identifiers or numbers");
    a[i] = operand(t);
  }
  const Sql &lon_a = a[0].sql, &lat_a = a[1].sql, &lon_b = a[2].sql, &lat_b = a[3].sql;
  Operand out;
  out.null_fallback = NullFallback::Disabled;
  out.sql << "(6371 * acos(cos(radians(" << lat_a << ")) * cos(radians(" << lat_b << ")) * cos(radians(" << lon_b
          << ") - radians(" << lon_a << ")) + sin(radians(" << lat_a << ")) * sin(radians(" << lat_b << "))))";
  for (const Operand& x : a) append_values(out, x);
  return out;
}

// SQLite's strftime. With a multi-valued time value the all-of check applies to the formatted
// items.
Operand Compiler::strftime(const Token& fn) {
  const size_t n = fn.args.size();
  if (n < 1) throw FilterError("strftime expects at least 1 argument");
  if (n > 10) throw FilterError("strftime accepts at most 10 arguments");
  if (fn.args[0].type != TokenType::Text) throw FilterError("strftime expects a format string first");
  Operand format = operand(fn.args[0]);

  Operand out;
  out.null_fallback = NullFallback::Enforced;
  append_values(out, format);
  if (n == 1) {
    out.sql << "strftime(" << format.sql << ")";
    return out;
  }

  const Token& tv = fn.args[1];
  if (tv.type != TokenType::Text && tv.type != TokenType::Identifier && tv.type != TokenType::Number)
    throw FilterError("strftime expects a time value as second argument");
  Operand time = operand(tv);
  append_values(out, time);

  Sql modifiers;
  for (size_t i = 2; i < n; ++i) {
    if (fn.args[i].type != TokenType::Text) throw FilterError("strftime modifiers must be strings");
    Operand m = operand(fn.args[i]);
    modifiers << "," << m.sql;
    append_values(out, m);
  }

  out.sql << "strftime(" << format.sql << "," << time.sql << modifiers << ")";
  if (time.multi) {
    MultiMatch mm;
    mm.value << "strftime(" << format.sql << "," << time.multi->value << modifiers << ")";
    mm.tail = time.multi->tail;
    out.multi = std::move(mm);
  }
  return out;
}

}  // namespace larder::query
