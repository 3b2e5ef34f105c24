// What one RecordQuery accumulates while filters, rules and sorts are compiled into it: bound
// values, table aliases, the LEFT JOINs field paths need, and (client mode) the collections
// whose listRule must hold for the joined rows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/query/compiler.h"
#include "core/query/request_info.h"
#include "core/schema/schema.h"

namespace larder::query {

struct JoinEntry {
  std::string key;             // structural identity: the same path prefix reuses the join
  Ident alias;
  Sql clause;                  // "LEFT JOIN <table> `alias` [ON ...]"
  std::optional<Param> value;  // @request.body.x:each joins: the bound item list
};

// A collection joined in client mode (filter-and-rules.md §9 item 4).
struct RuleJoin {
  const schema::Collection* collection;
  Ident alias;
};

struct QueryState {
  QueryState(const schema::Schema& s, const RequestInfo& i) : schema(s), info(i), now(util::now_utc()) {}

  const schema::Schema& schema;
  const RequestInfo& info;
  util::DateTime now;  // one instant for every macro of the query
  ParamPool params;
  Aliases aliases;
  std::vector<JoinEntry> joins;
  std::vector<RuleJoin> rule_joins;
  size_t rule_joins_compiled = 0;
  size_t scopes = 0;

  CompileEnv env() { return CompileEnv{params, aliases, now}; }
  const JoinEntry* find_join(const std::string& key) const {
    for (const auto& j : joins)
      if (j.key == key) return &j;
    return nullptr;
  }
};

}  // namespace larder::query
