// The .attrs sidecar next to every stored file, exactly as PocketBase's local storage driver
// (gocloud's fileblob) writes it: content type, the client's original file name and an MD5.
// Both stores use it — native (native/fs_store) and the browser's (wasm/file_store, whose host
// writes the bytes this makes) — so a storage folder moves between PocketBase and Larder.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace larder::files {

// The sidecar's JSON for `data` stored as `content_type`; `original_name` may be empty. Without
// `data` (an upload the core never held) the MD5 is left out, which readers tolerate.
std::string encode_attrs(std::optional<std::string_view> data, const std::string& content_type,
                         const std::string& original_name);

// The content type a sidecar records; "application/octet-stream" when it is missing, empty or
// damaged (a damaged sidecar only loses the type, never the file).
std::string attrs_content_type(std::string_view attrs_json);

}  // namespace larder::files
