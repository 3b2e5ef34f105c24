// RAII wrappers over the SQLite C API: one owner per handle, errors as exceptions, values bound
// as parameters only (there is deliberately no way to splice a value into SQL text here).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace larder::db {

struct Error : std::runtime_error {
  int code;
  Error(int c, const std::string& msg) : std::runtime_error(msg), code(c) {}
};

class Statement;

// A value bound to a statement parameter. User input only ever reaches SQL this way.
using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;
struct NamedParam {
  std::string name;  // without the leading ':' (placeholders are written ":name")
  SqlValue value;
};

class Connection {
 public:
  struct Options {
    bool read_only = false;
    bool create = true;
    const char* vfs = nullptr;  // nullptr = the platform default
  };

  Connection() = default;
  Connection(const std::string& path, const Options& opts);
  Connection(const std::string& path) : Connection(path, Options{}) {}
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  sqlite3* handle() const { return db_.get(); }
  bool is_open() const { return db_ != nullptr; }

  // Runs one or more statements without results (DDL, pragmas).
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql);
  int64_t changes() const;
  int64_t last_insert_rowid() const;
  std::string error_message() const;

 private:
  struct Closer { void operator()(sqlite3* db) const; };
  std::unique_ptr<sqlite3, Closer> db_;
};

class Statement {
 public:
  Statement() = default;
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::nullptr_t);
  Statement& bind(int index, int64_t v);
  Statement& bind(int index, int v) { return bind(index, static_cast<int64_t>(v)); }
  Statement& bind(int index, double v);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind(int index, const SqlValue& v);
  // Binds ":name" placeholders; names the statement does not use are ignored.
  Statement& bind(const std::vector<NamedParam>& params);
  int parameter_count() const;

  // true while a row is available.
  bool step();
  void reset();

  int column_count() const;
  std::string column_name(int i) const;
  int column_type(int i) const;  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL
  bool is_null(int i) const;
  int64_t get_int(int i) const;
  double get_double(int i) const;
  std::string get_text(int i) const;
  std::string_view get_text_view(int i) const;  // valid until the next step/reset

  sqlite3_stmt* handle() const { return st_.get(); }

 private:
  friend class Connection;
  struct Finalizer { void operator()(sqlite3_stmt* st) const; };
  Statement(sqlite3_stmt* st, sqlite3* db) : st_(st), db_(db) {}
  void check(int rc) const;

  std::unique_ptr<sqlite3_stmt, Finalizer> st_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& c);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& conn_;
  bool done_ = false;
};

std::string_view sqlite_version();

}  // namespace larder::db
