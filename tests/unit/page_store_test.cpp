// The browser storage engine's C++ half (src/wasm/page_store/), natively: the log format, commit
// records from SQLite's batch-atomic and journal (spill) paths, truncation, rollback when the host
// cannot persist, snapshots taken while records are in flight, recovery from snapshot + log with
// corrupt, missing and stale files, and random transaction sequences checked against SQLite on a
// real file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "wasm/page_store/crc32c.h"
#include "wasm/page_store/image.h"
#include "wasm/page_store/page_store.h"
#include "wasm/page_store/record.h"
#include "wasm/page_store/vfs.h"

namespace {

using namespace larder::pages;
using Bytes = std::vector<uint8_t>;

// ---- helpers -------------------------------------------------------------------------------------

class Db {
 public:
  explicit Db(const std::string& path, const char* vfs = kVfsName) {
    register_vfs();
    int rc = sqlite3_open_v2(path.c_str(), &h_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
    if (rc != SQLITE_OK) throw std::runtime_error("open " + path + ": " + sqlite3_errstr(rc));
  }
  ~Db() { sqlite3_close_v2(h_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  int exec_rc(const std::string& sql) { return sqlite3_exec(h_, sql.c_str(), nullptr, nullptr, nullptr); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(h_, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    if (rc != SQLITE_OK) throw std::runtime_error(sql + ": " + msg);
  }
  // Every row of the first column(s), "|"-separated, rows "\n"-separated.
  std::string query(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(h_));
    std::string out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        if (i) out += '|';
        const unsigned char* t = sqlite3_column_text(st, i);
        out += t ? reinterpret_cast<const char*>(t) : "NULL";
      }
      out += '\n';
    }
    sqlite3_finalize(st);
    return out;
  }
  sqlite3* handle() { return h_; }

 private:
  sqlite3* h_ = nullptr;
};

// What the host keeps in OPFS: numbered log records and snapshots.
struct Disk {
  std::map<uint64_t, Bytes> logs;
  std::map<uint64_t, Bytes> snaps;

  // Takes and "persists" everything committed so far.
  void persist(PageFile& f) {
    auto rec = f.take();
    if (!rec) return;
    logs[rec->seq] = rec->bytes;
    f.persisted(rec->seq);
  }
  // The recovery algorithm of the JS host (sdk/src/storage/recovery.ts): the newest snapshot
  // that loads, then log records in sequence order until the first one that is missing or
  // does not apply. Returns the last sequence number recovered.
  uint64_t recover(PageFile& into) const {
    uint64_t base = 0;
    for (auto it = snaps.rbegin(); it != snaps.rend(); ++it) {
      if (into.load_snapshot(it->second.data(), it->second.size())) {
        base = it->first;
        break;
      }
    }
    uint64_t seq = base;
    for (;;) {
      auto it = logs.find(seq + 1);
      if (it == logs.end() || !into.apply_log(it->second.data(), it->second.size())) break;
      ++seq;
    }
    return seq;
  }
};

std::string unique_path(const std::string& name) {
  static int n = 0;
  return "/unit/" + name + "-" + std::to_string(++n) + ".db";
}

// A fresh durable file in the store, detached at the end of the test.
struct Attached {
  explicit Attached(const std::string& name) : path(unique_path(name)), file(PageStore::instance().attach(path, true)) {}
  ~Attached() { PageStore::instance().detach(path); }
  std::string path;
  PageFile& file;
};

// Recovers `disk` into a new store file and returns its path (detached by the caller's Attached).
Bytes recovered_contents(const Disk& disk, uint64_t* seq = nullptr) {
  PageFile f(true);
  uint64_t s = disk.recover(f);
  if (seq) *seq = s;
  return f.contents();
}

std::string integrity(const std::string& path) {
  Db db(path);
  return db.query("PRAGMA integrity_check");
}

// Opens recovered bytes as a database (in the store) and runs `sql` on it.
std::string query_bytes(const Bytes& bytes, const std::string& sql) {
  std::string path = unique_path("replica");
  PageFile& f = PageStore::instance().attach(path, false);
  f.write(0, bytes.data(), bytes.size());
  std::string out;
  {
    Db db(path);
    out = db.query(sql);
  }
  PageStore::instance().detach(path);
  return out;
}

// ---- format ----------------------------------------------------------------------------------------

TEST(PageStoreCrc, KnownVectorsAndMasking) {
  EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
  EXPECT_EQ(crc32c("", 0), 0u);
  std::string zeros(32, '\0');
  EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);  // RFC 3720 B.4
  // Incremental == one shot, across the 8-byte fast path boundary.
  std::string text = "The quick brown fox jumps over the lazy dog";
  uint32_t a = crc32c_extend(crc32c(text.data(), 13), text.data() + 13, text.size() - 13);
  EXPECT_EQ(a, crc32c(text.data(), text.size()));
  EXPECT_EQ(crc_unmask(crc_mask(a)), a);
  EXPECT_NE(crc_mask(a), a);
}

TEST(PageStoreMemFile, ReadsWritesAcrossBlocksAndZeroesOnRegrowth) {
  MemFile f;
  std::string s(10000, 'x');
  f.write(100, s.data(), s.size());
  EXPECT_EQ(f.size(), 10100u);
  std::string back(200, '?');
  EXPECT_EQ(f.read(0, back.data(), back.size()), 200u);
  EXPECT_EQ(back.substr(0, 100), std::string(100, '\0'));
  EXPECT_EQ(back.substr(100), std::string(100, 'x'));
  EXPECT_EQ(f.read(10000, back.data(), 200), 100u);  // short read at the end
  f.resize(5000);
  f.resize(9000);  // bytes 5000..9000 must read as zeros now
  std::string tail(4000, '?');
  f.read(5000, tail.data(), tail.size());
  EXPECT_EQ(tail, std::string(4000, '\0'));
}

Bytes block_of(char c) { return Bytes(kBlockSize, static_cast<uint8_t>(c)); }

TEST(PageStoreRecord, RoundTripsAndRejectsDamage) {
  std::map<uint32_t, Bytes> blocks = {{0, block_of('a')}, {2, block_of('c')}};
  auto source = [&](uint32_t i) -> const uint8_t* { return blocks.count(i) ? blocks[i].data() : nullptr; };
  Bytes rec = encode_log(7, 3 * kBlockSize - 100, 0x1234, {0, 2}, source);
  auto v = parse_log(rec.data(), rec.size());
  ASSERT_TRUE(v);
  EXPECT_EQ(v->seq, 7u);
  EXPECT_EQ(v->db_size, 3 * kBlockSize - 100);
  EXPECT_EQ(v->prev_chain, 0x1234u);
  EXPECT_EQ(v->count, 2u);
  EXPECT_EQ(v->block_number(1), 2u);
  EXPECT_EQ(v->block_data(1)[0], 'c');
  EXPECT_EQ(v->chain, chain_of(rec));

  for (size_t at : {size_t{0}, size_t{9}, size_t{20}, size_t{41}, rec.size() / 2, rec.size() - 1}) {
    Bytes bad = rec;
    bad[at] ^= 0x40;
    EXPECT_FALSE(parse_log(bad.data(), bad.size())) << "flipped byte " << at;
  }
  for (size_t len : {size_t{0}, size_t{43}, rec.size() - 1, rec.size() - kBlockSize}) {
    EXPECT_FALSE(parse_log(rec.data(), len)) << "truncated to " << len;
  }
  Bytes empty_file;
  EXPECT_FALSE(parse_log(empty_file.data(), 0));
  EXPECT_FALSE(parse_snapshot(rec.data(), rec.size()));  // a log record is not a snapshot

  // Block numbers must lie below the size: a record that claims a block past its own end is
  // refused even with a valid checksum.
  Bytes past = encode_log(1, kBlockSize, 0, {0, 2}, source);
  EXPECT_FALSE(parse_log(past.data(), past.size()));

  Bytes snap = encode_snapshot(9, 2 * kBlockSize + 10, 0xabcd, source);
  auto s = parse_snapshot(snap.data(), snap.size());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->seq, 9u);
  EXPECT_EQ(s->chain, 0xabcdu);
  EXPECT_EQ(s->db_size, 2 * kBlockSize + 10);
  EXPECT_EQ(s->bytes[0], 'a');
  EXPECT_EQ(s->bytes[kBlockSize], 0);
  EXPECT_EQ(s->bytes[2 * kBlockSize], 'c');
  snap[snap.size() / 2] ^= 1;
  EXPECT_FALSE(parse_snapshot(snap.data(), snap.size()));
}

TEST(PageStoreRecord, SnapshotsStreamInAnyChunkSizes) {
  MemFile db;
  std::mt19937 rng(7);
  Bytes content(5 * kBlockSize + 123);
  for (auto& b : content) b = static_cast<uint8_t>(rng());
  db.write(0, content.data(), content.size());
  auto source = [&](uint32_t i) -> const uint8_t* { return db.block(i) ? db.block(i)->data() : nullptr; };
  Bytes whole = encode_snapshot(3, db.size(), 0x77, source);

  for (size_t chunk : {size_t{1}, size_t{7}, size_t{40}, size_t{4096}, size_t{1} << 20}) {
    SnapshotEncoder enc(3, db.size(), 0x77, source);
    EXPECT_EQ(enc.size(), whole.size());
    Bytes streamed;
    std::vector<uint8_t> buf(chunk);
    while (size_t n = enc.next(buf.data(), buf.size())) streamed.insert(streamed.end(), buf.begin(), buf.begin() + n);
    EXPECT_EQ(streamed, whole) << "chunk " << chunk;

    SnapshotDecoder dec;
    for (size_t at = 0; at < whole.size(); at += chunk) ASSERT_TRUE(dec.feed(whole.data() + at, std::min(chunk, whole.size() - at)));
    auto v = dec.finish();
    ASSERT_TRUE(v) << "chunk " << chunk;
    EXPECT_EQ(v->seq, 3u);
    EXPECT_EQ(v->chain, 0x77u);
    Bytes back(static_cast<size_t>(dec.file().size()));
    dec.file().read(0, back.data(), back.size());
    EXPECT_EQ(back, content);
  }

  SnapshotDecoder truncated;
  truncated.feed(whole.data(), whole.size() - 1);
  EXPECT_FALSE(truncated.finish());
  SnapshotDecoder longer;
  Bytes extra = whole;
  extra.push_back(0);
  EXPECT_FALSE(longer.feed(extra.data(), extra.size()) && longer.finish());
  Bytes flipped = whole;
  flipped[kHeaderSize + 5000] ^= 1;
  SnapshotDecoder damaged;
  damaged.feed(flipped.data(), flipped.size());
  EXPECT_FALSE(damaged.finish());
  SnapshotDecoder wrong;
  EXPECT_FALSE(wrong.feed(reinterpret_cast<const uint8_t*>("LARDERLG"), 8) && wrong.feed(whole.data() + 8, 40) && wrong.finish());
}

// ---- commit records from SQLite ------------------------------------------------------------------

TEST(PageStoreCommit, SmallTransactionsArriveAsAtomicBatches) {
  Attached a("batch");
  Disk disk;
  auto& stats = PageStore::instance().stats();
  {
    Db db(a.path);
    db.exec("PRAGMA journal_mode=MEMORY; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    disk.persist(a.file);
    uint64_t batches = stats.atomic_batches;
    uint64_t journals = stats.journal_opens;
    for (int i = 0; i < 20; ++i) db.exec("INSERT INTO t(v) VALUES ('row " + std::to_string(i) + "')");
    EXPECT_EQ(stats.atomic_batches - batches, 20u);
    EXPECT_EQ(stats.journal_opens, journals);
    EXPECT_EQ(a.file.commit_count(), 21u);
    disk.persist(a.file);  // one record for the 20 commits (group commit)
  }
  EXPECT_EQ(disk.logs.size(), 2u);
  Bytes replica = recovered_contents(disk);
  EXPECT_EQ(replica, a.file.contents());
  EXPECT_EQ(query_bytes(replica, "SELECT count(*), max(v) FROM t"), "20|row 9\n");
}

// A transaction larger than the page cache spills pages before COMMIT: with journal_mode=DELETE
// SQLite then writes a real journal (in the store) and commits without a batch; with MEMORY it
// batches the rest. Either way the record holds the committed state.
class PageStoreSpill : public ::testing::TestWithParam<const char*> {};

TEST_P(PageStoreSpill, SpilledTransactionsAndTheirRollbacks) {
  Attached a("spill");
  Disk disk;
  auto& stats = PageStore::instance().stats();
  Db db(a.path);
  db.exec(std::string("PRAGMA journal_mode=") + GetParam() + "; PRAGMA cache_size=8;");
  db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB); INSERT INTO t(v) VALUES (randomblob(100))");
  disk.persist(a.file);
  uint64_t size_before = a.file.size();
  uint64_t journals = stats.journal_opens;

  db.exec("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<400) "
          "INSERT INTO t(v) SELECT randomblob(900) FROM n; COMMIT");
  if (std::string(GetParam()) == "DELETE") {
    EXPECT_GT(stats.journal_opens, journals) << "expected the spill to create a journal";
  }
  disk.persist(a.file);
  EXPECT_EQ(recovered_contents(disk), a.file.contents());
  uint64_t grown = a.file.size();
  EXPECT_GT(grown, size_before);

  // ROLLBACK after a spill: SQLite writes the old pages back and truncates the file. The commit
  // point still produces a record; it carries the old size, so the replica shrinks too.
  db.exec("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<400) "
          "INSERT INTO t(v) SELECT randomblob(900) FROM n;");
  EXPECT_GT(a.file.size(), grown);
  db.exec("ROLLBACK");
  EXPECT_EQ(a.file.size(), grown);
  disk.persist(a.file);
  EXPECT_EQ(recovered_contents(disk), a.file.contents());

  // Shrinking through VACUUM: the record carries the truncation.
  db.exec("DELETE FROM t WHERE id > 10; VACUUM");
  EXPECT_LT(a.file.size(), grown);
  disk.persist(a.file);
  auto last = disk.logs.rbegin()->second;
  EXPECT_EQ(parse_log(last.data(), last.size())->db_size, a.file.size());
  Bytes replica = recovered_contents(disk);
  EXPECT_EQ(replica, a.file.contents());
  EXPECT_EQ(query_bytes(replica, "SELECT count(*) FROM t; "), "10\n");
  EXPECT_EQ(query_bytes(replica, "PRAGMA integrity_check"), "ok\n");
}

INSTANTIATE_TEST_SUITE_P(JournalModes, PageStoreSpill, ::testing::Values("DELETE", "MEMORY", "TRUNCATE", "PERSIST"));

TEST(PageStoreCommit, TakeInsideATransactionIsRefused) {
  Attached a("intxn");
  Db db(a.path);
  db.exec("PRAGMA cache_size=8; CREATE TABLE t(v); BEGIN;");
  db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<300) INSERT INTO t SELECT randomblob(900) FROM n");
  EXPECT_TRUE(a.file.in_transaction());  // spilled pages are in the file, not committed
  EXPECT_THROW(a.file.take(), std::logic_error);
  db.exec("COMMIT");
  EXPECT_FALSE(a.file.in_transaction());
  EXPECT_TRUE(a.file.take());
}

TEST(PageStoreCommit, NothingChangedMeansNoRecord) {
  Attached a("noop");
  Db db(a.path);
  db.exec("CREATE TABLE t(v)");
  ASSERT_TRUE(a.file.take());
  db.exec("SELECT * FROM t; BEGIN IMMEDIATE; COMMIT;");
  EXPECT_FALSE(a.file.take());
}

// ---- persisting fails: roll back ------------------------------------------------------------------

TEST(PageStoreRollback, UndoesEveryUnpersistedRecordAndReusesTheirSequenceNumbers) {
  Attached a("rollback");
  Disk disk;
  auto db = std::make_unique<Db>(a.path);
  db->exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('kept')");
  disk.persist(a.file);
  Bytes persisted = a.file.contents();
  uint64_t seq = a.file.persisted_seq();

  // Record seq+1 is "being written" while more commits (seq+2, not yet taken) pile up; then
  // writing seq+1 fails.
  db->exec("INSERT INTO t(v) VALUES ('lost 1')");
  auto in_flight = a.file.take();
  ASSERT_TRUE(in_flight);
  EXPECT_EQ(in_flight->seq, seq + 1);
  db->exec("INSERT INTO t(v) SELECT 'lost 2' FROM t; CREATE TABLE u(x); DELETE FROM t WHERE v='kept'");
  db.reset();  // the host closes the connection (its page cache is stale after a rollback)
  a.file.rollback();
  EXPECT_EQ(a.file.contents(), persisted);
  EXPECT_EQ(a.file.last_seq(), seq);

  db = std::make_unique<Db>(a.path);
  EXPECT_EQ(db->query("SELECT v FROM t"), "kept\n");
  EXPECT_EQ(db->query("SELECT count(*) FROM sqlite_schema WHERE name='u'"), "0\n");
  db->exec("INSERT INTO t(v) VALUES ('after')");
  auto next = a.file.take();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->seq, seq + 1);  // the failed record's number is reused...
  disk.logs[next->seq] = next->bytes;
  a.file.persisted(next->seq);
  // ...and the failed record can never be replayed: it names the same predecessor but a
  // recovery that found it would have applied it instead. Check the replica.
  EXPECT_EQ(query_bytes(recovered_contents(disk), "SELECT v FROM t ORDER BY id"), "kept\nafter\n");
}

TEST(PageStoreRollback, RestoresTruncatedAndGrownFiles) {
  Attached a("rollback-size");
  Disk disk;
  auto db = std::make_unique<Db>(a.path);
  db->exec("CREATE TABLE t(v BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<200) "
           "INSERT INTO t SELECT randomblob(2000) FROM n");
  disk.persist(a.file);
  Bytes big = a.file.contents();
  db->exec("DELETE FROM t; VACUUM");  // shrinks
  ASSERT_LT(a.file.size(), big.size());
  ASSERT_TRUE(a.file.take());
  db->exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<400) "
           "INSERT INTO t SELECT randomblob(2000) FROM n");  // grows past the original
  ASSERT_GT(a.file.size(), big.size());
  db.reset();
  a.file.rollback();
  EXPECT_EQ(a.file.contents(), big);
  EXPECT_EQ(integrity(a.path), "ok\n");
}

// ---- snapshots and recovery ------------------------------------------------------------------------

TEST(PageStoreSnapshot, IsThePersistedStateEvenWithRecordsInFlight) {
  Attached a("snap");
  Disk disk;
  Db db(a.path);
  db.exec("CREATE TABLE t(v); INSERT INTO t VALUES (1)");
  disk.persist(a.file);
  db.exec("INSERT INTO t VALUES (2)");
  disk.persist(a.file);
  Bytes persisted = a.file.contents();
  uint64_t seq = a.file.persisted_seq();

  db.exec("INSERT INTO t VALUES (3); CREATE TABLE big(b); INSERT INTO big VALUES (randomblob(50000))");
  auto in_flight = a.file.take();  // not yet persisted
  db.exec("DELETE FROM t");        // not yet taken
  auto snap = a.file.snapshot();
  EXPECT_EQ(snap.seq, seq);
  PageFile restored(true);
  ASSERT_TRUE(restored.load_snapshot(snap.bytes.data(), snap.bytes.size()));
  EXPECT_EQ(restored.contents(), persisted);
  // The in-flight record applies on top of the snapshot (the chain continues).
  ASSERT_TRUE(restored.apply_log(in_flight->bytes.data(), in_flight->bytes.size()));
  EXPECT_EQ(query_bytes(restored.contents(), "SELECT v FROM t"), "1\n2\n3\n");
}

TEST(PageStoreRecovery, NewestValidSnapshotThenTheLogUpToTheFirstGapOrDamage) {
  Attached a("recovery");
  Disk disk;
  Db db(a.path);
  db.exec("CREATE TABLE t(v)");
  disk.persist(a.file);
  std::map<uint64_t, std::string> expect;  // seq → rows visible after it
  for (int i = 1; i <= 12; ++i) {
    db.exec("INSERT INTO t VALUES (" + std::to_string(i) + ")");
    disk.persist(a.file);
    expect[a.file.persisted_seq()] = db.query("SELECT group_concat(v) FROM t");
    if (i == 4 || i == 8) {
      auto snap = a.file.snapshot();
      disk.snaps[snap.seq] = snap.bytes;
    }
  }
  auto rows_after = [&](const Disk& d) {
    uint64_t seq = 0;
    Bytes bytes = recovered_contents(d, &seq);
    return std::make_pair(seq, query_bytes(bytes, "SELECT group_concat(v) FROM t"));
  };
  uint64_t last = a.file.persisted_seq();
  EXPECT_EQ(rows_after(disk), std::make_pair(last, expect[last]));

  // A corrupt record stops replay before it, even though later ones are intact.
  Disk corrupt = disk;
  corrupt.logs[last - 2][100] ^= 0xff;
  EXPECT_EQ(rows_after(corrupt), std::make_pair(last - 3, expect[last - 3]));

  // A missing record (a gap) stops replay too.
  Disk gap = disk;
  gap.logs.erase(last - 1);
  EXPECT_EQ(rows_after(gap), std::make_pair(last - 2, expect[last - 2]));

  // An empty file, what a write killed before close() can leave: stop there.
  Disk empty = disk;
  empty.logs[last] = {};
  EXPECT_EQ(rows_after(empty), std::make_pair(last - 1, expect[last - 1]));

  // A damaged newest snapshot: the older one plus its log takes over.
  Disk bad_snap = disk;
  bad_snap.snaps.rbegin()->second[60] ^= 1;
  EXPECT_EQ(rows_after(bad_snap), std::make_pair(last, expect[last]));

  // Logs a snapshot covers can be deleted.
  Disk compacted = disk;
  uint64_t newest = compacted.snaps.rbegin()->first;
  for (auto it = compacted.logs.begin(); it != compacted.logs.end();) {
    it = it->first <= newest ? compacted.logs.erase(it) : std::next(it);
  }
  compacted.snaps.erase(compacted.snaps.begin());
  EXPECT_EQ(rows_after(compacted), std::make_pair(last, expect[last]));

  // A record from another history (right number, valid checksum, other predecessor) never
  // applies: what a stale file left by an earlier database would look like.
  Attached other("recovery-other");
  Disk other_disk;
  {
    Db odb(other.path);
    odb.exec("CREATE TABLE t(v)");
    other_disk.persist(other.file);
    for (int i = 0; i < 20; ++i) {
      odb.exec("INSERT INTO t VALUES ('other')");
      other_disk.persist(other.file);
    }
  }
  Disk spliced = disk;
  spliced.logs[last - 1] = other_disk.logs.at(last - 1);
  EXPECT_EQ(rows_after(spliced), std::make_pair(last - 2, expect[last - 2]));
}

// ---- imports -----------------------------------------------------------------------------------------

TEST(PageStoreImport, AStagedDatabaseBecomesCurrentAfterItsSnapshot) {
  Attached a("adopt");
  Disk disk;
  {
    Db db(a.path);
    db.exec("CREATE TABLE old(v); INSERT INTO old VALUES ('old')");
  }
  disk.persist(a.file);
  Attached other("adopt-src");
  {
    Db db(other.path);
    db.exec("CREATE TABLE t(v); INSERT INTO t VALUES ('imported')");
  }
  uint32_t chain = 0xfeed;
  SnapshotEncoder enc = a.file.replacement_stream(other.file.data(), chain);
  Bytes snap(static_cast<size_t>(enc.size()));
  enc.next(snap.data(), snap.size());
  EXPECT_EQ(enc.seq(), a.file.last_seq() + 1);
  disk.snaps[enc.seq()] = snap;
  a.file.adopt(other.file.take_contents(), enc.seq(), chain);
  EXPECT_EQ(other.file.size(), 0u);
  {
    Db db(a.path);
    EXPECT_EQ(db.query("SELECT v FROM t"), "imported\n");
    db.exec("INSERT INTO t VALUES ('after')");
  }
  disk.persist(a.file);
  // Recovery: the import snapshot, then the record written on top of it; the old database's
  // records (numbered below the snapshot) are ignored.
  EXPECT_EQ(query_bytes(recovered_contents(disk), "SELECT group_concat(v) FROM t"), "imported,after\n");
}

TEST(PageStoreImport, AcceptsSqliteFilesAndNormalisesWal) {
  std::string dir = std::filesystem::temp_directory_path() / ("larder-import-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = dir + "/wal.db";
  {
    Db db(path, nullptr);
    db.exec("PRAGMA journal_mode=WAL; CREATE TABLE t(v); INSERT INTO t VALUES ('from wal'); PRAGMA wal_checkpoint(TRUNCATE);");
  }
  std::ifstream in(path, std::ios::binary);
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes[18], 2);
  EXPECT_EQ(prepare_import(bytes), "");
  EXPECT_EQ(bytes[18], 1);
  EXPECT_EQ(query_bytes(bytes, "SELECT v FROM t"), "from wal\n");

  Attached a("import");
  auto snap = a.file.encode_replacement(bytes, 0x5eed);
  EXPECT_EQ(snap.seq, 1u);
  ASSERT_TRUE(a.file.load_snapshot(snap.bytes.data(), snap.bytes.size()));
  EXPECT_EQ(a.file.contents(), bytes);

  Bytes junk(4096, 'j');
  EXPECT_NE(prepare_import(junk), "");
  Bytes cut(bytes.begin(), bytes.begin() + 1000);
  EXPECT_NE(prepare_import(cut), "");
  Bytes damaged = bytes;
  for (size_t i = 4096; i < 4096 + 300; ++i) damaged[i] = 0xff;  // page 2: not a b-tree page any more
  EXPECT_NE(prepare_import(damaged), "");
  std::filesystem::remove_all(dir);
}

// ---- random transaction sequences against SQLite on a real file -----------------------------------

// Runs the same random statements on a file-based database (the reference) and on the page store,
// persists at random points (sometimes failing: the page store rolls back, the reference is
// restored from its copy at the last persisted point), takes snapshots, and checks that recovery
// from the "disk" always yields the reference's content and an intact database.
TEST(PageStoreFuzz, RandomTransactionsMatchAFileBasedReference) {
  std::string dir = std::filesystem::temp_directory_path() / ("larder-fuzz-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const char* modes[] = {"MEMORY", "DELETE"};
  int rounds = 0;
  for (unsigned seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    std::string ref_path = dir + "/ref-" + std::to_string(seed) + ".db";
    std::filesystem::remove(ref_path);
    Attached a("fuzz");
    Disk disk;
    std::string setup = std::string("PRAGMA journal_mode=") + modes[seed % 2] + "; PRAGMA cache_size=" +
                        std::to_string(seed % 3 == 0 ? 5 : 200) + ";";
    auto ref = std::make_unique<Db>(ref_path, nullptr);
    auto mem = std::make_unique<Db>(a.path);
    ref->exec("PRAGMA journal_mode=DELETE");
    mem->exec(setup);
    std::string schema = "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v BLOB); CREATE INDEX tk ON t(k);";
    ref->exec(schema);
    mem->exec(schema);
    disk.persist(a.file);
    std::filesystem::copy_file(ref_path, ref_path + ".persisted", std::filesystem::copy_options::overwrite_existing);

    for (int step = 0; step < 150; ++step, ++rounds) {
      // One transaction of random statements; the same SQL text on both sides. Blobs come from
      // zeroblob/printf so both sides write identical values.
      std::string sql = "BEGIN;";
      int n = 1 + pick(6);
      for (int i = 0; i < n; ++i) {
        int k = pick(1000);
        switch (pick(6)) {
          case 0:
          case 1:
            sql += "INSERT INTO t(k, v) VALUES (" + std::to_string(k) + ", zeroblob(" + std::to_string(pick(3000)) + ") || x'" +
                   (k % 2 ? "ab" : "cd") + "');";
            break;
          case 2:
            sql += "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + std::to_string(1 + pick(150)) +
                   ") INSERT INTO t(k, v) SELECT i*" + std::to_string(k) + ", printf('%.*c', 700, 'z') FROM n;";
            break;
          case 3:
            sql += "UPDATE t SET v = printf('%d-%d', id, k) WHERE k % 7 = " + std::to_string(k % 7) + ";";
            break;
          case 4:
            sql += "DELETE FROM t WHERE k % 5 = " + std::to_string(k % 5) + ";";
            break;
          default:
            sql += "DELETE FROM t WHERE id IN (SELECT id FROM t ORDER BY id LIMIT " + std::to_string(pick(50)) + ");";
        }
      }
      bool rollback = pick(8) == 0;
      sql += rollback ? "ROLLBACK;" : "COMMIT;";
      ref->exec(sql);
      mem->exec(sql);
      if (pick(25) == 0) {
        ref->exec("VACUUM");
        mem->exec("VACUUM");
      }

      int action = pick(10);
      if (action < 5) {
        disk.persist(a.file);
        ref.reset();
        std::filesystem::copy_file(ref_path, ref_path + ".persisted", std::filesystem::copy_options::overwrite_existing);
        ref = std::make_unique<Db>(ref_path, nullptr);
      } else if (action == 5) {
        // Persisting fails: both sides go back to the last persisted state.
        (void)a.file.take();
        mem.reset();
        a.file.rollback();
        mem = std::make_unique<Db>(a.path);
        mem->exec(setup);
        ref.reset();
        std::filesystem::copy_file(ref_path + ".persisted", ref_path, std::filesystem::copy_options::overwrite_existing);
        ref = std::make_unique<Db>(ref_path, nullptr);
      } else if (action == 6) {
        auto snap = a.file.snapshot();
        disk.snaps[snap.seq] = snap.bytes;
        for (auto it = disk.logs.begin(); it != disk.logs.end();) {
          it = it->first <= snap.seq ? disk.logs.erase(it) : std::next(it);
        }
      }
      const std::string q = "SELECT count(*), coalesce(sum(k),0), coalesce(sum(length(v)),0), coalesce(max(id),0) FROM t";
      ASSERT_EQ(mem->query(q), ref->query(q)) << "seed " << seed << " step " << step;
      if (step % 10 == 9 || action == 5) {
        // Recovery sees exactly the persisted state.
        Bytes replica = recovered_contents(disk);
        Db persisted_ref(ref_path + ".persisted", nullptr);
        ASSERT_EQ(query_bytes(replica, q), persisted_ref.query(q)) << "seed " << seed << " step " << step;
        ASSERT_EQ(query_bytes(replica, "PRAGMA integrity_check"), "ok\n");
      }
    }
    ASSERT_EQ(mem->query("PRAGMA integrity_check"), "ok\n");
  }
  EXPECT_EQ(rounds, 900);
  std::filesystem::remove_all(dir);
}

}  // namespace
