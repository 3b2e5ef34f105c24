// Import checks: header sanity, then SQLite's own quick_check on the file in the store.
#include "image.h"

#include <sqlite3.h>

#include <cstring>

#include "page_store.h"
#include "vfs.h"

namespace larder::pages {

std::string check_and_normalise_header(uint8_t* head, size_t head_len, uint64_t size) {
  static const char kMagic[16] = "SQLite format 3";  // 15 characters and the NUL
  if (head_len < 100 || size < 512 || std::memcmp(head, kMagic, 16) != 0) return "The file is not an SQLite 3 database.";
  uint32_t page = static_cast<uint32_t>(head[16]) << 8 | head[17];
  if (page == 1) page = 65536;
  if (page < 512 || (page & (page - 1)) != 0 || size % page != 0)
    return "The database file is truncated or has an invalid page size.";
  if (head[18] > 2 || head[19] > 2) return "The database uses a newer file format than this SQLite supports.";
  // WAL (2) → legacy rollback journal (1); the page store cannot host a WAL.
  head[18] = 1;
  head[19] = 1;
  return "";
}

std::string quick_check(const std::string& path) {
  std::string verdict;
  sqlite3* conn = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &conn, SQLITE_OPEN_READONLY, register_vfs());
  if (rc == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    rc = sqlite3_prepare_v2(conn, "PRAGMA quick_check", -1, &st, nullptr);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(st, 0);
      verdict = text ? reinterpret_cast<const char*>(text) : "";
    } else {
      verdict = sqlite3_errmsg(conn);
    }
    sqlite3_finalize(st);
  } else {
    verdict = conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc);
  }
  sqlite3_close_v2(conn);
  return verdict == "ok" ? "" : "The database did not pass SQLite's quick_check: " + verdict;
}

std::string prepare_import(std::vector<uint8_t>& db) {
  std::string why = check_and_normalise_header(db.data(), db.size(), db.size());
  if (!why.empty()) return why;
  const std::string scratch = "/.larder-import-check.db";
  PageStore& store = PageStore::instance();
  store.attach(scratch, false).write(0, db.data(), db.size());
  why = quick_check(scratch);
  store.detach(scratch);
  return why;
}

}  // namespace larder::pages
