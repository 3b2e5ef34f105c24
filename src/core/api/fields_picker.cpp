// `fields` picking and the excerpt modifier.
#include "core/api/fields_picker.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "core/util/utf8.h"

namespace larder::api {

namespace {

struct Modifier {
  size_t max = 0;
  bool ellipsis = false;
};

// path -> modifier (nullopt = plain pick)
using FieldMap = std::map<std::string, std::optional<Modifier>>;

// Splits on commas outside quotes and parentheses (PocketBase's tokenizer).
std::vector<std::string> split_fields(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  char quote = 0;
  for (char c : s) {
    if (quote) {
      if (c == quote) quote = 0;
      cur += c;
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') quote = c;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  out.push_back(cur);
  return out;
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool to_bool(std::string_view s) {
  // cast.ToBool on a string: strconv.ParseBool, false on error.
  return s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True";
}

// "excerpt(200,true)" -> Modifier; nullopt when invalid.
std::optional<Modifier> parse_modifier(std::string_view raw) {
  std::string s = trim(raw);
  size_t open = s.find('(');
  std::string name = trim(open == std::string::npos ? s : s.substr(0, open));
  if (name != "excerpt") return std::nullopt;
  std::vector<std::string> args;
  if (open != std::string::npos) {
    size_t close = s.rfind(')');
    if (close == std::string::npos || close < open) return std::nullopt;
    std::string inner = s.substr(open + 1, close - open - 1);
    for (auto& a : split_fields(inner)) {
      std::string t = trim(a);
      if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) t = t.substr(1, t.size() - 2);
      if (!t.empty()) args.push_back(t);
    }
  }
  if (args.empty() || args.size() > 2) return std::nullopt;
  char* end = nullptr;
  long long max = std::strtoll(args[0].c_str(), &end, 10);
  if (!end || *end != '\0' || max <= 0) return std::nullopt;
  Modifier m;
  m.max = static_cast<size_t>(max);
  if (args.size() > 1) m.ellipsis = to_bool(args[1]);
  return m;
}

bool pick_value(json::Value& data, FieldMap fields);

bool pick_object(json::Object& obj, FieldMap fields) {
  if (fields.empty()) return true;
  if (auto star = fields.find("*"); star != fields.end()) {
    auto m = star->second;
    for (const auto& [k, v] : obj) {
      bool exists = false;
      for (const auto& [f, fm] : fields) exists = exists || (f + ".").rfind(k + ".", 0) == 0;
      if (!exists) fields[k] = m;
    }
  }
  json::Object kept;
  for (auto& [k, v] : obj) {
    FieldMap matching;
    bool whole = false;
    std::optional<Modifier> whole_mod;
    for (const auto& [f, m] : fields) {
      std::string fd = f + ".";
      std::string kd = k + ".";
      if (fd.rfind(kd, 0) != 0) continue;
      std::string remains = fd.substr(kd.size());
      if (!remains.empty()) remains.pop_back();
      if (remains.empty()) {
        whole = true;
        whole_mod = m;
        break;
      }
      matching[remains] = m;
    }
    if (whole) {
      if (whole_mod && v.is_string()) v = json::Value(excerpt(v.as_string(), whole_mod->max, whole_mod->ellipsis));
      kept.push_back({k, std::move(v)});
      continue;
    }
    if (matching.empty()) continue;
    if (!pick_value(v, std::move(matching))) return false;
    kept.push_back({k, std::move(v)});
  }
  obj = std::move(kept);
  return true;
}

bool pick_value(json::Value& data, FieldMap fields) {
  if (data.is_object()) return pick_object(data.as_object(), std::move(fields));
  if (data.is_array()) {
    auto& arr = data.as_array();
    if (arr.empty() || !arr.front().is_object()) return true;  // only lists of objects are picked
    for (auto& e : arr)
      if (e.is_object() && !pick_object(e.as_object(), fields)) return false;
  }
  return true;
}

}  // namespace

std::optional<json::Value> pick_fields(const json::Value& data, std::string_view fields_param, bool paginated) {
  FieldMap fields;
  for (const auto& raw : split_fields(fields_param)) {
    std::string f = trim(raw);
    size_t colon = f.find(':');
    if (colon != std::string::npos) {
      auto m = parse_modifier(f.substr(colon + 1));
      if (!m) return std::nullopt;
      fields[f.substr(0, colon)] = m;
    } else {
      fields[f] = std::nullopt;
    }
  }
  json::Value out = json::go_map_copy(data);
  bool ok = true;
  if (paginated) {
    if (json::Value* items = out.find("items")) ok = pick_value(*items, fields);
  } else {
    ok = pick_value(out, fields);
  }
  if (!ok) return std::nullopt;
  return out;
}

// ---- excerpt --------------------------------------------------------------------------------

namespace {

const char* const kExcludedTags[] = {"head", "style", "script", "iframe", "embed", "applet", "object", "svg", "img",
                                     "picture", "dialog", "template", "button", "form", "textarea", "input", "select",
                                     "option"};
const char* const kInlineTags[] = {"a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "em", "i",
                                   "label", "q", "small", "span", "strong", "strike", "sub", "sup", "time"};
const char* const kVoidTags[] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                                 "track", "wbr"};

template <size_t N>
bool in(const char* const (&list)[N], std::string_view name) {
  for (const char* t : list)
    if (name == t) return true;
  return false;
}

void decode_entity(std::string_view s, size_t& i, std::string& out) {
  // s[i] == '&'
  size_t semi = s.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) {
    out += '&';
    ++i;
    return;
  }
  std::string_view name = s.substr(i + 1, semi - i - 1);
  uint32_t cp = 0;
  if (name == "amp") cp = '&';
  else if (name == "lt") cp = '<';
  else if (name == "gt") cp = '>';
  else if (name == "quot") cp = '"';
  else if (name == "apos" || name == "#39") cp = '\'';
  else if (name == "nbsp") cp = 0xA0;
  else if (!name.empty() && name[0] == '#') {
    bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    std::string digits(name.substr(hex ? 2 : 1));
    char* end = nullptr;
    unsigned long v = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
    if (!digits.empty() && end && *end == '\0' && v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v < 0xE000))
      cp = static_cast<uint32_t>(v);
  }
  if (!cp) {
    out += '&';
    ++i;
    return;
  }
  utf8::append(out, cp);
  i = semi + 1;
}

}  // namespace

std::string excerpt(std::string_view html, size_t max, bool ellipsis) {
  std::string text;
  bool prev_space = false;
  std::vector<std::string> skip_stack;  // open excluded elements
  auto add_space = [&] {
    if (!prev_space) {
      text += ' ';
      prev_space = true;
    }
  };
  size_t i = 0;
  std::string chunk;
  auto flush_text = [&] {
    if (chunk.empty()) return;
    // collapse whitespace runs to one space
    std::string t;
    bool ws = false;
    for (char c : chunk) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        if (!ws) t += ' ';
        ws = true;
      } else {
        t += c;
        ws = false;
      }
    }
    if (prev_space) {
      size_t b = t.find_first_not_of(' ');
      t = b == std::string::npos ? std::string() : t.substr(b);
    }
    if (!t.empty()) {
      prev_space = t.back() == ' ';
      text += t;
    }
    chunk.clear();
  };
  while (i < html.size() && text.size() <= max + 2) {
    char c = html[i];
    if (c == '<') {
      size_t close = html.find('>', i);
      if (close == std::string_view::npos) {
        chunk += html.substr(i);
        break;
      }
      std::string_view tag = html.substr(i + 1, close - i - 1);
      i = close + 1;
      if (tag.empty() || tag[0] == '!' || tag[0] == '?') continue;  // comments, doctype
      bool closing = tag[0] == '/';
      if (closing) tag.remove_prefix(1);
      size_t n = 0;
      while (n < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[n])) || tag[n] == '-')) ++n;
      std::string name(tag.substr(0, n));
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
      if (name.empty()) continue;
      bool self_closing = !tag.empty() && tag.back() == '/';
      if (!skip_stack.empty()) {
        if (closing && name == skip_stack.back()) skip_stack.pop_back();
        else if (!closing && name == skip_stack.back() && !self_closing && !in(kVoidTags, name)) skip_stack.push_back(name);
        continue;
      }
      flush_text();
      if (in(kExcludedTags, name)) {
        if (!closing && !self_closing && !in(kVoidTags, name)) skip_stack.push_back(name);
        continue;
      }
      if (!in(kInlineTags, name)) add_space();
      continue;
    }
    if (!skip_stack.empty()) {
      ++i;
      continue;
    }
    if (c == '&') {
      decode_entity(html, i, chunk);
      continue;
    }
    chunk += c;
    ++i;
  }
  flush_text();
  std::string result = text;
  size_t b = result.find_first_not_of(" \t\r\n");
  size_t e = result.find_last_not_of(" \t\r\n");
  result = b == std::string::npos ? std::string() : result.substr(b, e - b + 1);
  if (utf8::count(result) > max) {
    size_t pos = 0;
    for (size_t k = 0; k < max && pos < result.size(); ++k) {
      size_t len = utf8::valid_sequence_length(result, pos);
      pos += len ? len : 1;
    }
    result.resize(pos);
    size_t last = result.find_last_not_of(" \t\r\n");
    result.resize(last == std::string::npos ? 0 : last + 1);
    if (ellipsis) result += "...";
  }
  return result;
}

}  // namespace larder::api
