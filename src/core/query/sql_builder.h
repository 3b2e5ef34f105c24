// The only way the query module writes SQL text. A fragment (`Sql`) can be extended with
//   * compile-time string literals (`Lit`, enforced by a consteval constructor: keywords,
//     operators, function names — never a runtime string),
//   * identifiers (`Ident`, validated as ^\w+$ and always back-quoted; they are collection and
//     field names from the schema or aliases this module generates),
//   * parameter placeholders (`Param`, created by `ParamPool::add` from a value),
//   * integers this module computed itself (counts),
//   * other fragments.
// So no text coming from a request, a filter or a rule can ever become SQL: user strings reach
// SQLite only as bound parameter values. `Sql::trusted` is the single, loudly named escape hatch
// for SQL written by Larder's own code (RecordQuery::where_sql).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/sqlite.h"

namespace larder::query {

// A string literal known at compile time.
struct Lit {
  consteval Lit(const char* s) : text(s) {}  // NOLINT(google-explicit-constructor): implicit on purpose
  const char* text;
};

// ASCII word characters only ([0-9A-Za-z_]), like Go's \w.
bool is_word(std::string_view s);

// An SQL identifier. Throws FilterError when the name is not ^\w+$ (a damaged schema).
class Ident {
 public:
  explicit Ident(std::string_view name);
  const std::string& str() const { return name_; }
  bool operator==(const Ident& o) const { return name_ == o.name_; }

 private:
  std::string name_;
};

// A placeholder for a bound value (see ParamPool).
struct Param {
  size_t index = 0;
};

class Sql {
 public:
  Sql() = default;
  Sql(Lit l) : text_(l.text) {}  // NOLINT(google-explicit-constructor)

  // SQL written by Larder itself (never derived from request data).
  static Sql trusted(std::string text) {
    Sql s;
    s.text_ = std::move(text);
    return s;
  }

  Sql& operator<<(Lit l) {
    text_ += l.text;
    return *this;
  }
  Sql& operator<<(const Ident& id);
  Sql& operator<<(Param p);
  Sql& operator<<(const Sql& s) {
    text_ += s.text_;
    return *this;
  }
  Sql& integer(int64_t v);

  const std::string& str() const { return text_; }
  bool empty() const { return text_.empty(); }

 private:
  std::string text_;
};

// `alias`.`column`
Sql column(const Ident& alias, const Ident& col);
// "(" s ")"
Sql paren(const Sql& s);

// The bound values of one query. Placeholders are named ":__q<N>" so they never clash with the
// names Larder's own trusted conditions use.
class ParamPool {
 public:
  Param add(db::SqlValue v);
  db::SqlValue& value(Param p) { return params_[p.index].value; }
  const db::SqlValue& value(Param p) const { return params_[p.index].value; }
  // For trusted conditions that bring their own names.
  void add_named(db::NamedParam p) { params_.push_back(std::move(p)); }
  const std::vector<db::NamedParam>& all() const { return params_; }
  size_t size() const { return params_.size(); }
  void truncate(size_t n) { params_.resize(n); }

 private:
  friend class Sql;
  std::vector<db::NamedParam> params_;
};

// Name of the placeholder for parameter index i ("__q<i>").
std::string param_name(size_t index);

}  // namespace larder::query
