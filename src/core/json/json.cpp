// JSON value, parser and Go-compatible writer. See json.h for why this exists.
#include "core/json/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/util/utf8.h"

namespace larder::json {

// ---- Object ------------------------------------------------------------------------------------

Object::Object(std::initializer_list<Member> init) {
  members_.reserve(init.size());
  for (const auto& m : init) set(m.first, m.second);
}

const Value* Object::find(std::string_view key) const {
  for (const auto& m : members_)
    if (m.first == key) return &m.second;
  return nullptr;
}

Value* Object::find(std::string_view key) {
  for (auto& m : members_)
    if (m.first == key) return &m.second;
  return nullptr;
}

Value& Object::set(std::string key, Value v) {
  if (Value* existing = find(key)) {
    *existing = std::move(v);
    return *existing;
  }
  members_.emplace_back(std::move(key), std::move(v));
  return members_.back().second;
}

Value& Object::operator[](std::string_view key) {
  if (Value* existing = find(key)) return *existing;
  members_.emplace_back(std::string(key), Value());
  return members_.back().second;
}

bool Object::erase(std::string_view key) {
  auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.first == key; });
  if (it == members_.end()) return false;
  members_.erase(it);
  return true;
}

void Object::sort_keys() {
  std::stable_sort(members_.begin(), members_.end(),
                   [](const Member& a, const Member& b) { return a.first < b.first; });
}

bool Object::operator==(const Object& o) const {
  // Key order is not significant for equality.
  if (members_.size() != o.members_.size()) return false;
  for (const auto& m : members_) {
    const Value* other = o.find(m.first);
    if (!other || !(*other == m.second)) return false;
  }
  return true;
}

// ---- Value -------------------------------------------------------------------------------------

namespace {
[[noreturn]] void type_error(const char* want) { throw std::logic_error(std::string("json: not a ") + want); }
}  // namespace

bool Value::as_bool() const { if (!is_bool()) type_error("bool"); return std::get<bool>(v_); }
double Value::as_number() const { if (!is_number()) type_error("number"); return std::get<double>(v_); }
const std::string& Value::as_string() const { if (!is_string()) type_error("string"); return std::get<std::string>(v_); }
std::string& Value::as_string() { if (!is_string()) type_error("string"); return std::get<std::string>(v_); }
const Array& Value::as_array() const { if (!is_array()) type_error("array"); return std::get<Array>(v_); }
Array& Value::as_array() { if (!is_array()) type_error("array"); return std::get<Array>(v_); }
const Object& Value::as_object() const { if (!is_object()) type_error("object"); return std::get<Object>(v_); }
Object& Value::as_object() { if (!is_object()) type_error("object"); return std::get<Object>(v_); }
const Raw& Value::as_raw() const { if (!is_raw()) type_error("raw"); return std::get<Raw>(v_); }

const Value* Value::find(std::string_view key) const { return is_object() ? std::get<Object>(v_).find(key) : nullptr; }
Value* Value::find(std::string_view key) { return is_object() ? std::get<Object>(v_).find(key) : nullptr; }

Value& Value::operator[](std::string_view key) {
  if (is_null()) v_ = Object{};
  return as_object()[key];
}

void Value::push_back(Value v) {
  if (is_null()) v_ = Array{};
  as_array().push_back(std::move(v));
}

size_t Value::size() const {
  if (is_array()) return std::get<Array>(v_).size();
  if (is_object()) return std::get<Object>(v_).size();
  return 0;
}

// ---- Parser ------------------------------------------------------------------------------------

namespace {

class Parser {
 public:
  Parser(std::string_view s, const ParseOptions& o) : s_(s), opts_(o) {}

  Value parse_document() {
    skip_ws();
    Value v = parse_value(0);
    skip_ws();
    if (pos_ != s_.size() && !opts_.allow_trailing) fail("invalid character after top-level value");
    return v;
  }

 private:
  std::string_view s_;
  const ParseOptions& opts_;
  size_t pos_ = 0;

  [[noreturn]] void fail(const std::string& msg) { throw ParseError(msg, pos_); }

  void skip_ws() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') ++pos_;
      else break;
    }
  }

  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) { ++pos_; return true; }
    return false;
  }

  void expect_word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) fail("invalid literal");
    pos_ += w.size();
  }

  Value parse_value(size_t depth) {
    if (pos_ >= s_.size()) fail("unexpected end of JSON input");
    switch (s_[pos_]) {
      case '{': return parse_object(depth + 1);
      case '[': return parse_array(depth + 1);
      case '"': return Value(parse_string());
      case 't': expect_word("true"); return Value(true);
      case 'f': expect_word("false"); return Value(false);
      case 'n': expect_word("null"); return Value();
      default: return Value(parse_number());
    }
  }

  void check_depth(size_t depth) {
    if (depth > opts_.max_depth) fail("exceeded max depth");
  }

  Value parse_object(size_t depth) {
    check_depth(depth);
    ++pos_;  // '{'
    Object obj;
    skip_ws();
    if (eat('}')) return Value(std::move(obj));
    for (;;) {
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected object key");
      std::string key = parse_string();
      skip_ws();
      if (!eat(':')) fail("expected ':' after object key");
      skip_ws();
      Value v = parse_value(depth);
      obj.set(std::move(key), std::move(v));
      skip_ws();
      if (eat(',')) continue;
      if (eat('}')) break;
      fail("expected ',' or '}' in object");
    }
    return Value(std::move(obj));
  }

  Value parse_array(size_t depth) {
    check_depth(depth);
    ++pos_;  // '['
    Array arr;
    skip_ws();
    if (eat(']')) return Value(std::move(arr));
    for (;;) {
      skip_ws();
      arr.push_back(parse_value(depth));
      skip_ws();
      if (eat(',')) continue;
      if (eat(']')) break;
      fail("expected ',' or ']' in array");
    }
    return Value(std::move(arr));
  }

  static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  int read_hex4() {
    if (pos_ + 4 > s_.size()) fail("invalid unicode escape");
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hexval(s_[pos_ + i]);
      if (h < 0) fail("invalid unicode escape");
      v = v * 16 + h;
    }
    pos_ += 4;
    return v;
  }

  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (pos_ >= s_.size()) fail("unexpected end of string");
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') { ++pos_; break; }
      if (c < 0x20) fail("invalid control character in string");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= s_.size()) fail("unexpected end of string");
        char e = s_[pos_++];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            uint32_t cp = static_cast<uint32_t>(read_hex4());
            if (cp >= 0xD800 && cp < 0xDC00) {
              // High surrogate: combine with a following low surrogate, else U+FFFD (Go behaviour).
              if (pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                size_t save = pos_;
                pos_ += 2;
                uint32_t lo = static_cast<uint32_t>(read_hex4());
                if (lo >= 0xDC00 && lo < 0xE000) {
                  cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                  pos_ = save;
                  cp = 0xFFFD;
                }
              } else {
                cp = 0xFFFD;
              }
            } else if (cp >= 0xDC00 && cp < 0xE000) {
              cp = 0xFFFD;
            }
            utf8::append(out, cp);
            break;
          }
          default: fail("invalid escape in string");
        }
        continue;
      }
      if (c < 0x80) { out += static_cast<char>(c); ++pos_; continue; }
      // Multi-byte UTF-8: copy valid sequences, replace invalid bytes with U+FFFD.
      size_t len = utf8::valid_sequence_length(s_, pos_);
      if (len == 0) { utf8::append(out, 0xFFFD); ++pos_; }
      else { out.append(s_.substr(pos_, len)); pos_ += len; }
    }
    return out;
  }

  double parse_number() {
    size_t start = pos_;
    eat('-');
    if (pos_ >= s_.size()) fail("invalid number");
    if (s_[pos_] == '0') {
      ++pos_;
    } else if (s_[pos_] >= '1' && s_[pos_] <= '9') {
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    } else {
      fail("invalid character looking for beginning of value");
    }
    if (eat('.')) {
      size_t d = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      if (pos_ == d) fail("invalid number");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (!eat('+')) eat('-');
      size_t d = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      if (pos_ == d) fail("invalid number");
    }
    std::string tmp(s_.substr(start, pos_ - start));
    double v = std::strtod(tmp.c_str(), nullptr);
    if (!std::isfinite(v)) fail("number out of range");
    return v;
  }
};

}  // namespace

Value parse(std::string_view text, const ParseOptions& opts) {
  Parser p(text, opts);
  return p.parse_document();
}

// ---- Writer ------------------------------------------------------------------------------------

void write_string(std::string_view s, std::string& out) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    // Fast path: append a run of characters that need no escaping in one go (most text).
    size_t run = i;
    while (run < s.size()) {
      unsigned char r = static_cast<unsigned char>(s[run]);
      if (r < 0x20 || r >= 0x80 || r == '"' || r == '\\' || r == '<' || r == '>' || r == '&') break;
      ++run;
    }
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      if (i == s.size()) break;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '<': out += "\\u003c"; break;
        case '>': out += "\\u003e"; break;
        case '&': out += "\\u0026"; break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    size_t len = utf8::valid_sequence_length(s, i);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) are escaped for JavaScript safety, as Go does.
    if (len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
      out += (s[i + 2] == static_cast<char>(0xA8)) ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  out += '"';
}

void write_number(double d, std::string& out) {
  if (!std::isfinite(d)) { out += "null"; return; }
  if (d == 0) { out += std::signbit(d) ? "-0" : "0"; return; }
  if (std::fabs(d) < 1e15 && std::trunc(d) == d) {
    // Integral values (most numbers in records) print as plain digits in Go as well.
    char ibuf[24];
    auto r = std::to_chars(ibuf, ibuf + sizeof ibuf, static_cast<long long>(d));
    out.append(ibuf, r.ptr);
    return;
  }

  // Shortest digits that round-trip (see json.h); %e gives digits and exponent separately.
  char buf[64];
  int prec = 15;
  for (; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
    if (prec == 17 || std::strtod(buf, nullptr) == d) break;
  }
  // buf = [-]D.DDDDe[+-]XX
  const char* p = buf;
  bool neg = false;
  if (*p == '-') { neg = true; ++p; }
  std::string digits;
  for (; *p && *p != 'e'; ++p)
    if (*p != '.') digits += *p;
  int exp10 = std::atoi(p + 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();

  if (neg) out += '-';
  double a = std::fabs(d);
  if (a < 1e-6 || a >= 1e21) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    if (exp10 < 0) {
      out += '-';
      out += std::to_string(-exp10);  // Go's JSON writer trims the leading zero of e-07
    } else {
      out += '+';
      if (exp10 < 10) out += '0';
      out += std::to_string(exp10);
    }
    return;
  }
  if (exp10 >= 0) {
    size_t int_len = static_cast<size_t>(exp10) + 1;
    if (digits.size() <= int_len) {
      out += digits;
      out.append(int_len - digits.size(), '0');
    } else {
      out.append(digits, 0, int_len);
      out += '.';
      out.append(digits, int_len, std::string::npos);
    }
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-exp10 - 1), '0');
    out += digits;
  }
}

std::string format_number(double d) {
  std::string s;
  write_number(d, s);
  return s;
}

void write(const Value& v, std::string& out) {
  switch (v.type()) {
    case Type::kNull: out += "null"; break;
    case Type::kBool: out += v.as_bool() ? "true" : "false"; break;
    case Type::kNumber: write_number(v.as_number(), out); break;
    case Type::kString: write_string(v.as_string(), out); break;
    case Type::kRaw: out += v.as_raw().text; break;
    case Type::kArray: {
      out += '[';
      bool first = true;
      for (const auto& e : v.as_array()) {
        if (!first) out += ',';
        first = false;
        write(e, out);
      }
      out += ']';
      break;
    }
    case Type::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : v.as_object()) {
        if (!first) out += ',';
        first = false;
        write_string(k, out);
        out += ':';
        write(e, out);
      }
      out += '}';
      break;
    }
  }
}

std::string dump(const Value& v) {
  std::string s;
  write(v, s);
  return s;
}

bool compact(std::string_view text, std::string& out) {
  try {
    (void)parse(text);
  } catch (const ParseError&) {
    return false;
  }
  // Copy tokens verbatim, dropping whitespace outside strings and applying Go's HTML-safe
  // escaping inside them (what encoding/json does to a Marshaler's output).
  bool in_str = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_str) {
      if (c == '\\') {
        out += c;
        if (i + 1 < text.size()) out += text[++i];
        continue;
      }
      if (c == '"') in_str = false;
      if (c == '<') { out += "\\u003c"; continue; }
      if (c == '>') { out += "\\u003e"; continue; }
      if (c == '&') { out += "\\u0026"; continue; }
      if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' &&
          (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
        out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
        i += 2;
        continue;
      }
      out += c;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '"') in_str = true;
    out += c;
  }
  return true;
}

Value go_map_copy(const Value& v) {
  if (v.is_raw()) return go_map_copy(parse(v.as_raw().text));
  if (v.is_array()) {
    Array a;
    for (const auto& e : v.as_array()) a.push_back(go_map_copy(e));
    return Value(std::move(a));
  }
  if (v.is_object()) {
    Object o;
    for (const auto& [k, e] : v.as_object()) o.set(k, go_map_copy(e));
    o.sort_keys();
    return Value(std::move(o));
  }
  return v;
}

}  // namespace larder::json
