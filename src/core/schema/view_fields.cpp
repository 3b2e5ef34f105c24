// View collections: SQL view DDL and field inference (see view_fields.h).
#include "core/schema/view_fields.h"

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <set>

#include "core/crypto/random.h"
#include "core/db/schema_sql.h"
#include "core/http/headers.h"
#include "core/schema/collection_validate.h"

namespace larder::schema {

namespace {

struct StmtDeleter {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Index just past a quoted literal/identifier or comment starting at `i`, or `i` when there is
// none. Unterminated ones run to the end (SQLite will refuse the query anyway).
size_t skip_non_code(std::string_view s, size_t i) {
  const size_t n = s.size();
  char c = s[i];
  if (c == '-' && i + 1 < n && s[i + 1] == '-') {
    size_t e = s.find('\n', i);
    return e == std::string_view::npos ? n : e + 1;
  }
  if (c == '/' && i + 1 < n && s[i + 1] == '*') {
    size_t e = s.find("*/", i + 2);
    return e == std::string_view::npos ? n : e + 2;
  }
  if (c == '\'' || c == '"' || c == '`') {
    size_t j = i + 1;
    while (j < n) {
      if (s[j] == c) {
        if (j + 1 < n && s[j + 1] == c) {  // doubled quote = escaped quote
          j += 2;
          continue;
        }
        return j + 1;
      }
      ++j;
    }
    return n;
  }
  if (c == '[') {
    size_t e = s.find(']', i + 1);
    return e == std::string_view::npos ? n : e + 1;
  }
  return i;
}

bool is_wildcard(std::string_view item) {
  item = trim(item);
  if (item == "*") return true;
  if (item.size() < 2 || item.substr(item.size() - 2) != ".*") return false;
  for (char c : item.substr(0, item.size() - 2))
    if (is_space(c) || c == '(' || c == ')') return false;
  return true;
}

// The expression of a select-list item without its trailing "[AS] alias" (when `alias` is the
// column's name).
std::string_view strip_alias(std::string_view item, std::string_view alias) {
  std::string_view t = trim(item);
  if (t.empty()) return t;
  size_t start;
  std::string_view token;
  char last = t.back();
  if (last == '"' || last == '`' || last == '\'' || last == ']') {
    char open = last == ']' ? '[' : last;
    size_t p = t.rfind(open, t.size() - 2);
    if (p == std::string_view::npos) return t;
    start = p;
    token = t.substr(p + 1, t.size() - p - 2);
  } else {
    start = t.size();
    while (start > 0 && is_ident_char(t[start - 1])) --start;
    token = t.substr(start);
  }
  if (start == 0 || token.empty() || !http::iequals(token, alias)) return t;
  char before = t[start - 1];
  if (!is_space(before) && before != ')') return t;
  std::string_view rest = trim(t.substr(0, start));
  if (rest.size() > 2 && http::iequals(rest.substr(rest.size() - 2), "as") && is_space(rest[rest.size() - 3]))
    rest = trim(rest.substr(0, rest.size() - 2));
  return rest.empty() ? t : rest;
}

// The type word of a whole-expression CAST(... AS type), lower-cased input.
std::string cast_type(std::string_view expr) {
  if (expr.substr(0, 4) != "cast") return {};
  size_t open = 4;
  while (open < expr.size() && is_space(expr[open])) ++open;
  if (open >= expr.size() || expr[open] != '(') return {};
  if (expr.back() != ')') return {};
  std::string_view inner = expr.substr(open + 1, expr.size() - open - 2);
  while (!inner.empty() && is_space(inner.back())) inner.remove_suffix(1);
  size_t w = inner.size();
  while (w > 0 && (std::isalnum(static_cast<unsigned char>(inner[w - 1])) || inner[w - 1] == '_')) --w;
  if (w == inner.size() || w == 0 || !is_space(inner[w - 1])) return {};
  std::string_view word = inner.substr(w);
  std::string_view before = inner.substr(0, w);
  while (!before.empty() && is_space(before.back())) before.remove_suffix(1);
  if (before.size() < 2 || before.substr(before.size() - 2) != "as") return {};
  if (before.size() == 2 || !is_space(before[before.size() - 3])) return {};
  return std::string(word);
}

struct Column {
  std::string name, table, origin, decl;
};

StmtPtr prepare_one(db::Connection& conn, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(conn.handle(), sql.data(), static_cast<int>(sql.size()), &raw, &tail);
  StmtPtr st(raw);
  if (rc != SQLITE_OK) throw db::Error(rc, sqlite3_errmsg(conn.handle()));
  if (!st) throw db::Error(SQLITE_MISUSE, "empty statement");
  // Anything after the first statement (but spaces) would be a second statement: refused.
  for (const char* p = tail; p && p < sql.data() + sql.size(); ++p)
    if (!is_space(*p)) throw db::Error(SQLITE_MISUSE, "multiple statements are not supported");
  return st;
}

std::string text_or_empty(const char* p) { return p ? std::string(p) : std::string(); }

std::vector<Column> describe(db::Connection& conn, std::string_view query) {
  std::vector<Column> cols;
  StmtPtr st;
  try {
    st = prepare_one(conn, "SELECT * FROM (" + std::string(query) + ") LIMIT 0");
  } catch (const db::Error& e) {
    throw ViewError(e.what());
  }
  int n = sqlite3_column_count(st.get());
  for (int i = 0; i < n; ++i) {
    Column c;
    c.name = text_or_empty(sqlite3_column_name(st.get(), i));
    c.table = text_or_empty(sqlite3_column_table_name(st.get(), i));
    c.origin = text_or_empty(sqlite3_column_origin_name(st.get(), i));
    c.decl = text_or_empty(sqlite3_column_decltype(st.get(), i));
    cols.push_back(std::move(c));
  }
  return cols;
}

Field view_id_field() {
  Field f;
  f.type = FieldType::Text;
  f.name = "id";
  f.system = true;
  f.required = true;
  f.primary_key = true;
  f.pattern = "^[a-z0-9]+$";
  return f;
}

Field simple_field(FieldType t, const std::string& name) {
  Field f;
  f.type = t;
  f.name = name;
  if (t == FieldType::Json) f.max_size = 1;  // unused for views
  return f;
}

const Collection* collection_by_table(const Schema& schema, std::string_view table) {
  for (const auto& c : schema.all())
    if (!c->is_view() && http::iequals(c->name, table)) return c.get();
  return nullptr;
}

Field infer_field(const Schema& schema, const Column& col, std::string_view item) {
  if (col.name == "id") return view_id_field();
  const std::string expr = lower(item.empty() ? std::string_view(col.name) : strip_alias(item, col.name));
  if (expr.rfind("count(", 0) == 0) {
    Field f = simple_field(FieldType::Number, col.name);
    f.only_int = true;
    return f;
  }
  if (expr.rfind("total(", 0) == 0) return simple_field(FieldType::Number, col.name);
  const std::string cast = cast_type(expr);
  if (cast == "real" || cast == "decimal" || cast == "numeric") return simple_field(FieldType::Number, col.name);
  if (cast == "int" || cast == "integer") {
    Field f = simple_field(FieldType::Number, col.name);
    f.only_int = true;
    return f;
  }
  if (cast == "text") return simple_field(FieldType::Text, col.name);
  if (cast == "bool" || cast == "boolean") return simple_field(FieldType::Bool, col.name);

  if (!col.table.empty()) {
    if (const Collection* source = collection_by_table(schema, col.table)) {
      for (const Field& src : source->fields) {
        if (!http::iequals(src.name, col.origin)) continue;
        if (http::iequals(col.origin, "id")) {
          // A record id of another collection: a single relation to it.
          Field f = simple_field(FieldType::Relation, col.name);
          f.max_select = 1;
          f.collection_id = source->id;
          return f;
        }
        Field f = src;
        // A fresh id per clone, so the same source field can appear under several aliases.
        f.id = "_clone_" + crypto::random_alnum(4);
        f.name = col.name;
        return f;
      }
    }
  }
  return simple_field(FieldType::Json, col.name);
}

std::string quote_column(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  out += '`';
  return out;
}

// Go's %q for the names in error texts (printable text kept, quotes and controls escaped).
std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[(c >> 4) & 0xF];
      out += hex[c & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace

std::string normalize_view_query(std::string_view query) {
  std::string_view q = trim(query);
  while (!q.empty() && q.front() == ';') q.remove_prefix(1);
  while (!q.empty() && q.back() == ';') q.remove_suffix(1);
  // A helpful message for the common mistake; the real guard is exec_single_statement.
  int depth = 0;
  for (size_t i = 0; i < q.size();) {
    size_t next = skip_non_code(q, i);
    if (next != i) {
      i = next;
      continue;
    }
    char c = q[i];
    if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == ';' && depth <= 0) throw ViewError("multiple statements are not supported");
    ++i;
  }
  return std::string(q);
}

std::vector<std::string> select_list(std::string_view q) {
  static const std::set<std::string> kEnd = {"from",  "where", "group",     "having", "order",
                                             "limit", "window", "union", "intersect", "except"};
  std::vector<std::string> items;
  bool in_list = false;
  size_t item_start = 0;
  int depth = 0;
  auto push = [&](size_t end) {
    std::string_view item = trim(q.substr(item_start, end - item_start));
    items.emplace_back(item);
  };
  for (size_t i = 0; i < q.size();) {
    size_t next = skip_non_code(q, i);
    if (next != i) {
      i = next;
      continue;
    }
    char c = q[i];
    if (c == '(') {
      ++depth;
      ++i;
      continue;
    }
    if (c == ')') {
      --depth;
      ++i;
      continue;
    }
    if (depth == 0 && is_word_start(c) && (i == 0 || !is_ident_char(q[i - 1]))) {
      size_t b = i;
      while (i < q.size() && is_ident_char(q[i])) ++i;
      const std::string word = lower(q.substr(b, i - b));
      if (!in_list) {
        if (word == "select") {
          in_list = true;
          item_start = i;
        }
      } else if (kEnd.count(word)) {
        push(b);
        return items;
      } else if ((word == "distinct" || word == "all") && trim(q.substr(item_start, b - item_start)).empty()) {
        item_start = i;
      }
      continue;
    }
    if (in_list && depth == 0 && c == ',') {
      push(i);
      item_start = i + 1;
    }
    ++i;
  }
  if (in_list) push(q.size());
  return items;
}

std::vector<Field> infer_view_fields(db::Connection& conn, const Schema& schema, std::string_view query,
                                     std::vector<Field>* partial) {
  const std::string q = normalize_view_query(query);
  const std::vector<std::string> items = select_list(q);
  for (const auto& item : items)
    if (is_wildcard(item))
      throw ViewError(
          "wildcard columns (*) are not supported - manually type the collection field names you want the view query "
          "to have");
  const std::vector<Column> cols = describe(conn, q);
  // Expressions line up with columns only when every item is one column.
  const bool aligned = items.size() == cols.size();
  std::vector<Field> fields;
  bool has_id = false;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].name == "id") has_id = true;
    add_field(fields, infer_field(schema, cols[i], aligned ? std::string_view(items[i]) : std::string_view()));
  }
  if (!has_id) {
    if (partial) *partial = fields;
    throw ViewError("missing required id column (you can use `(ROW_NUMBER() OVER()) as id` if you don't have one)");
  }
  return fields;
}

std::string view_query_with_text_id(db::Connection& conn, std::string_view query) {
  const std::string q = normalize_view_query(query);
  const std::vector<Column> cols = describe(conn, q);
  for (const auto& c : cols)
    if (http::iequals(c.name, "id") && http::iequals(c.decl, "TEXT")) return q;
  std::string sql = "SELECT ";
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) sql += ',';
    if (cols[i].name == "id") sql += "CAST(`id` as TEXT) `id`";
    else sql += quote_column(cols[i].name);
  }
  sql += " FROM (" + q + ")";
  return sql;
}

void exec_single_statement(db::Connection& conn, std::string_view sql) {
  StmtPtr st = prepare_one(conn, sql);
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) throw db::Error(rc, sqlite3_errmsg(conn.handle()));
}

void drop_sql_view(db::Connection& conn, std::string_view name) {
  conn.exec("DROP VIEW IF EXISTS " + db::quote_ident(name));
}

void create_sql_view(db::Connection& conn, std::string_view name, std::string_view query) {
  drop_sql_view(conn, name);
  const std::string q = normalize_view_query(query);
  try {
    exec_single_statement(conn, "CREATE VIEW " + db::quote_ident(name) + " AS SELECT * FROM (" + q + ")");
    // Missing tables or columns do not always fail CREATE VIEW; reading the view does.
    prepare_one(conn, "SELECT * FROM " + db::quote_ident(name) + " LIMIT 0");
  } catch (const db::Error& e) {
    try {
      drop_sql_view(conn, name);
    } catch (const db::Error&) {
    }
    throw ViewError(e.what());
  }
}

DryRunView dry_run_view(db::Connection& conn, const Schema& schema, std::string_view query, int sample_size) {
  DryRunView out;
  const std::string q = normalize_view_query(query);
  out.fields = infer_view_fields(conn, schema, q);

  Collection temp = new_collection(CollectionType::View, "temp_view_" + crypto::random_alnum(5));
  temp.fields = out.fields;
  temp.view_query = q;
  for (size_t i = 0; i < out.fields.size(); ++i) {
    ValidationErrors errs = validate_field_settings(schema, temp, nullptr, out.fields[i]);
    if (!errs.empty())
      throw ViewError("invalid field " + go_quote(out.fields[i].name) + " (" + std::to_string(i) + "): " + errs.to_string());
  }

  try {
    out.select = view_query_with_text_id(conn, q);
  } catch (const ViewError& e) {
    throw ViewError(std::string("failed to normalize view query id: ") + e.what());
  }

  // The first rows must have usable ids (a quick hint, not a guarantee).
  std::set<std::string> seen;
  try {
    StmtPtr st = prepare_one(conn, "SELECT `id` FROM (SELECT * FROM (" + out.select + ")) LIMIT " +
                                       std::to_string(sample_size));
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      const unsigned char* p = sqlite3_column_text(st.get(), 0);
      std::string id = p ? reinterpret_cast<const char*>(p) : "";
      if (id.empty()) throw ViewError("the query could return records with empty or invalid ids");
      if (!seen.insert(id).second) throw ViewError("the query could return records with non-unique ids");
    }
    if (rc != SQLITE_DONE) throw db::Error(rc, sqlite3_errmsg(conn.handle()));
  } catch (const db::Error& e) {
    throw ViewError(std::string("failed to retrieve query records: ") + e.what());
  }
  return out;
}

}  // namespace larder::schema
