// OAuth2 avatar downloads (see avatar.h).
#include "core/oauth2/avatar.h"

#include <cstdio>

namespace larder::oauth2 {

namespace {

constexpr int64_t kTimeoutMs = 10'000;
constexpr uint64_t kMaxBytes = 32u << 20;  // PocketBase's DefaultMaxBodySize

// Go's path.Base: the last element after trailing slashes are dropped ("." for "").
std::string go_path_base(std::string_view p) {
  if (p.empty()) return ".";
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  if (p == "/") return "/";
  size_t slash = p.rfind('/');
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

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
  return AvatarFile{go_path_base(url), std::move(res.body)};
}

}  // namespace larder::oauth2
