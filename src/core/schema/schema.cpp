// Loading the collections snapshot.
#include "core/schema/schema.h"

#include "core/http/headers.h"

namespace larder::schema {

namespace {

std::optional<std::string> nullable_text(const db::Statement& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return st.get_text(col);
}

json::Value parse_json_column(const db::Statement& st, int col, const char* fallback) {
  std::string_view text = st.is_null(col) ? std::string_view(fallback) : st.get_text_view(col);
  if (text.empty()) text = fallback;
  return json::parse(text);
}

}  // namespace

std::shared_ptr<const Schema> Schema::load(db::Connection& conn) {
  auto st = conn.prepare(
      "SELECT id, name, type, system, fields, indexes, listRule, viewRule, createRule, updateRule, deleteRule, "
      "options, created, updated FROM `_collections` ORDER BY rowid");
  std::vector<Collection> out;
  while (st.step()) {
    std::string name = st.get_text(1);
    std::string err;
    std::optional<Collection> c;
    try {
      c = collection_from_row(st.get_text(0), name, st.get_text_view(2), st.get_int(3) != 0,
                              parse_json_column(st, 4, "[]"), parse_json_column(st, 5, "[]"), nullable_text(st, 6),
                              nullable_text(st, 7), nullable_text(st, 8), nullable_text(st, 9), nullable_text(st, 10),
                              parse_json_column(st, 11, "{}"), st.get_text(12), st.get_text(13), &err);
    } catch (const json::ParseError& e) {
      err = e.what();
    }
    if (!c) throw db::Error(1, "collection \"" + name + "\" cannot be loaded: " + err);
    out.push_back(std::move(*c));
  }
  return from(std::move(out));
}

std::shared_ptr<const Schema> Schema::from(std::vector<Collection> collections) {
  auto s = std::make_shared<Schema>();
  for (auto& c : collections) s->collections_.push_back(std::make_shared<const Collection>(std::move(c)));
  return s;
}

const Collection* Schema::find(std::string_view id_or_name) const {
  if (id_or_name.empty()) return nullptr;
  for (const auto& c : collections_)
    if (c->id == id_or_name || http::iequals(c->name, id_or_name)) return c.get();
  return nullptr;
}

const Collection* Schema::by_id(std::string_view id) const {
  for (const auto& c : collections_)
    if (c->id == id) return c.get();
  return nullptr;
}

}  // namespace larder::schema
