// A small JSON value, parser and writer shaped for PocketBase wire compatibility.
//
// Why not a general-purpose library: the wire format must match Go's encoding/json byte for
// byte (HTML-safe escaping, `\ufffd` for invalid UTF-8, Go's float formatting, a trailing
// newline), objects must keep either insertion order (Go structs) or sorted order (Go maps),
// and the parser must refuse hostile nesting without recursing itself to death. Keeping it small
// also keeps the wasm build fast to compile.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace larder::json {

class Value;
using Array = std::vector<Value>;
using Member = std::pair<std::string, Value>;

// Insertion-ordered object. Lookups are linear: PocketBase objects are small.
class Object {
 public:
  using iterator = std::vector<Member>::iterator;
  using const_iterator = std::vector<Member>::const_iterator;

  Object() = default;
  Object(std::initializer_list<Member> init);

  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // Replaces the value of an existing key (keeping its position) or appends.
  Value& set(std::string key, Value v);
  Value& operator[](std::string_view key);  // appends null if missing
  bool erase(std::string_view key);
  void sort_keys();  // byte-wise, like Go's map key ordering

  // Defined after Value (they need the complete type).
  size_t size() const;
  bool empty() const;
  iterator begin();
  iterator end();
  const_iterator begin() const;
  const_iterator end() const;
  void reserve(size_t n);
  void push_back(Member m);

  bool operator==(const Object& o) const;

 private:
  std::vector<Member> members_;
};

// Pre-encoded JSON text, written verbatim (e.g. a json field's stored value).
struct Raw {
  std::string text;
  bool operator==(const Raw& o) const { return text == o.text; }
};

enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject, kRaw };

class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(double d) : v_(d) {}
  Value(int i) : v_(static_cast<double>(i)) {}
  Value(long i) : v_(static_cast<double>(i)) {}
  Value(long long i) : v_(static_cast<double>(i)) {}
  Value(unsigned i) : v_(static_cast<double>(i)) {}
  Value(unsigned long i) : v_(static_cast<double>(i)) {}
  Value(unsigned long long i) : v_(static_cast<double>(i)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}
  Value(Raw r) : v_(std::move(r)) {}

  static Value array() { return Value(Array{}); }
  static Value object() { return Value(Object{}); }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_number() const { return type() == Type::kNumber; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }
  bool is_raw() const { return type() == Type::kRaw; }

  // Checked accessors: throw std::logic_error on a type mismatch (a programming error).
  bool as_bool() const;
  double as_number() const;
  const std::string& as_string() const;
  std::string& as_string();
  const Array& as_array() const;
  Array& as_array();
  const Object& as_object() const;
  Object& as_object();
  const Raw& as_raw() const;

  // Lenient accessors for reading request data: fall back instead of throwing.
  bool get_bool(bool fallback = false) const { return is_bool() ? std::get<bool>(v_) : fallback; }
  double get_number(double fallback = 0) const { return is_number() ? std::get<double>(v_) : fallback; }
  std::string_view get_string(std::string_view fallback = {}) const {
    return is_string() ? std::string_view(std::get<std::string>(v_)) : fallback;
  }

  // Object helpers (valid only on objects; find() returns nullptr on non-objects).
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  Value& operator[](std::string_view key);  // turns null into an object
  void push_back(Value v);                  // turns null into an array
  size_t size() const;                      // array/object element count, else 0

  bool operator==(const Value& o) const { return v_ == o.v_; }
  bool operator!=(const Value& o) const { return !(*this == o); }

 private:
  std::variant<std::monostate, bool, double, std::string, Array, Object, Raw> v_;
};

inline size_t Object::size() const { return members_.size(); }
inline bool Object::empty() const { return members_.empty(); }
inline Object::iterator Object::begin() { return members_.begin(); }
inline Object::iterator Object::end() { return members_.end(); }
inline Object::const_iterator Object::begin() const { return members_.begin(); }
inline Object::const_iterator Object::end() const { return members_.end(); }
inline void Object::reserve(size_t n) { members_.reserve(n); }
inline void Object::push_back(Member m) { members_.push_back(std::move(m)); }

struct ParseError : std::runtime_error {
  size_t offset;
  ParseError(const std::string& what, size_t at) : std::runtime_error(what), offset(at) {}
};

struct ParseOptions {
  size_t max_depth = 512;  // nesting limit; deeper input is rejected, never recursed into
  // Stop after the first complete value and ignore what follows, like Go's json.Decoder.Decode
  // (which PocketBase uses for request bodies).
  bool allow_trailing = false;
};

// Parses exactly one JSON value (surrounding whitespace allowed). Duplicate object keys keep
// the last value, like decoding into a Go map. Invalid UTF-8 in strings becomes U+FFFD.
Value parse(std::string_view text, const ParseOptions& opts = {});

// Go encoding/json output (HTML-safe escaping, Go float format), no trailing newline.
void write(const Value& v, std::string& out);
// Go's map-decoded copy of a value: every object key-sorted, raw JSON parsed. What a Go
// handler's output looks like after a round trip through map[string]any.
Value go_map_copy(const Value& v);

std::string dump(const Value& v);

// Writes one string as a JSON string literal with Go's escaping.
void write_string(std::string_view s, std::string& out);
// Go's float64 JSON formatting: shortest round-trip digits, 'f' form unless |x| < 1e-6 or >= 1e21.
void write_number(double d, std::string& out);
std::string format_number(double d);

// Compacts already-valid JSON text (removes insignificant whitespace) without re-encoding it.
// Returns false when the text is not valid JSON.
bool compact(std::string_view text, std::string& out);

}  // namespace larder::json
