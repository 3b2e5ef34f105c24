// SQL text assembly (see sql_builder.h for the rules that keep user text out of SQL).
#include "core/query/sql_builder.h"

#include "core/query/errors.h"

namespace larder::query {

bool is_word(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

Ident::Ident(std::string_view name) : name_(name) {
  // Schema names are validated by PocketBase as ^\w+$; anything else means the schema was
  // edited by hand. Refuse rather than quote: a backtick inside would end the identifier.
  if (!is_word(name)) throw FilterError("invalid SQL identifier");
}

Sql& Sql::operator<<(const Ident& id) {
  text_ += '`';
  text_ += id.str();
  text_ += '`';
  return *this;
}

Sql& Sql::operator<<(Param p) {
  text_ += ':';
  text_ += param_name(p.index);
  return *this;
}

Sql& Sql::integer(int64_t v) {
  text_ += std::to_string(v);
  return *this;
}

Sql column(const Ident& alias, const Ident& col) {
  Sql s;
  s << alias << "." << col;
  return s;
}

Sql paren(const Sql& s) {
  Sql out;
  out << "(" << s << ")";
  return out;
}

std::string param_name(size_t index) { return "__q" + std::to_string(index); }

Param ParamPool::add(db::SqlValue v) {
  Param p{params_.size()};
  params_.push_back({param_name(p.index), std::move(v)});
  return p;
}

}  // namespace larder::query
