// Downloading an OAuth2 user's avatar for a sign-up whose collection maps `avatarURL` to a file
// field, as PocketBase's safeFileFromURL: GET with a 10 s limit, redirects followed, only public
// addresses (net::OutRequest::public_only: a provider's avatar URL must not make the server
// fetch from its own network), a 2xx/3xx answer, at most 32 MiB, a non-empty body. Any failure
// only means no avatar (PocketBase logs it and signs the user up without one).
#pragma once

#include <optional>
#include <string>

#include "core/net/http_client.h"

namespace larder::oauth2 {

struct AvatarFile {
  std::string name;  // the upload's client file name: the URL (its Go Base is taken on upload)
  std::string data;
};

// nullopt (and a log line) when the avatar cannot be had. May throw HostIoNeeded (the wasm
// host's replay), so it runs before the sign-up writes anything.
std::optional<AvatarFile> download_avatar(net::HttpClient* http, const std::string& url);

}  // namespace larder::oauth2
