// PageFile: one file of the page store, and — for a database the host persists ("durable") —
// the bookkeeping that turns SQLite's writes into commit records:
//
//   SQLite (through the VFS)          write / truncate / batch ... commit_point()
//   host (through the wasm bindings)  take() → log record   persisted(seq)   rollback()
//
// Every change since the last persisted state is undoable: the first time a block changes in an
// epoch (the span between two take() calls) its before-image is kept. persisted(seq) drops the
// epochs a durable log record covers; rollback() restores the last persisted state when the host
// could not persist (quota, termination), so memory never runs ahead of what recovery would see.
//
// Not thread-safe: the wasm host has one thread, and native tests use one connection at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mem_file.h"
#include "record.h"

namespace larder::pages {

class PageFile {
 public:
  explicit PageFile(bool durable = false);

  bool durable() const { return durable_; }
  const MemFile& data() const { return file_; }
  uint64_t size() const { return file_.size(); }

  // ---- what SQLite does, through the VFS ------------------------------------------------------
  size_t read(uint64_t offset, void* out, size_t n) const { return file_.read(offset, out, n); }
  void write(uint64_t offset, const void* data, size_t n);
  void truncate(uint64_t size);
  // SQLITE_FCNTL_{BEGIN,COMMIT,ROLLBACK}_ATOMIC_WRITE: the writes in between land together or not.
  void begin_batch();
  void commit_batch();
  void rollback_batch();
  // The writer dropped its write lock: what it wrote is committed (or was rolled back by SQLite
  // itself, which rewrites the old pages: then the record just carries them again).
  void commit_point();

  // ---- what the host does -----------------------------------------------------------------------
  // Write transactions that changed this file so far (monotonic, survives rollback()).
  uint64_t commit_count() const { return commit_count_; }
  // Changed since the last commit point (an SQLite write transaction is open).
  bool in_transaction() const { return in_txn_; }

  struct Encoded {
    uint64_t seq = 0;
    std::vector<uint8_t> bytes;
  };
  // The changes committed since the last take(), as log record last_seq()+1; nullopt when
  // nothing changed. Throws std::logic_error inside a write transaction.
  std::optional<Encoded> take();
  // Log records up to `seq` are durable: forget their before-images.
  void persisted(uint64_t seq);
  // Back to the last persisted state: every taken-but-unpersisted record and every change not yet
  // taken is undone. Callers close their SQLite connections first (their caches are stale).
  void rollback();
  // The last persisted state as snapshot persisted_seq() (works while records are in flight).
  Encoded snapshot() const;
  // The current contents as a plain database file (what an export hands out).
  std::vector<uint8_t> contents() const;

  uint64_t last_seq() const { return last_seq_; }            // last record taken
  uint64_t persisted_seq() const { return persisted_seq_; }  // last record the host confirmed
  bool has_unpersisted() const;

  // ---- recovery and import (no SQLite connection may be open) ---------------------------------
  // Replaces everything with a snapshot; false (and nothing changed) if it is not intact.
  bool load_snapshot(const uint8_t* data, size_t n);
  // Applies the next log record; false (nothing changed) unless it is intact, has sequence
  // last_seq()+1 and names the current chain value as its predecessor.
  bool apply_log(const uint8_t* data, size_t n);
  // A whole database file as snapshot last_seq()+1 with a fresh chain value (what an import
  // persists before load_snapshot() makes it current). `chain` must be random and non-zero.
  Encoded encode_replacement(const std::vector<uint8_t>& db, uint32_t chain) const;

  // ---- the same, streamed (big databases never exist twice in wasm memory) --------------------
  // snapshot() as a stream; valid until the file next changes (drain it in one go).
  SnapshotEncoder snapshot_stream() const;
  // encode_replacement() for contents held in another MemFile (an import's staging file).
  SnapshotEncoder replacement_stream(const MemFile& content, uint32_t chain) const;
  // Makes a fully fed decoder's snapshot current; false (nothing changed) if it is not intact.
  bool adopt(SnapshotDecoder& decoder);
  // Makes `content` current as snapshot `seq` with chain value `chain` (an import, once its
  // snapshot is durable).
  void adopt(MemFile&& content, uint64_t seq, uint32_t chain);
  // Moves the contents out, leaving the file empty (an import's staging file).
  MemFile take_contents();

 private:
  struct Epoch {
    uint64_t seq = 0;      // the log record this epoch became; 0 while it is the open one
    uint32_t chain = 0;    // that record's chain value
    uint64_t size_before = 0;
    std::unordered_map<uint32_t, BlockPtr> before;  // first before-image per touched block
  };

  void touch(uint32_t index);  // keeps the before-image of a block about to change
  void reset_epochs();
  uint64_t persisted_size() const;
  BlockSource persisted_source() const;  // blocks of the last persisted state

  bool durable_;
  MemFile file_;
  bool in_txn_ = false;
  uint64_t commit_count_ = 0;
  bool batching_ = false;
  std::vector<std::pair<uint64_t, std::vector<uint8_t>>> batch_;

  std::deque<Epoch> epochs_;  // unpersisted epochs, oldest first; back() is open
  uint64_t last_seq_ = 0;
  uint32_t last_chain_ = 0;
  uint64_t persisted_seq_ = 0;
  uint32_t persisted_chain_ = 0;
};

}  // namespace larder::pages
