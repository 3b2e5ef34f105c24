// Column <-> normalised value conversion.
#include "core/record/codec.h"

#include <sqlite3.h>

#include <cmath>
#include <cstdlib>

#include "core/util/datetime.h"

namespace larder::record {

using schema::FieldType;

namespace {

std::string column_as_text(const db::Statement& st, int col) {
  switch (st.column_type(col)) {
    case SQLITE_NULL: return {};
    case SQLITE_INTEGER: return std::to_string(st.get_int(col));
    case SQLITE_FLOAT: return number_to_string(st.get_double(col));
    default: return st.get_text(col);
  }
}

double text_to_number(std::string_view s) {
  std::string tmp(s);
  char* end = nullptr;
  double d = std::strtod(tmp.c_str(), &end);
  if (end == tmp.c_str() || !std::isfinite(d)) return 0;
  while (*end == ' ') ++end;
  return *end == '\0' ? d : 0;
}

// Items of a multi-value column: JSON array text, a plain string, or nothing.
json::Value list_from_text(std::string_view text) {
  json::Array out;
  if (text.empty()) return json::Value(std::move(out));
  if (text.front() == '[') {
    try {
      json::Value v = json::parse(text);
      if (v.is_array()) {
        for (const auto& e : v.as_array()) {
          if (e.is_string()) out.push_back(e);
          else if (e.is_number()) out.emplace_back(number_to_string(e.as_number()));
          else if (!e.is_null()) out.emplace_back(json::dump(e));
        }
        return json::Value(std::move(out));
      }
    } catch (const json::ParseError&) {
    }
  }
  out.emplace_back(std::string(text));
  return json::Value(std::move(out));
}

}  // namespace

std::string number_to_string(double d) { return json::format_number(d); }

json::Value zero_value(const schema::Field& f) {
  switch (f.type) {
    case FieldType::Number: return json::Value(0.0);
    case FieldType::Bool: return json::Value(false);
    case FieldType::Json: return json::Value();
    case FieldType::GeoPoint: return json::Value(json::Object{{"lon", 0.0}, {"lat", 0.0}});
    case FieldType::Select:
    case FieldType::Relation:
    case FieldType::File:
      return f.is_multiple() ? json::Value::array() : json::Value("");
    default: return json::Value("");
  }
}

json::Value read_column(const schema::Field& f, const db::Statement& st, int col) {
  int type = st.column_type(col);
  switch (f.type) {
    case FieldType::Number:
      if (type == SQLITE_INTEGER) return json::Value(static_cast<double>(st.get_int(col)));
      if (type == SQLITE_FLOAT) return json::Value(st.get_double(col));
      if (type == SQLITE_NULL) return json::Value(0.0);
      return json::Value(text_to_number(st.get_text_view(col)));
    case FieldType::Bool: {
      if (type == SQLITE_INTEGER) return json::Value(st.get_int(col) != 0);
      if (type == SQLITE_FLOAT) return json::Value(st.get_double(col) != 0);
      if (type == SQLITE_NULL) return json::Value(false);
      std::string_view t = st.get_text_view(col);
      return json::Value(t == "1" || t == "true" || t == "TRUE" || t == "True" || t == "t" || t == "T");
    }
    case FieldType::Date:
    case FieldType::Autodate: {
      std::string t = column_as_text(st, col);
      if (t.empty()) return json::Value("");
      auto dt = util::parse_datetime(t);
      return json::Value(dt ? util::format_datetime(*dt) : std::string());
    }
    case FieldType::Select:
    case FieldType::Relation:
    case FieldType::File: {
      json::Value items = list_from_text(column_as_text(st, col));
      if (f.is_multiple()) return items;
      const auto& arr = items.as_array();
      return arr.empty() ? json::Value("") : arr.back();
    }
    case FieldType::Json: {
      if (type == SQLITE_NULL) return json::Value();
      std::string t = column_as_text(st, col);
      if (t.empty()) return json::Value();
      std::string compacted;
      if (json::compact(t, compacted)) return json::Value(json::Raw{std::move(compacted)});
      std::string quoted;
      json::write_string(t, quoted);
      return json::Value(json::Raw{std::move(quoted)});
    }
    case FieldType::GeoPoint: {
      json::Object p{{"lon", 0.0}, {"lat", 0.0}};
      std::string t = column_as_text(st, col);
      try {
        json::Value v = json::parse(t);
        if (const json::Value* lon = v.find("lon"); lon && lon->is_number()) p.set("lon", lon->as_number());
        if (const json::Value* lat = v.find("lat"); lat && lat->is_number()) p.set("lat", lat->as_number());
      } catch (const json::ParseError&) {
      }
      return json::Value(std::move(p));
    }
    default:
      return json::Value(column_as_text(st, col));
  }
}

db::SqlValue to_sql(const schema::Field& f, const json::Value& v) {
  switch (f.type) {
    case FieldType::Number: return v.get_number(0);
    case FieldType::Bool: return static_cast<int64_t>(v.get_bool(false) ? 1 : 0);
    case FieldType::Json:
      if (v.is_null()) return nullptr;
      if (v.is_raw()) return v.as_raw().text;
      return json::dump(v);
    case FieldType::GeoPoint: {
      json::Object p{{"lon", 0.0}, {"lat", 0.0}};
      if (const json::Value* lon = v.find("lon")) p.set("lon", lon->get_number());
      if (const json::Value* lat = v.find("lat")) p.set("lat", lat->get_number());
      return json::dump(json::Value(std::move(p)));
    }
    case FieldType::Select:
    case FieldType::Relation:
    case FieldType::File:
      if (f.is_multiple()) return v.is_array() ? json::dump(v) : std::string("[]");
      return std::string(v.get_string());
    default:
      return std::string(v.get_string());
  }
}

RowReader::RowReader(const schema::Collection& c, const db::Statement& st) : c_(c), st_(st) {
  int n = st.column_count();
  columns_.reserve(c.fields.size());
  for (const auto& f : c.fields) {
    int col = -1;
    for (int i = 0; i < n; ++i) {
      if (sqlite3_column_name(st.handle(), i) == f.name) {
        col = i;
        break;
      }
    }
    columns_.push_back(col);
  }
}

Record RowReader::read() const {
  Record r;
  r.collection = &c_;
  r.values.reserve(c_.fields.size());
  for (size_t i = 0; i < c_.fields.size(); ++i) {
    const auto& f = c_.fields[i];
    r.values.push_back({f.name, columns_[i] >= 0 ? read_column(f, st_, columns_[i]) : zero_value(f)});
  }
  return r;
}

Record read_record(const schema::Collection& c, const db::Statement& st) { return RowReader(c, st).read(); }

}  // namespace larder::record
