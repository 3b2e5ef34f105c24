// Sort parameter parsing and resolution (see sort.h).
#include "core/query/sort.h"

#include "core/query/errors.h"
#include "core/util/trim.h"

namespace larder::query {

std::vector<SortTerm> parse_sort(std::string_view param) {
  std::vector<SortTerm> out;
  if (param.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t comma = param.find(',', start);
    std::string_view item =
        util::trim(param.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (out.size() == kMaxSortTerms) throw FilterError("max sort expressions limit reached");
    SortTerm t;
    if (!item.empty() && item[0] == '-') {
      t.desc = true;
      item.remove_prefix(1);
    } else if (!item.empty() && item[0] == '+') {
      item.remove_prefix(1);
    }
    if (item.size() > kMaxSortNameBytes) throw FilterError("max sort field length limit reached");
    t.name.assign(item);
    out.push_back(std::move(t));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<Sql> build_sort(const std::vector<SortTerm>& terms, Resolver& resolver, const Ident& rowid_table) {
  std::vector<Sql> out;
  out.reserve(terms.size());
  for (const SortTerm& t : terms) {
    const Lit dir = t.desc ? Lit(" DESC") : Lit(" ASC");
    Sql s;
    if (t.name == "@random") {
      s << "RANDOM()";
    } else if (t.name == "@rowid") {
      s << rowid_table << ".`_rowid_`" << dir;
    } else {
      Operand o = resolver.resolve(t.name);
      if (!o.values.empty() || o.constant || o.sql.empty())
        throw FilterError("invalid sort field " + t.name);
      s << o.sql << dir;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace larder::query
