// libFuzzer target: hostile user strings through the whole request path of the core.
//
// Every parser that takes user text (filter, sort, fields, expand, JSON bodies, multipart
// bodies, form values, URL escapes, tokens) is reached the way a client reaches it: through
// App::handle on a copy of PocketBase's own test data. The property checked is the backend's
// promise for bad input: an answer in the error envelope, never a crash (ASan/UBSan catch memory
// and UB errors), never a 5xx, never a body that is not JSON.
//
// Input layout: byte 0 picks the request shape and the caller (guest, user, superuser, or a
// token taken from the input); the rest is split on '\n' into the shape's slots.
//
//   scripts/fuzz [seconds]   builds build/fuzz with clang and runs this target on its corpus.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "core/app/app.h"
#include "core/http/url.h"
#include "core/json/json.h"

namespace fs = std::filesystem;
using namespace larder;

namespace {

std::unique_ptr<App> g_app;
std::vector<std::string> g_tokens;  // "", user, superuser, client (tests/api/vars.json)

const char* const kCollections[] = {"demo1", "demo2", "demo3", "demo4", "users", "clients", "view1", "_superusers"};

std::vector<std::string> split(std::string_view in, size_t max_parts) {
  std::vector<std::string> out;
  while (out.size() + 1 < max_parts) {
    size_t nl = in.find('\n');
    if (nl == std::string_view::npos) break;
    out.emplace_back(in.substr(0, nl));
    in.remove_prefix(nl + 1);
  }
  out.emplace_back(in);
  while (out.size() < max_parts) out.emplace_back();
  return out;
}

[[noreturn]] void fail(const http::Request& req, const http::Response& res, const char* why) {
  std::fprintf(stderr, "%s\n%s %s\n\n%s\n-> %d %s\n", why, req.method.c_str(), req.target.c_str(), req.body.c_str(),
               res.status, res.body.c_str());
  std::abort();
}

void check(const http::Request& req) {
  http::Response res = g_app->handle(req);
  if (res.status >= 500) fail(req, res, "5xx answer to client input");
  // A path with a malformed escape never reaches PocketBase's router: Go's HTTP server answers a
  // plain-text 400, and so do we.
  const bool plain_400 = res.status == 400 && res.body == "400 Bad Request";
  if (!res.body.empty() && !plain_400) {
    try {
      json::parse(res.body);
    } catch (const std::exception&) {
      fail(req, res, "answer is not JSON");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const fs::path src = fs::path(LARDER_SOURCE_DIR) / "tests/fixtures/pocketbase-testdata";
  const fs::path dir = fs::temp_directory_path() / ("larder-fuzz-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(src / "data.db", dir / "data.db");
  AppConfig cfg;
  cfg.data_dir = dir.string();
  cfg.synchronous = "OFF";  // the fuzzer checks answers, not durability
  g_app = std::make_unique<App>(cfg);

  std::ifstream in(fs::path(LARDER_SOURCE_DIR) / "tests/api/vars.json");
  std::stringstream ss;
  ss << in.rdbuf();
  json::Value vars = json::parse(ss.str());
  g_tokens = {"", vars.as_object().find("userToken")->as_string(), vars.as_object().find("suToken")->as_string(),
              vars.as_object().find("clientToken")->as_string()};
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const char* collection = kCollections[(mode >> 2) % std::size(kCollections)];

  http::Request req;
  req.remote_ip = "127.0.0.1";
  std::vector<std::string> parts;
  switch (mode & 3) {
    case 0: {  // list: filter \n sort \n fields \n expand \n page \n perPage
      parts = split(rest, 6);
      req.method = "GET";
      req.target = std::string("/api/collections/") + collection + "/records?filter=" + http::percent_encode(parts[0]) +
                   "&sort=" + http::percent_encode(parts[1]) + "&fields=" + http::percent_encode(parts[2]) +
                   "&expand=" + http::percent_encode(parts[3]) + "&page=" + http::percent_encode(parts[4]) +
                   "&perPage=" + http::percent_encode(parts[5]);
      break;
    }
    case 1: {  // JSON create: body \n query string (raw, may hold bad escapes)
      parts = split(rest, 2);
      req.method = "POST";
      req.target = std::string("/api/collections/") + collection + "/records?" + parts[1];
      req.headers.set("Content-Type", "application/json");
      req.body = parts[0];
      break;
    }
    case 2: {  // multipart create: boundary \n body
      parts = split(rest, 2);
      req.method = "POST";
      req.target = std::string("/api/collections/") + collection + "/records";
      req.headers.set("Content-Type", "multipart/form-data; boundary=" + parts[0]);
      req.body = parts[1];
      break;
    }
    default: {  // a raw target (path + query) with the token from the input: token \n target
      parts = split(rest, 2);
      req.method = (mode & 0x80) ? "PATCH" : "GET";
      req.target = "/" + parts[1];
      if (!parts[0].empty()) req.headers.set("Authorization", parts[0]);
      break;
    }
  }
  if ((mode & 3) != 3) {
    const std::string& token = g_tokens[(mode >> 5) % g_tokens.size()];
    if (!token.empty()) req.headers.set("Authorization", token);
  }
  check(req);
  return 0;
}
