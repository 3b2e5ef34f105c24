// Files: upload name normalisation, thumb sizes, storage keys, Range parsing, the native
// FileStore, thumbnails, and hostile input through the whole App (traversal, truncated
// multipart, oversized uploads, decompression bombs) — with the storage folder checked after.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/app/app.h"
#include "core/files/filename.h"
#include "core/files/serve.h"
#include "core/files/store.h"
#include "core/files/thumb.h"
#include "core/json/json.h"
#include "native/fs_store.h"

namespace fs = std::filesystem;
using namespace larder;

namespace {

bool matches(const std::string& s, const char* re) { return std::regex_match(s, std::regex(re)); }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh temporary directory, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("larder-files-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// A PNG that only claims to be w x h (signature + IHDR, no pixel data).
std::string png_header(uint32_t w, uint32_t h) {
  std::string s("\x89PNG\r\n\x1a\n", 8);
  auto be32 = [&](uint32_t v) {
    for (int i = 3; i >= 0; --i) s += static_cast<char>((v >> (i * 8)) & 0xFF);
  };
  be32(13);
  s += "IHDR";
  be32(w);
  be32(h);
  s += std::string("\x08\x02\x00\x00\x00", 5);
  be32(0);  // CRC (stb does not check it)
  return s;
}

}  // namespace

TEST(Filename, NormalizesLikePocketBase) {
  EXPECT_TRUE(matches(files::normalize_filename("My File (1).png", "image/png"), "my_file_1_[a-z0-9]{10}\\.png"));
  EXPECT_TRUE(matches(files::normalize_filename("myTestDB.txt", ""), "my_test_db_[a-z0-9]{10}\\.txt"));
  EXPECT_TRUE(matches(files::normalize_filename("archive.tar.gz", ""), "archive_[a-z0-9]{10}\\.tar\\.gz"));
  EXPECT_TRUE(matches(files::normalize_filename("a.b.c.png", ""), "a_b_[a-z0-9]{10}\\.c\\.png"));
  // Short base: 10 random characters appended before the suffix.
  EXPECT_TRUE(matches(files::normalize_filename("x.PNG", ""), "x[a-z0-9]{10}_[a-z0-9]{10}\\.PNG"));
  // No extension: from the sniffed type.
  EXPECT_TRUE(matches(files::normalize_filename("photo", "image/jpeg"), "photo_[a-z0-9]{10}\\.jpg"));
  EXPECT_TRUE(matches(files::normalize_filename("photo", "application/x-unknown"), "photo_[a-z0-9]{10}"));
  // Long names: base cut at 100, extension to its last 20 characters (plus the dot).
  std::string n = files::normalize_filename(std::string(400, 'a') + "." + std::string(30, 'e'), "");
  EXPECT_TRUE(matches(n, "a{100}_[a-z0-9]{10}\\.e{20}")) << n;
  // Whatever comes in, the result is one safe key component.
  for (const char* hostile : {"../../etc/passwd", "..", ".", "/", "a/../../b.png", "\\..\\x.txt", "....", "a\x01b.txt"})
    EXPECT_TRUE(files::is_safe_key_component(files::normalize_filename(hostile, ""))) << hostile;
}

TEST(ThumbSize, Grammar) {
  auto t = files::parse_thumb_size("100x50t");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->width, 100);
  EXPECT_EQ(t->height, 50);
  EXPECT_EQ(t->mode, 't');
  EXPECT_TRUE(files::parse_thumb_size("0x50"));
  EXPECT_TRUE(files::parse_thumb_size("70x0"));
  EXPECT_TRUE(files::parse_thumb_size("70x50b"));
  EXPECT_TRUE(files::parse_thumb_size("70x50f"));
  for (const char* bad : {"", "0x0", "0x0t", "x50", "50x", "50x50z", "50x50tt", "-1x5", "5x-1", "50X50", " 50x50",
                          "99999999999999999999x1", "9000x1", "../70x50", "70x50/..", "1e3x5"})
    EXPECT_FALSE(files::parse_thumb_size(bad)) << bad;
}

TEST(StorageKey, RefusesTraversal) {
  EXPECT_EQ(files::storage_key({"c1", "r1", "a.png"}).value(), "c1/r1/a.png");
  EXPECT_TRUE(files::is_safe_key("c1/r1/thumbs_a.png/100x100_a.png"));
  for (const char* bad : {"", ".", "..", "../x", "a/../b", "a//b", "/abs", "a/", "a\\b", ".hidden", "a/.attrs"})
    EXPECT_FALSE(files::is_safe_key(bad)) << bad;
  EXPECT_FALSE(files::is_safe_key(std::string("a\0b", 3)));
  EXPECT_FALSE(files::storage_key({"c1", "..", "x"}));
  EXPECT_FALSE(files::storage_key({"c1", "r1", "a/b"}));
  EXPECT_FALSE(files::storage_key({"c1", "r1", std::string(256, 'a')}));
}

TEST(Serve, RangesLikeGo) {
  std::vector<files::ByteRange> r;
  EXPECT_EQ(files::parse_range("", 10, r), files::RangeResult::None);
  EXPECT_EQ(files::parse_range("bytes=0-3", 10, r), files::RangeResult::Ok);
  EXPECT_EQ(r[0].start, 0u);
  EXPECT_EQ(r[0].length, 4u);
  EXPECT_EQ(files::parse_range("bytes=-3", 10, r), files::RangeResult::Ok);
  EXPECT_EQ(r[0].start, 7u);
  EXPECT_EQ(files::parse_range("bytes=5-100", 10, r), files::RangeResult::Ok);
  EXPECT_EQ(r[0].length, 5u);
  EXPECT_EQ(files::parse_range("bytes=10-", 10, r), files::RangeResult::NoOverlap);
  EXPECT_EQ(files::parse_range("bytes=5-4", 10, r), files::RangeResult::Invalid);
  EXPECT_EQ(files::parse_range("items=0-1", 10, r), files::RangeResult::Invalid);
  EXPECT_EQ(files::parse_range("bytes=a-b", 10, r), files::RangeResult::Invalid);
  EXPECT_EQ(files::parse_range("bytes=99999999999999999999-", 10, r), files::RangeResult::Invalid);
  EXPECT_EQ(files::http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(files::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").value(), 784111777);
  EXPECT_EQ(files::served_content_type("a.svg", "text/xml"), "image/svg+xml");
  EXPECT_TRUE(files::inline_content_type("image/png"));
  EXPECT_FALSE(files::inline_content_type("image/svg+xml"));
}

TEST(FsStore, PutReadListRemove) {
  TempDir dir;
  native::FsStore store((dir.path / "storage").string());
  store.put("c1/r1/a.txt", "hello", "text/plain; charset=utf-8", "A.txt");
  EXPECT_EQ(store.read("c1/r1/a.txt").value(), "hello");
  EXPECT_EQ(store.read("c1/r1/a.txt", 1, 3).value(), "ell");
  auto info = store.stat("c1/r1/a.txt");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 5u);
  EXPECT_EQ(info->content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(slurp(dir.path / "storage/c1/r1/a.txt.attrs"),
            R"({"user.cache_control":"","user.content_disposition":"","user.content_encoding":"","user.content_language":"","user.content_type":"text/plain; charset=utf-8","user.metadata":{"original-filename":"A.txt"},"md5":"XUFAKrxLKna5cZ2REBfFkg=="})");
  store.put("c1/r1/thumbs_a.txt/1x1_a.txt", "t", "image/png", "");
  EXPECT_EQ(store.list("c1"), (std::vector<std::string>{"c1/r1/a.txt", "c1/r1/thumbs_a.txt/1x1_a.txt"}));
  EXPECT_THROW(store.put("../escape.txt", "x", "text/plain", ""), files::StoreError);
  EXPECT_THROW(store.put("c1/../../escape.txt", "x", "text/plain", ""), files::StoreError);
  EXPECT_FALSE(store.read("../storage/c1/r1/a.txt"));
  EXPECT_FALSE(fs::exists(dir.path / "escape.txt"));
  store.remove_prefix("c1/r1");
  EXPECT_TRUE(store.list("c1").empty());
  EXPECT_FALSE(store.exists("c1/r1/a.txt"));
}

TEST(Thumb, MakesEachSizeFromTheFixture) {
  std::string png = slurp(fs::path(LARDER_FIXTURES_DIR) / "pocketbase-testdata/storage/_pb_users_auth_/4q1xlclmfloku33/300_1SEi6Q6U72.png");
  ASSERT_FALSE(png.empty());
  struct Case { const char* size; int w, h; };
  for (Case c : {Case{"70x50", 70, 50}, Case{"70x50t", 70, 50}, Case{"70x50b", 70, 50}, Case{"70x50f", 50, 50},
                 Case{"0x50", 50, 50}, Case{"70x0", 70, 70}, Case{"600x600f", 300, 300}}) {
    auto t = files::make_thumb(png, *files::parse_thumb_size(c.size));
    ASSERT_TRUE(t) << c.size;
    EXPECT_EQ(t->content_type, "image/png");
    auto info = files::probe_image(t->data);
    ASSERT_TRUE(info) << c.size;
    EXPECT_EQ(info->width, c.w) << c.size;
    EXPECT_EQ(info->height, c.h) << c.size;
  }
}

TEST(Thumb, RefusesDecompressionBombsAndJunk) {
  // 20000x20000: stb itself refuses it at the header (over 2^30 bytes); no decode either way.
  EXPECT_FALSE(files::make_thumb(png_header(20000, 20000), {100, 100, 0}));
  // 10000x10000 passes stb's header check, so our pixel limit is what stops it.
  std::string bomb = png_header(10000, 10000);
  auto info = files::probe_image(bomb);
  ASSERT_TRUE(info);  // the header is read...
  EXPECT_EQ(info->width, 10000);
  EXPECT_GT(static_cast<long long>(info->width) * info->height, files::kMaxDecodePixels);
  EXPECT_FALSE(files::make_thumb(bomb, {100, 100, 0}));  // ...but never decoded
  EXPECT_FALSE(files::make_thumb(png_header(4, 4), {2, 2, 0}));  // truncated: no pixel data
  EXPECT_FALSE(files::make_thumb("GIF89a", {2, 2, 0}));
  EXPECT_FALSE(files::make_thumb("", {2, 2, 0}));
  EXPECT_FALSE(files::make_thumb("RIFF\x10\x00\x00\x00WEBPVP8 ", {2, 2, 0}));  // WebP: original served
}

// The whole request path against a copy of PocketBase's test data, checking the disk after.
class FilesApp : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<App> app;
  std::string su_token;

  void SetUp() override {
    fs::copy(fs::path(LARDER_FIXTURES_DIR) / "pocketbase-testdata", dir.path / "pb", fs::copy_options::recursive);
    AppConfig cfg;
    cfg.data_dir = (dir.path / "pb").string();
    app = std::make_unique<App>(cfg);
    app->set_file_store(std::make_unique<native::FsStore>((dir.path / "pb/storage").string()));
    json::Value vars = json::parse(slurp(fs::path(LARDER_FIXTURES_DIR) / "../api/vars.json"));
    su_token = vars.as_object().find("suToken")->as_string();
  }

  http::Response send(std::string method, std::string target, std::string body = {}, std::string content_type = {}) {
    http::Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers.add("Authorization", su_token);
    if (!content_type.empty()) r.headers.add("Content-Type", content_type);
    r.body = std::move(body);
    return app->handle(r);
  }

  std::vector<std::string> demo1_files() {
    std::vector<std::string> out;
    for (auto& e : fs::recursive_directory_iterator(dir.path / "pb/storage/wsmn24bux7wo113")) out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::string multipart(const std::string& field, const std::string& filename, const std::string& data) {
  return "--B\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + "\r\n--B--\r\n";
}

TEST_F(FilesApp, HostileInputWritesNothing) {
  const auto before = demo1_files();
  const std::string ct = "multipart/form-data; boundary=B";

  // Truncated multipart body: 400, nothing stored.
  std::string body = multipart("file_one", "a.txt", "hello");
  EXPECT_EQ(send("POST", "/api/collections/demo1/records", body.substr(0, body.size() - 12), ct).status, 400);
  // Over maxSize (5 MiB): the field error, nothing stored.
  http::Response big = send("POST", "/api/collections/demo1/records", multipart("file_one", "big.bin", std::string(5242881, 'x')), ct);
  EXPECT_EQ(big.status, 400);
  EXPECT_NE(big.body.find("validation_file_size_limit"), std::string::npos);
  // Traversal in the download path and the thumb parameter: 404 / original, nothing made.
  EXPECT_EQ(send("GET", "/api/files/demo1/84nmscqy84lsi1t/..%2F..%2Fdata.db").status, 404);
  EXPECT_EQ(send("GET", "/api/files/demo1/..%2F..%2F/data.db").status, 404);
  EXPECT_EQ(send("GET", "/api/files/demo1/84nmscqy84lsi1t/300_WlbFWSGmW9.png?thumb=..%2F..%2Fx").status, 200);
  EXPECT_EQ(demo1_files(), before);

  // A decompression bomb is stored (it is a valid upload) but its thumb is never decoded.
  http::Response up = send("POST", "/api/collections/demo1/records", multipart("file_many", "bomb.png", png_header(20000, 20000)), ct);
  ASSERT_EQ(up.status, 200) << up.body;
  json::Value rec = json::parse(up.body);
  const std::string id = rec.as_object().find("id")->as_string();
  const std::string name = rec.as_object().find("file_many")->as_array()[0].as_string();
  http::Response thumb = send("GET", "/api/files/demo1/" + id + "/" + name + "?thumb=100x100");
  EXPECT_EQ(thumb.status, 200);
  EXPECT_EQ(thumb.headers.get("Content-Disposition"), "inline; filename=" + name);  // the original
  EXPECT_FALSE(fs::exists(dir.path / "pb/storage/wsmn24bux7wo113" / id / ("thumbs_" + name) / ("100x100_" + name)));

  // A client path in the file name never leaves the record folder.
  http::Response trav = send("POST", "/api/collections/demo1/records", multipart("file_one", "../../../../tmp/evil.txt", "x"), ct);
  ASSERT_EQ(trav.status, 200) << trav.body;
  json::Value t = json::parse(trav.body);
  EXPECT_TRUE(matches(t.as_object().find("file_one")->as_string(), "evil_[a-z0-9]{10}\\.txt"));

  // Deleting the record removes its folder.
  EXPECT_EQ(send("DELETE", "/api/collections/demo1/records/" + id).status, 204);
  EXPECT_FALSE(fs::exists(dir.path / "pb/storage/wsmn24bux7wo113" / id));
}
