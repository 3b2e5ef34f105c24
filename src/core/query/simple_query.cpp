// SimpleQuery (see simple_query.h): a Resolver over an allow-list of columns.
#include "core/query/simple_query.h"

#include "core/query/compiler.h"
#include "core/query/parser.h"
#include "core/query/sort.h"

namespace larder::query {

namespace {

class SimpleResolver final : public Resolver {
 public:
  SimpleResolver(const std::vector<std::string>& columns, const std::vector<std::string>& json_columns,
                 ParamPool& params)
      : columns_(columns), json_columns_(json_columns), params_(params) {}

  bool resolves_word(std::string_view name) const override { return listed(columns_, name); }

  Operand resolve(std::string_view identifier) override {
    Operand o;
    if (listed(columns_, identifier)) {
      o.sql << Ident(identifier);
      return o;
    }
    // <json column>.<path>: ^col\.[\w.:]*\w+$
    size_t dot = identifier.find('.');
    if (dot == std::string_view::npos) throw FilterError("failed to resolve field");
    std::string_view col = identifier.substr(0, dot), rest = identifier.substr(dot + 1);
    if (!listed(json_columns_, col) || !valid_path(rest)) throw FilterError("failed to resolve field");
    std::string path = "$";
    size_t start = 0;
    for (;;) {
      size_t next = rest.find('.', start);
      std::string_view part = rest.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
      std::string seg;
      for (char c : part)
        if (c != ':') seg += c;
      bool index = !part.empty() && part.size() <= 18 && part.find_first_not_of("0123456789") == std::string_view::npos;
      if (index) path += "[" + seg + "]";
      else path += "." + seg;
      if (next == std::string_view::npos) break;
      start = next + 1;
    }
    o.null_fallback = NullFallback::Disabled;
    o.sql << "JSON_EXTRACT(" << Ident(col) << ", " << params_.add(std::move(path)) << ")";
    return o;
  }

 private:
  static bool listed(const std::vector<std::string>& list, std::string_view name) {
    for (const auto& c : list)
      if (c == name) return true;
    return false;
  }
  static bool valid_path(std::string_view s) {
    if (s.empty()) return false;
    char last = s.back();
    bool word_last = (last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z') || (last >= '0' && last <= '9') || last == '_';
    if (!word_last) return false;
    for (char c : s) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':';
      if (!ok) return false;
    }
    return true;
  }

  const std::vector<std::string>& columns_;
  const std::vector<std::string>& json_columns_;
  ParamPool& params_;
};

}  // namespace

struct SimpleQuery::Impl {
  Impl(std::string_view t, std::vector<std::string> c, std::vector<std::string> j)
      : table(t), columns(std::move(c)), json_columns(std::move(j)) {
    for (const auto& x : columns) Ident check(x);  // Larder's own names; fail loudly if not \w+
  }
  Ident table;
  std::vector<std::string> columns, json_columns;
  ParamPool params;
  Aliases aliases;
  util::DateTime now = util::now_utc();
  std::vector<Sql> conditions, order;

  Sql where_sql() const {
    Sql s;
    for (size_t i = 0; i < conditions.size(); ++i) {
      if (i) s << " AND ";
      s << (conditions.size() == 1 ? conditions[i] : paren(conditions[i]));
    }
    return s;
  }
  Sql order_sql() const {
    Sql s;
    for (size_t i = 0; i < order.size(); ++i) {
      if (i) s << ", ";
      s << order[i];
    }
    return s;
  }
  Sql from() const {
    Sql s;
    s << " FROM " << table;
    if (!conditions.empty()) s << " WHERE " << where_sql();
    return s;
  }
};

SimpleQuery::SimpleQuery(std::string_view table, std::vector<std::string> columns, std::vector<std::string> json_columns)
    : impl_(std::make_unique<Impl>(table, std::move(columns), std::move(json_columns))) {}
SimpleQuery::~SimpleQuery() = default;
SimpleQuery::SimpleQuery(SimpleQuery&&) noexcept = default;
SimpleQuery& SimpleQuery::operator=(SimpleQuery&&) noexcept = default;

void SimpleQuery::where(std::string_view filter) {
  if (filter.empty()) return;
  Impl& d = *impl_;
  const size_t mark = d.params.size();
  try {
    Expression e = parse(filter);
    SimpleResolver r(d.columns, d.json_columns, d.params);
    Compiler c(r, CompileEnv{d.params, d.aliases, d.now});
    d.conditions.push_back(c.compile(e));
  } catch (...) {
    d.params.truncate(mark);
    throw;
  }
}

void SimpleQuery::sort(std::string_view sort_param) {
  if (sort_param.empty()) return;
  Impl& d = *impl_;
  const size_t mark = d.params.size();
  try {
    SimpleResolver r(d.columns, d.json_columns, d.params);
    std::vector<Sql> terms = build_sort(parse_sort(sort_param), r, d.table);
    for (Sql& s : terms) d.order.push_back(std::move(s));
  } catch (...) {
    d.params.truncate(mark);
    throw;
  }
}

std::string SimpleQuery::select_sql(std::optional<int64_t> limit, std::optional<int64_t> offset) const {
  const Impl& d = *impl_;
  Sql s;
  s << "SELECT *" << d.from();
  if (!d.order.empty()) s << " ORDER BY " << d.order_sql();
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

std::string SimpleQuery::count_sql() const {
  Sql s;
  s << "SELECT COUNT(*)" << impl_->from();
  return s.str();
}

std::string SimpleQuery::where_clause() const { return impl_->where_sql().str(); }
std::string SimpleQuery::order_by_clause() const { return impl_->order_sql().str(); }
const std::vector<db::NamedParam>& SimpleQuery::params() const { return impl_->params.all(); }

}  // namespace larder::query
