// RecordQuery: ties the parser, compiler and record resolver to one SELECT (see
// record_query.h). Each where()/sort() is all-or-nothing: on error every join, parameter and
// pending list-rule check it added is rolled back.
#include "core/query/record_query.h"

#include <algorithm>
#include <stdexcept>

#include "core/query/compiler.h"
#include "core/query/parser.h"
#include "core/query/query_state.h"
#include "core/query/record_resolver.h"
#include "core/query/sort.h"

namespace larder::query {

struct RecordQuery::Impl {
  Impl(const schema::Schema& s, const schema::Collection& c, const RequestInfo& i)
      : collection(c), st(s, i), base{&c, Ident(c.name), Ident(c.name), false}, alias_name(c.name) {
    st.aliases.reserve(c.name);
  }

  const schema::Collection& collection;
  QueryState st;
  BaseTable base;
  std::string alias_name;
  bool client = false;
  Sql with;  // "WITH `v` AS (SELECT ...) " for a virtual row
  std::vector<Sql> conditions;
  std::vector<Sql> order;

  // What a failed where()/sort() must undo.
  struct Mark {
    size_t params, joins, rule_joins, conditions, order;
  };
  Mark mark() const {
    return Mark{st.params.size(), st.joins.size(), st.rule_joins.size(), conditions.size(), order.size()};
  }
  void rollback(const Mark& m) {
    st.params.truncate(m.params);
    st.joins.erase(st.joins.begin() + static_cast<std::ptrdiff_t>(m.joins), st.joins.end());
    st.rule_joins.erase(st.rule_joins.begin() + static_cast<std::ptrdiff_t>(m.rule_joins), st.rule_joins.end());
    st.rule_joins_compiled = std::min(st.rule_joins_compiled, m.rule_joins);
    conditions.resize(m.conditions);
    order.resize(m.order);
  }

  template <typename F>
  void transaction(F&& f) {
    const Mark m = mark();
    try {
      f();
      if (client) compile_rule_joins();
    } catch (...) {
      rollback(m);
      throw;
    }
  }

  // Client mode: rows whose joined records the requester may not list drop out
  // (filter-and-rules.md §9 item 4): `(j.id = '' OR j.id IS NULL OR (<j's listRule>))`.
  void compile_rule_joins() {
    while (st.rule_joins_compiled < st.rule_joins.size()) {
      const RuleJoin rj = st.rule_joins[st.rule_joins_compiled++];
      const std::string& rule = *rj.collection->list_rule;  // non-null, non-empty when registered
      BaseTable b{rj.collection, Ident(rj.collection->name), rj.alias, false};
      RecordResolver r(st, b, /*allow_hidden=*/true, "r" + std::to_string(++st.scopes) + ":");
      Compiler c(r, st.env());
      Sql rule_sql = c.compile(parse(rule));
      const Sql id = column(rj.alias, Ident("id"));
      Sql cond;
      cond << "((" << id << " = '' OR " << id << " IS NULL) OR " << paren(rule_sql) << ")";
      conditions.push_back(std::move(cond));
    }
  }

  Sql from_clause() const {
    Sql s;
    s << " FROM " << base.table;
    if (!(base.table == base.alias)) s << " " << base.alias;
    for (const auto& j : st.joins) s << j.clause;
    if (!conditions.empty()) {
      s << " WHERE ";
      if (conditions.size() == 1) {
        s << conditions.front();
      } else {
        for (size_t i = 0; i < conditions.size(); ++i) {
          if (i) s << " AND ";
          s << paren(conditions[i]);
        }
      }
    }
    return s;
  }
};

RecordQuery::RecordQuery(const schema::Schema& schema, const schema::Collection& collection, const RequestInfo& info)
    : impl_(std::make_unique<Impl>(schema, collection, info)) {}
RecordQuery::~RecordQuery() = default;
RecordQuery::RecordQuery(RecordQuery&&) noexcept = default;
RecordQuery& RecordQuery::operator=(RecordQuery&&) noexcept = default;

void RecordQuery::set_client_mode(bool client) { impl_->client = client; }

void RecordQuery::where(std::string_view expression) {
  if (expression.empty()) return;
  Impl& d = *impl_;
  d.transaction([&] {
    Expression e = parse(expression);
    RecordResolver r(d.st, d.base, /*allow_hidden=*/!d.client);
    Compiler c(r, d.st.env());
    d.conditions.push_back(c.compile(e));
  });
}

void RecordQuery::where_sql(std::string sql, std::vector<db::NamedParam> params) {
  for (auto& p : params) impl_->st.params.add_named(std::move(p));
  impl_->conditions.push_back(Sql::trusted(std::move(sql)));
}

void RecordQuery::sort(std::string_view sort_param) {
  if (sort_param.empty()) return;
  Impl& d = *impl_;
  d.transaction([&] {
    std::vector<SortTerm> terms = parse_sort(sort_param);
    RecordResolver r(d.st, d.base, /*allow_hidden=*/!d.client);
    for (Sql& s : build_sort(terms, r, d.base.alias)) d.order.push_back(std::move(s));
  });
}

void RecordQuery::use_virtual_row(std::vector<std::pair<std::string, db::SqlValue>> columns) {
  Impl& d = *impl_;
  if (!d.conditions.empty() || !d.order.empty() || !d.st.joins.empty())
    throw std::logic_error("use_virtual_row must be called before where()/sort()");
  if (columns.empty()) throw FilterError("virtual row without columns");
  // A name no table has, so the CTE shadows nothing a rule could reference.
  std::string name = d.collection.name + "__pb_create";
  for (int n = 1; d.st.schema.find(name) || d.st.aliases.used(name); ++n)
    name = d.collection.name + "__pb_create" + std::to_string(n);
  const Ident v(name);
  d.st.aliases.reserve(name);

  Sql with;
  with << "WITH " << v << " AS (SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!d.collection.field(columns[i].first)) throw FilterError("virtual row column is not a field");
    if (i) with << ", ";
    with << d.st.params.add(std::move(columns[i].second)) << " AS " << Ident(columns[i].first);
  }
  with << ") ";
  d.with = std::move(with);
  d.base = BaseTable{&d.collection, v, v, true};
  d.alias_name = name;
}

std::string RecordQuery::select_sql(std::optional<int64_t> limit, std::optional<int64_t> offset) const {
  const Impl& d = *impl_;
  Sql s;
  s << d.with << "SELECT " << (d.st.joins.empty() ? Lit("") : Lit("DISTINCT ")) << d.base.alias << ".*"
    << d.from_clause();
  if (!d.order.empty()) {
    s << " ORDER BY ";
    for (size_t i = 0; i < d.order.size(); ++i) {
      if (i) s << ", ";
      s << d.order[i];
    }
  }
  if (limit || offset) {
    s << " LIMIT ";
    s.integer(limit ? *limit : -1);
    if (offset) {
      s << " OFFSET ";
      s.integer(*offset);
    }
  }
  return s.str();
}

std::string RecordQuery::count_sql() const {
  const Impl& d = *impl_;
  Sql s;
  s << d.with << "SELECT ";
  if (d.collection.is_view() || d.base.is_virtual) {
    // PocketBase counts views by distinct id (they have no rowid).
    s << "COUNT(DISTINCT " << column(d.base.alias, Ident("id")) << ")";
  } else if (!d.st.joins.empty()) {
    s << "COUNT(DISTINCT " << d.base.alias << ".`_rowid_`)";
  } else {
    s << "COUNT(*)";
  }
  s << d.from_clause();
  return s.str();
}

std::string RecordQuery::exists_sql() const {
  const Impl& d = *impl_;
  Sql s;
  s << d.with << "SELECT 1" << d.from_clause() << " LIMIT 1";
  return s.str();
}

const std::vector<db::NamedParam>& RecordQuery::params() const { return impl_->st.params.all(); }
const std::string& RecordQuery::alias() const { return impl_->alias_name; }
bool RecordQuery::has_joins() const { return !impl_->st.joins.empty(); }

}  // namespace larder::query
