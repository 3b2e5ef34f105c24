// The browser FileStore's bookkeeping (src/wasm/file_store.h): which facts it asks the host for,
// which operations a finished run hands over, and that an unfinished run leaves nothing behind.
// The host half is tested end to end by the files-*.json API scenarios on the node and sw targets.
#include <gtest/gtest.h>

#include "core/files/attrs.h"
#include "core/util/host_io.h"
#include "wasm/file_store.h"

namespace larder::wasm {
namespace {

using Kind = WasmStore::Op::Kind;

// The need a call throws, as "kind key"; "" when it needs nothing.
template <typename F>
std::string need_of(F&& call) {
  try {
    call();
  } catch (const HostIoNeeded& n) {
    return n.kind + " " + n.key;
  }
  return "";
}

files::FileInfo info(uint64_t size, const std::string& type) {
  files::FileInfo i;
  i.size = size;
  i.modified_unix = 1700000000;
  i.content_type = type;
  return i;
}

TEST(WasmStore, UnknownFactsAreAskedFor) {
  WasmStore s;
  s.begin_attempt();
  EXPECT_EQ(need_of([&] { s.stat("c/r/a.png"); }), "stat c/r/a.png");
  EXPECT_EQ(need_of([&] { s.read("c/r/a.png"); }), "read c/r/a.png");
  s.provide_stat("c/r/a.png", info(10, "image/png"));
  s.provide_stat("c/r/gone.txt", std::nullopt);
  s.begin_attempt();  // the request runs again
  EXPECT_EQ(s.stat("c/r/a.png")->size, 10u);
  EXPECT_EQ(s.stat("c/r/a.png")->content_type, "image/png");
  EXPECT_FALSE(s.stat("c/r/gone.txt"));
  EXPECT_FALSE(s.read("c/r/gone.txt"));  // known missing: no need
  EXPECT_EQ(s.local_path("c/r/a.png"), "c/r/a.png");  // the host streams it
}

TEST(WasmStore, SuppliedContentsAreSliced) {
  WasmStore s;
  s.provide_data("c/r/a.bin", std::string("0123456789"));
  EXPECT_EQ(s.read("c/r/a.bin"), "0123456789");
  EXPECT_EQ(s.read("c/r/a.bin", 3, 4), "3456");
  EXPECT_EQ(s.read("c/r/a.bin", 8, 100), "89");
  EXPECT_EQ(s.read("c/r/a.bin", 20, 1), "");
  s.provide_data("c/r/b.bin", std::nullopt);
  EXPECT_FALSE(s.read("c/r/b.bin"));
  EXPECT_FALSE(s.stat("c/r/b.bin"));
  s.take_ops();  // contents serve one request only
  EXPECT_EQ(need_of([&] { s.read("c/r/a.bin"); }), "read c/r/a.bin");
}

TEST(WasmStore, PutsAreVisibleAtOnceAndHandedOverInOrder) {
  WasmStore s;
  s.begin_attempt();
  s.put("c/r/a.txt", "hello", "text/plain; charset=utf-8", "a.txt");
  EXPECT_EQ(s.stat("c/r/a.txt")->size, 5u);
  EXPECT_EQ(s.read("c/r/a.txt"), "hello");
  EXPECT_FALSE(s.local_path("c/r/a.txt"));  // still only in memory: the core sends the bytes
  auto ops = s.take_ops();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, Kind::Put);
  EXPECT_EQ(ops[0].data, "hello");
  EXPECT_EQ(files::attrs_content_type(ops[0].attrs), "text/plain; charset=utf-8");
  EXPECT_NE(ops[0].attrs.find("\"original-filename\":\"a.txt\""), std::string::npos);
  EXPECT_EQ(s.stat("c/r/a.txt")->size, 5u);  // a settled fact now
  EXPECT_EQ(s.local_path("c/r/a.txt"), "c/r/a.txt");
}

TEST(WasmStore, AnUnfinishedRunLeavesNothing) {
  WasmStore s;
  s.begin_attempt();
  s.put("c/r/a.txt", "x", "text/plain", "");
  s.remove("c/r/old.txt");
  s.begin_attempt();  // the run stopped for a need: it starts over
  EXPECT_TRUE(s.take_ops().empty());
  EXPECT_EQ(need_of([&] { s.stat("c/r/a.txt"); }), "stat c/r/a.txt");
}

TEST(WasmStore, RemovingThisRunsUploadCancelsIt) {
  WasmStore s;
  s.begin_attempt();
  s.put("c/r/a.txt", "x", "text/plain", "");
  s.remove("c/r/a.txt");  // a write that failed before its commit
  EXPECT_FALSE(s.stat("c/r/a.txt"));
  EXPECT_TRUE(s.take_ops().empty());
}

TEST(WasmStore, RemovalsAndPrefixes) {
  WasmStore s;
  s.provide_stat("c/r/a.txt", info(1, "text/plain"));
  s.provide_stat("c/other/b.txt", info(1, "text/plain"));
  s.begin_attempt();
  s.put("c/r/thumbs_a.png/100x100_a.png", "t", "image/png", "");
  s.remove("c/r/a.txt");
  s.remove_prefix("c/r");
  EXPECT_FALSE(s.stat("c/r/a.txt"));
  EXPECT_FALSE(s.stat("c/r/never-seen.txt"));  // under a removed folder: no need
  EXPECT_EQ(s.stat("c/other/b.txt")->size, 1u);
  auto ops = s.take_ops();
  ASSERT_EQ(ops.size(), 2u);  // the put under the removed folder is never done
  EXPECT_EQ(ops[0].kind, Kind::Remove);
  EXPECT_EQ(ops[1].kind, Kind::RemovePrefix);
  EXPECT_EQ(ops[1].key, "c/r");
  // Forgotten, not "missing": the host is asked again (after it carried the removal out).
  EXPECT_EQ(need_of([&] { s.stat("c/r/x.txt"); }), "stat c/r/x.txt");
}

TEST(WasmStore, UnsafeKeysNeverReachTheHost) {
  WasmStore s;
  for (const char* key : {"../etc/passwd", "c/../r", "c//r", "/c/r", "c/.hidden", "c/r\\x", ""}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(need_of([&] { EXPECT_FALSE(s.stat(key)); }), "");
    EXPECT_EQ(need_of([&] { EXPECT_FALSE(s.read(key)); }), "");
    EXPECT_THROW(s.put(key, "x", "text/plain", ""), files::StoreError);
  }
  EXPECT_THROW(s.remove_prefix(".."), files::StoreError);
  EXPECT_THROW(s.list("c"), files::StoreError);
}

}  // namespace
}  // namespace larder::wasm
