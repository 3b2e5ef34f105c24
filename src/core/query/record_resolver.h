// Field-path resolution for record collections (filter-and-rules.md §4): plain fields,
// relation hops (LEFT JOINs), back-relations, json/geoPoint paths, modifiers, @request.* and
// @collection.*. Joins are registered in the shared QueryState, keyed by the path that needs
// them, so that every reference to the same path prefix uses the same joined row.
//
// The implementation is split by concern: record_resolver.cpp (entry point, relation walk,
// last segment), request_paths.cpp (@request.*, @collection.*).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/query/compiler.h"
#include "core/query/query_state.h"

namespace larder::query {

// The table a resolver starts from.
struct BaseTable {
  const schema::Collection* collection;
  Ident table;  // table, view or CTE name
  Ident alias;  // its alias in the main query
  // A virtual row (create rule): nothing in the database can reference it, so back-relations
  // to it resolve to nothing, as in PocketBase (which evaluates against a renamed clone).
  bool is_virtual = false;
};

// Relation hops allowed in one path (PocketBase's maxNestedRels).
inline constexpr size_t kMaxRelationHops = 6;

class RecordResolver final : public Resolver {
 public:
  // `allow_hidden` false = client mode (filter-and-rules.md §9 items 2-5). `scope` keeps the
  // joins of a joined collection's listRule apart from the main ones.
  RecordResolver(QueryState& st, BaseTable base, bool allow_hidden, std::string scope = {});

  bool resolves_word(std::string_view name) const override;
  Operand resolve(std::string_view identifier) override;

 private:
  // The resolution state of one path: where the main query currently is, and the parallel
  // correlated subquery that enumerates every value (for all-of comparisons).
  struct Walk {
    const schema::Collection* coll;
    bool is_virtual;
    Ident alias;
    std::string key;
    bool nullify;  // @request paths: unknown fields resolve to NULL instead of failing
    bool multi;
    Ident mm_from;
    Ident mm_alias;
    Sql mm_joins;
  };

  Operand walk(Walk& w, const std::vector<std::string_view>& props, size_t from);
  Operand finalize(Walk& w, std::string_view prop);
  Operand json_path(Walk& w, const schema::Field& f, const std::vector<std::string_view>& props, size_t from);
  Operand missing(const Walk& w, const std::string& error) const;

  Walk start(const schema::Collection* c, Ident alias, std::string key, bool nullify);
  // The all-of subquery for the path walked so far, selecting `value`.
  MultiMatch multi(const Walk& w, Sql value) const;

  // @request.* / @collection.* (request_paths.cpp)
  Operand request_field(std::string_view identifier, const std::vector<std::string_view>& props);
  Operand auth_field(std::string_view identifier, const std::vector<std::string_view>& props);
  Operand static_field(std::vector<std::string_view> path);
  Operand collection_field(const std::vector<std::string_view>& props);
  Operand body_relation(const schema::Field& f, const std::vector<std::string_view>& props);
  Operand body_each(const schema::Field& f);
  Operand body_length(const schema::Field& f);
  Operand body_lower(const schema::Field& f);
  Operand body_changed(const schema::Field& f);

  // Returns the alias of the join with `key`, registering it (with `clause_for(alias)`) if new.
  // `target` is the joined collection (nullptr for json_each): in client mode its listRule is
  // checked and remembered (§9 items 3-4).
  template <typename ClauseFor>
  Ident join(const std::string& key, const std::string& alias_base, const schema::Collection* target,
             ClauseFor clause_for) {
    check_listable(target);
    const JoinEntry* existing = st_.find_join(key);
    Ident alias = existing ? existing->alias : st_.aliases.unique(alias_base);
    if (!existing) st_.joins.push_back(JoinEntry{key, alias, clause_for(alias), std::nullopt});
    if (target && !allow_hidden_) client_join_check(target, alias);
    return alias;
  }
  // Client mode: a collection with a null listRule cannot be joined (§9 item 3).
  void check_listable(const schema::Collection* target) const;
  void client_join_check(const schema::Collection* target, const Ident& alias);

  const schema::Collection* load(std::string_view name_or_id) const;
  Param bind(db::SqlValue v) { return st_.params.add(std::move(v)); }

  QueryState& st_;
  BaseTable base_;
  bool allow_hidden_;
  std::string scope_;
};

// The identifier shapes PocketBase's resolver accepts (filter-and-rules.md §4).
bool is_allowed_record_path(std::string_view s);
// "name:modifier" → (name, modifier); throws FilterError on an unknown modifier. A segment
// with more than one ':' is returned whole (it then matches no field).
void split_modifier(std::string_view seg, std::string_view& name, std::string_view& modifier);

}  // namespace larder::query
