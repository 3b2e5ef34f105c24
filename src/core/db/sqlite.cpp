// SQLite RAII wrappers.
#include "core/db/sqlite.h"

#include <sqlite3.h>

namespace larder::db {

void Connection::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void Statement::Finalizer::operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }

Connection::Connection(const std::string& path, const Options& opts) {
  int flags = opts.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (opts.create && !opts.read_only) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, opts.vfs);
  db_.reset(raw);  // owned even on failure, so the handle is closed
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    db_.reset();
    throw Error(rc, "cannot open " + path + ": " + msg);
  }
}

void Connection::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw Error(rc, msg);
  }
}

Statement Connection::prepare(std::string_view sql) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &st, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(st);
    throw Error(rc, sqlite3_errmsg(db_.get()));
  }
  return Statement(st, db_.get());
}

int64_t Connection::changes() const { return sqlite3_changes64(db_.get()); }
int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
std::string Connection::error_message() const { return sqlite3_errmsg(db_.get()); }

void Statement::check(int rc) const {
  if (rc != SQLITE_OK) throw Error(rc, sqlite3_errmsg(db_));
}

Statement& Statement::bind(int i, std::nullptr_t) { check(sqlite3_bind_null(st_.get(), i)); return *this; }
Statement& Statement::bind(int i, int64_t v) { check(sqlite3_bind_int64(st_.get(), i, v)); return *this; }
Statement& Statement::bind(int i, double v) { check(sqlite3_bind_double(st_.get(), i, v)); return *this; }
Statement& Statement::bind(int i, std::string_view t) {
  check(sqlite3_bind_text64(st_.get(), i, t.data(), t.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}
Statement& Statement::bind_blob(int i, std::string_view b) {
  check(sqlite3_bind_blob64(st_.get(), i, b.data(), b.size(), SQLITE_TRANSIENT));
  return *this;
}
Statement& Statement::bind(int i, const SqlValue& v) {
  std::visit([&](const auto& x) { bind(i, x); }, v);
  return *this;
}

Statement& Statement::bind(const std::vector<NamedParam>& params) {
  std::string key;
  for (const auto& p : params) {
    key.assign(":");
    key += p.name;
    int i = sqlite3_bind_parameter_index(st_.get(), key.c_str());
    if (i > 0) bind(i, p.value);
  }
  return *this;
}

int Statement::parameter_count() const { return sqlite3_bind_parameter_count(st_.get()); }

bool Statement::step() {
  int rc = sqlite3_step(st_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw Error(rc, sqlite3_errmsg(db_));
}

void Statement::reset() {
  sqlite3_reset(st_.get());
  sqlite3_clear_bindings(st_.get());
}

int Statement::column_count() const { return sqlite3_column_count(st_.get()); }
std::string Statement::column_name(int i) const { return sqlite3_column_name(st_.get(), i); }
int Statement::column_type(int i) const { return sqlite3_column_type(st_.get(), i); }
bool Statement::is_null(int i) const { return column_type(i) == SQLITE_NULL; }
int64_t Statement::get_int(int i) const { return sqlite3_column_int64(st_.get(), i); }
double Statement::get_double(int i) const { return sqlite3_column_double(st_.get(), i); }
std::string Statement::get_text(int i) const { return std::string(get_text_view(i)); }
std::string_view Statement::get_text_view(int i) const {
  const unsigned char* p = sqlite3_column_text(st_.get(), i);
  int n = sqlite3_column_bytes(st_.get(), i);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view{};
}

Transaction::Transaction(Connection& c) : conn_(c) { conn_.exec("BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
  if (!done_) {
    try { conn_.exec("ROLLBACK"); } catch (...) {}
  }
}
void Transaction::commit() {
  conn_.exec("COMMIT");
  done_ = true;
}

std::string_view sqlite_version() { return sqlite3_libversion(); }

}  // namespace larder::db
