// The core's view of one HTTP exchange. Hosts build a Request from their transport (Beast, a
// service-worker FetchEvent, a JS Request object) and write the Response back; nothing here
// knows about sockets.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/http/headers.h"

namespace larder::http {

struct Request {
  std::string method;     // upper-case
  std::string target;     // origin-form request target: raw path + optional "?query"
  Headers headers;
  std::string body;
  std::string remote_ip;  // the transport peer (used for realtime client binding, logs)
  // Uploads the host stored before the call (the wasm host: files never cross the wasm heap;
  // sdk/src/storage/uploads.ts): staged id -> size. Only a multipart file part whose
  // X-Larder-Staged header names one of these is taken as staged; its body is then just the
  // file's first bytes (what the type is sniffed from). Never filled from the network.
  std::map<std::string, uint64_t, std::less<>> staged_uploads;

  std::string_view path() const {  // raw (still percent-encoded) path
    std::string_view t = target;
    return t.substr(0, t.find('?'));
  }
  std::string_view raw_query() const {
    std::string_view t = target;
    size_t q = t.find('?');
    return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
  }
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Non-empty: the body is an SSE stream of this realtime client. The host sends the headers,
  // then pulls frames from App::realtime() (see core/realtime/broker.h) until it closes.
  std::string stream_client;
  // Non-empty: the body is bytes [file_offset, file_offset + file_length) of this file, which
  // the host streams from disk instead of holding them in memory (`body` stays empty). Only a
  // FileStore with local paths (native) produces it; the headers are final, Content-Length
  // excepted.
  std::string file_path;
  uint64_t file_offset = 0;
  uint64_t file_length = 0;
  // File downloads may be embedded anywhere: App::handle then leaves out X-Frame-Options.
  bool allow_framing = false;

  static Response json(int status, std::string body);
  static Response no_content();
};

// Reason phrase for a status code ("Not Found").
std::string_view status_text(int status);

}  // namespace larder::http
