// The raw-SQLite baseline for bench/records.mjs: the same data and the same statements Larder's
// records API runs, straight through SQLite's C API on one thread, with the durability settings
// of the native host (WAL, synchronous=FULL). Also seeds the benchmark table, because going
// through the API for 100k rows would measure the seeding, not the reads.
//
//   larder_bench_sqlite seed <data.db> <table> <n>   insert n rows (one transaction)
//   larder_bench_sqlite run  <data.db> <table> <seconds-per-op>
//                                                   prints one JSON line of ops/s per operation
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>

namespace {

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const char* path) {
    if (sqlite3_open(path, &db) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
  }
  ~Db() { sqlite3_close(db); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(m);
    }
  }
};

struct Stmt {
  sqlite3_stmt* st = nullptr;
  Stmt(Db& d, const std::string& sql) {
    if (sqlite3_prepare_v2(d.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(d.db));
  }
  ~Stmt() { sqlite3_finalize(st); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
};

std::string random_id(std::mt19937_64& rng) {
  static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(15, 'a');
  for (char& c : s) c = abc[rng() % 36];
  return s;
}

// Reads every column of every row, as building a JSON answer would.
int drain(sqlite3_stmt* st) {
  int rows = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(st); ++i) (void)sqlite3_column_text(st, i);
    ++rows;
  }
  sqlite3_reset(st);
  return rows;
}

template <class F>
double rate(double seconds, F&& op) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  long n = 0;
  while (std::chrono::duration<double>(clock::now() - start).count() < seconds) {
    op();
    ++n;
  }
  return n / std::chrono::duration<double>(clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s seed|run <data.db> <table> <n|seconds>\n", argv[0]);
    return 2;
  }
  try {
    Db d(argv[2]);
    const std::string table = argv[3];  // a benchmark-owned name, not user input
    std::mt19937_64 rng(std::random_device{}());
    const std::string insert_sql =
        "INSERT INTO `" + table +
        "` (id, title, body, n, created, updated) VALUES (?, ?, ?, ?, strftime('%Y-%m-%d %H:%M:%fZ'), "
        "strftime('%Y-%m-%d %H:%M:%fZ'))";
    if (std::string(argv[1]) == "seed") {
      long n = std::atol(argv[4]);
      d.exec("BEGIN");
      Stmt ins(d, insert_sql);
      for (long i = 0; i < n; ++i) {
        std::string id = random_id(rng), title = "post " + std::to_string(i);
        sqlite3_bind_text(ins.st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.st, 2, title.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.st, 3, "lorem ipsum dolor sit amet", -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins.st, 4, static_cast<sqlite3_int64>(i % 1000));
        if (sqlite3_step(ins.st) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(d.db));
        sqlite3_reset(ins.st);
      }
      d.exec("COMMIT");
      return 0;
    }
    const double secs = std::atof(argv[4]);
    // The statements the records API runs for the same requests (see bench/records.mjs).
    Stmt page(d, "SELECT `" + table + "`.* FROM `" + table + "` LIMIT 20");
    Stmt count(d, "SELECT COUNT(*) FROM `" + table + "`");
    Stmt filtered(d, "SELECT `" + table + "`.* FROM `" + table + "` WHERE `" + table + "`.`n` > ? ORDER BY `" + table +
                         "`.`n` DESC LIMIT 20");
    Stmt filtered_count(d, "SELECT COUNT(*) FROM `" + table + "` WHERE `" + table + "`.`n` > ?");
    Stmt view(d, "SELECT `" + table + "`.* FROM `" + table + "` WHERE `" + table + "`.`id` = ? LIMIT 1");
    Stmt ins(d, insert_sql);
    Stmt one_id(d, "SELECT id FROM `" + table + "` LIMIT 1 OFFSET 500");
    sqlite3_step(one_id.st);
    std::string id = reinterpret_cast<const char*>(sqlite3_column_text(one_id.st, 0));

    double list = rate(secs, [&] {
      drain(page.st);
      drain(count.st);
    });
    double list_no_total = rate(secs, [&] { drain(page.st); });
    double list_filtered = rate(secs, [&] {
      sqlite3_bind_int(filtered.st, 1, 500);
      drain(filtered.st);
      sqlite3_bind_int(filtered_count.st, 1, 500);
      drain(filtered_count.st);
    });
    double list_filtered_no_total = rate(secs, [&] {
      sqlite3_bind_int(filtered.st, 1, 500);
      drain(filtered.st);
    });
    double view_rate = rate(secs, [&] {
      sqlite3_bind_text(view.st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      drain(view.st);
    });
    long i = 0;
    double create = rate(secs, [&] {
      std::string nid = random_id(rng), title = "new " + std::to_string(i++);
      sqlite3_bind_text(ins.st, 1, nid.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins.st, 2, title.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins.st, 3, "lorem ipsum dolor sit amet", -1, SQLITE_STATIC);
      sqlite3_bind_int64(ins.st, 4, 7);
      if (sqlite3_step(ins.st) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(d.db));
      sqlite3_reset(ins.st);
    });
    std::printf(
        "{\"list\":%.1f,\"listSkipTotal\":%.1f,\"listFiltered\":%.1f,\"listFilteredSkipTotal\":%.1f,\"view\":%.1f,"
        "\"create\":%.1f,\"id\":\"%s\"}\n",
        list, list_no_total, list_filtered, list_filtered_no_total, view_rate, create, id.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "larder_bench_sqlite: %s\n", e.what());
    return 1;
  }
}
