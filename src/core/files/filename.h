// Stored names for uploaded files (auth-realtime-files.md §10.2): PocketBase keeps the client's
// base name in snake_case, adds 10 random characters so names never collide or get guessed, and
// keeps (a cleaned) extension, falling back to one derived from the sniffed content type.
#pragma once

#include <string>
#include <string_view>

namespace larder::files {

// `sniffed_mime` is used only when the name has no usable extension.
std::string normalize_filename(std::string_view client_name, std::string_view sniffed_mime);

// PocketBase's inflector.Snakecase: split on runs of non-[A-Za-z0-9] (and '_'), '_' before an
// upper-case letter that follows a non-upper-case one, lower-case everything.
std::string snakecase(std::string_view s);

// The extension including the dot, supporting double extensions (".tar.gz"); "" when none.
std::string extract_extension(std::string_view name);

// True for a name that may address a stored file: non-empty, no path separators or "..", not
// starting with '.', no control characters. Guards every storage key built from request input.
bool is_safe_filename(std::string_view name);

}  // namespace larder::files
