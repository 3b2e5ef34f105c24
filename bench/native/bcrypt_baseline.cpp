// The bcrypt baseline for bench/auth.mjs: how many bare password checks per second Larder's own
// bcrypt (src/core/crypto) does against the very hash an auth record has stored — the work every
// auth-with-password request cannot avoid — on 1 or more threads, with nothing else around it.
//
//   larder_bench_bcrypt <data.db> <table> <email> <password> <seconds> [threads]
//     prints one JSON line: {"cost":10,"threads":2,"hashesPerSec":123.4}
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto/bcrypt.h"

namespace {

// The stored hash of `email` in `table`, read with a bound parameter.
std::string stored_hash(const char* path, const std::string& table, const char* email) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) throw std::runtime_error("cannot open db");
  std::string quoted = "\"";
  for (char c : table) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  quoted += '"';
  std::string sql = "SELECT password FROM " + quoted + " WHERE email = ?";
  sqlite3_stmt* st = nullptr;
  std::string hash;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) hash = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  if (hash.empty()) throw std::runtime_error("no such record");
  return hash;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s <data.db> <table> <email> <password> <seconds> [threads]\n", argv[0]);
    return 2;
  }
  try {
    const std::string hash = stored_hash(argv[1], argv[2], argv[3]);
    const std::string password = argv[4];
    const double seconds = std::atof(argv[5]);
    const int threads = argc > 6 ? std::atoi(argv[6]) : 1;
    if (!larder::crypto::bcrypt_verify(password, hash)) throw std::runtime_error("the password does not match");
    const int cost = std::atoi(hash.substr(4, 2).c_str());  // "$2a$10$..."

    std::atomic<long> total{0};
    const auto start = std::chrono::steady_clock::now();
    const auto until = start + std::chrono::duration<double>(seconds);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        long n = 0;
        while (std::chrono::steady_clock::now() < until) {
          // The result is checked so the work cannot be optimised away.
          if (!larder::crypto::bcrypt_verify(password, hash)) std::abort();
          ++n;
        }
        total += n;
      });
    for (auto& t : pool) t.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("{\"cost\":%d,\"threads\":%d,\"hashesPerSec\":%.2f}\n", cost, threads,
                static_cast<double>(total) / elapsed);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "larder_bench_bcrypt: %s\n", e.what());
    return 1;
  }
}
