// CREATE INDEX parsing/building.
#include "core/db/index_def.h"

#include <cctype>

namespace larder::db {

namespace {

bool ieq_char(char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  void skip_ws() { while (i_ < s_.size() && is_space(s_[i_])) ++i_; }
  // Case-insensitive keyword followed by whitespace (or end); consumes trailing whitespace.
  bool keyword(std::string_view kw) {
    skip_ws();
    if (s_.size() - i_ < kw.size()) return false;
    for (size_t k = 0; k < kw.size(); ++k)
      if (!ieq_char(s_[i_ + k], kw[k])) return false;
    size_t after = i_ + kw.size();
    if (after < s_.size() && !is_space(s_[after]) && s_[after] != '(') return false;
    i_ = after;
    skip_ws();
    return true;
  }
  // A run of non-space characters, stopping before '(' (for "ON table(").
  std::string_view word() {
    skip_ws();
    size_t b = i_;
    while (i_ < s_.size() && !is_space(s_[i_]) && s_[i_] != '(') ++i_;
    return s_.substr(b, i_ - b);
  }
  bool eat(char c) {
    skip_ws();
    if (i_ < s_.size() && s_[i_] == c) { ++i_; return true; }
    return false;
  }
  std::string_view rest() const { return s_.substr(i_); }
  size_t pos() const { return i_; }
  void seek(size_t p) { i_ = p; }
  std::string_view text() const { return s_; }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

std::string trim_chars(std::string_view s) {
  const std::string_view chars = "`\"'[]\r\n\t\f\v ";
  size_t b = s.find_first_not_of(chars);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(chars);
  return std::string(s.substr(b, e - b + 1));
}

std::string trim_space(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// Splits on `sep` outside quotes and parentheses.
std::vector<std::string> split_top_level(std::string_view s, char sep) {
  std::vector<std::string> out;
  int depth = 0;
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') quote = c;
    else if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == sep && depth == 0) {
      out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.emplace_back(s.substr(start));
  return out;
}

// "name [COLLATE x] [ASC|DESC]"
IndexColumn parse_column(std::string_view raw) {
  std::string s = trim_space(raw);
  IndexColumn col;
  auto ends_with_word = [&](std::string_view w) {
    if (s.size() <= w.size() + 1) return false;
    size_t p = s.size() - w.size();
    if (!is_space(s[p - 1])) return false;
    for (size_t k = 0; k < w.size(); ++k)
      if (!ieq_char(s[p + k], w[k])) return false;
    return true;
  };
  for (std::string_view dir : {"asc", "desc"}) {
    if (ends_with_word(dir)) {
      col.sort = dir == "asc" ? "ASC" : "DESC";
      s = trim_space(std::string_view(s).substr(0, s.size() - dir.size()));
      break;
    }
  }
  // COLLATE <word> at the end.
  size_t last_space = s.find_last_of(" \t\n\r");
  if (last_space != std::string::npos) {
    std::string before = trim_space(std::string_view(s).substr(0, last_space));
    size_t kw = before.find_last_of(" \t\n\r");
    std::string_view maybe = kw == std::string::npos ? std::string_view(before) : std::string_view(before).substr(kw + 1);
    if (maybe.size() == 7 && ieq_char(maybe[0], 'c') && ieq_char(maybe[1], 'o') && ieq_char(maybe[2], 'l') &&
        ieq_char(maybe[3], 'l') && ieq_char(maybe[4], 'a') && ieq_char(maybe[5], 't') && ieq_char(maybe[6], 'e')) {
      col.collate = trim_space(std::string_view(s).substr(last_space + 1));
      s = kw == std::string::npos ? std::string() : trim_space(std::string_view(before).substr(0, kw));
    }
  }
  col.name = trim_chars(s);
  return col;
}

}  // namespace

IndexDef parse_index(std::string_view sql) {
  IndexDef idx;
  Cursor c(sql);
  if (!c.keyword("create")) return {};
  if (c.keyword("unique")) idx.unique = true;
  if (!c.keyword("index")) return {};
  {
    size_t save = c.pos();
    if (c.keyword("if") && c.keyword("not") && c.keyword("exists")) idx.if_not_exists = true;
    else c.seek(save);
  }
  std::string_view name = c.word();
  // schema.name
  auto parts = split_top_level(name, '.');
  if (parts.size() == 2) {
    idx.schema_name = trim_chars(parts[0]);
    idx.name = trim_chars(parts[1]);
  } else {
    idx.name = trim_chars(name);
  }
  if (!c.keyword("on")) return {};
  idx.table = trim_chars(c.word());
  if (!c.eat('(')) return {};
  // The column list runs to the matching ')'.
  std::string_view rest = c.rest();
  int depth = 1;
  char quote = 0;
  size_t end = std::string_view::npos;
  for (size_t i = 0; i < rest.size(); ++i) {
    char ch = rest[i];
    if (quote) {
      if (ch == quote) quote = 0;
      continue;
    }
    if (ch == '\'' || ch == '"' || ch == '`') quote = ch;
    else if (ch == '(') ++depth;
    else if (ch == ')' && --depth == 0) {
      end = i;
      break;
    }
  }
  if (end == std::string_view::npos) return {};
  for (const auto& raw : split_top_level(rest.substr(0, end), ',')) {
    IndexColumn col = parse_column(raw);
    if (!col.name.empty()) idx.columns.push_back(std::move(col));
  }
  Cursor tail(rest.substr(end + 1));
  if (tail.keyword("where")) idx.where = trim_space(tail.rest());
  else if (!trim_space(tail.rest()).empty()) return {};
  return idx;
}

std::string IndexDef::build() const {
  if (!valid()) return {};
  std::string s = "CREATE ";
  if (unique) s += "UNIQUE ";
  s += "INDEX ";
  if (if_not_exists) s += "IF NOT EXISTS ";
  if (!schema_name.empty()) s += "`" + schema_name + "`.";
  s += "`" + name + "` ON `" + table + "` (";
  if (columns.size() > 1) s += "\n  ";
  bool first = true;
  for (const auto& col : columns) {
    if (!first) s += ",\n  ";
    first = false;
    if (col.name.find('(') != std::string::npos || col.name.find(' ') != std::string::npos) s += col.name;
    else s += "`" + col.name + "`";
    if (!col.collate.empty()) s += " COLLATE " + col.collate;
    if (!col.sort.empty()) s += " " + col.sort;
  }
  if (columns.size() > 1) s += "\n";
  s += ")";
  if (!where.empty()) s += " WHERE " + where;
  return s;
}

std::optional<IndexDef> find_single_column_unique_index(const std::vector<std::string>& indexes, std::string_view column) {
  for (const auto& raw : indexes) {
    IndexDef idx = parse_index(raw);
    if (!idx.unique || idx.columns.size() != 1) continue;
    const std::string& n = idx.columns[0].name;
    if (n.size() != column.size()) continue;
    bool same = true;
    for (size_t i = 0; i < n.size(); ++i)
      if (!ieq_char(n[i], column[i])) same = false;
    if (same) return idx;
  }
  return std::nullopt;
}

}  // namespace larder::db
