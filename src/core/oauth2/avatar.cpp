// OAuth2 avatar downloads (see avatar.h).
#include "core/oauth2/avatar.h"

#include <cstdio>

namespace larder::oauth2 {

namespace {

constexpr int64_t kTimeoutMs = 10'000;
constexpr uint64_t kMaxBytes = 32u << 20;  // PocketBase's DefaultMaxBodySize

std::nullopt_t skipped(const std::string& why) {
  std::fprintf(stderr, "larder: failed to retrieve the OAuth2 avatar: %s\n", why.c_str());
  return std::nullopt;
}

}  // namespace

std::optional<AvatarFile> download_avatar(net::HttpClient* http, const std::string& url) {
  if (!http) return skipped("this host makes no outgoing requests");
  net::OutRequest req;
  req.method = "GET";
  req.url = url;
  req.timeout_ms = kTimeoutMs;
  req.max_body = kMaxBytes;
  req.follow_redirects = true;
  req.public_only = true;
  net::OutResponse res;
  try {
    res = http->fetch(req);
  } catch (const net::FetchError& e) {
    return skipped(e.what());
  }
  if (res.status < 200 || res.status > 399) return skipped("the server answered " + std::to_string(res.status));
  if (res.body.empty()) return skipped("the answer is empty");
  // The URL is the client file name: the upload path takes Go's Base of it, as PocketBase's
  // path.Base(url) does ("…/photo.jpg?sz=50" -> "photo.jpg?sz=50", then normalised).
  return AvatarFile{url, std::move(res.body)};
}

}  // namespace larder::oauth2
