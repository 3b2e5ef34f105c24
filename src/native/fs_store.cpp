// Local file storage (see fs_store.h). Paths are only ever root + a key that passed
// files::is_safe_key, and files are opened with O_NOFOLLOW, so neither a request nor a planted
// symlink in the last component can reach outside the storage root.
#include "native/fs_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/crypto/random.h"
#include "core/files/attrs.h"

namespace larder::native {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kAttrs = ".attrs";

// Owns one file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  // close() reports delayed write errors on some file systems; check it.
  bool close_checked() {
    int fd = fd_;
    fd_ = -1;
    return fd < 0 || ::close(fd) == 0;
  }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw files::StoreError(what + " " + path + ": " + std::strerror(errno));
}

void fsync_dir(const std::string& dir) {
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.ok() || ::fsync(d.get()) != 0) fail("fsync", dir);
}

// mkdir -p below `root` (which exists), fsyncing each parent whose entries changed.
void make_dirs(const std::string& root, std::string_view rel) {
  std::string path = root;
  size_t start = 0;
  while (start < rel.size()) {
    size_t slash = rel.find('/', start);
    std::string_view part = rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    std::string parent = path;
    path += '/';
    path += part;
    if (::mkdir(path.c_str(), 0755) == 0) {
      fsync_dir(parent);
    } else if (errno != EEXIST) {
      fail("mkdir", path);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
}

// Writes `data` to dir/name atomically and durably (temp file, fsync, rename). The directory
// fsync is left to the caller so that a file and its sidecar share one.
void write_file(const std::string& dir, const std::string& name, std::string_view data) {
  // A leading '.' keeps the temporary name out of the key space (keys never start with '.').
  const std::string tmp = dir + "/.tmp-" + crypto::random_lower_alnum(12);
  const std::string final_path = dir + "/" + name;
  Fd f(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!f.ok()) fail("create", tmp);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(f.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::unlink(tmp.c_str());
      fail("write", tmp);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(f.get()) != 0 || !f.close_checked()) {
    ::unlink(tmp.c_str());
    fail("fsync", tmp);
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    fail("rename", final_path);
  }
}

std::optional<std::string> read_all(const std::string& path, uint64_t offset, uint64_t length) {
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!f.ok()) return std::nullopt;
  struct ::stat st {};
  if (::fstat(f.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (offset >= size) return std::string();
  const uint64_t n = std::min(length, size - offset);
  std::string out(static_cast<size_t>(n), '\0');
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(f.get(), out.data() + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    done += static_cast<size_t>(r);
  }
  out.resize(done);
  return out;
}

}  // namespace

FsStore::FsStore(std::string root) : root_(std::move(root)) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec) throw files::StoreError("cannot create " + root_ + ": " + ec.message());
}

std::string FsStore::path_of(const std::string& key) const {
  if (!files::is_safe_key(key)) throw files::StoreError("unsafe storage key");
  return root_ + "/" + key;
}

void FsStore::put(const std::string& key, std::string_view data, const std::string& content_type,
                  const std::string& original_name) {
  path_of(key);  // validates
  const size_t slash = key.rfind('/');
  const std::string rel_dir = slash == std::string::npos ? std::string() : key.substr(0, slash);
  const std::string name = slash == std::string::npos ? key : key.substr(slash + 1);
  if (!rel_dir.empty()) make_dirs(root_, rel_dir);
  const std::string dir = rel_dir.empty() ? root_ : root_ + "/" + rel_dir;
  // Sidecar first: a crash between the two leaves metadata without a file (harmless), never a
  // file served as application/octet-stream.
  write_file(dir, name + std::string(kAttrs), files::encode_attrs(data, content_type, original_name));
  write_file(dir, name, data);
  fsync_dir(dir);
}

void FsStore::remove(const std::string& key) {
  const std::string path = path_of(key);
  ::unlink(path.c_str());
  ::unlink((path + std::string(kAttrs)).c_str());
}

void FsStore::remove_prefix(const std::string& prefix) {
  std::error_code ec;
  fs::remove_all(path_of(prefix), ec);  // remove_all does not follow symlinks
  if (ec) throw files::StoreError("remove " + prefix + ": " + ec.message());
}

std::optional<files::FileInfo> FsStore::stat(const std::string& key) {
  if (!files::is_safe_key(key)) return std::nullopt;
  const std::string path = root_ + "/" + key;
  struct ::stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  files::FileInfo info;
  info.size = static_cast<uint64_t>(st.st_size);
  info.modified_unix = static_cast<int64_t>(st.st_mtim.tv_sec);
  auto attrs = read_all(path + std::string(kAttrs), 0, 1 << 20);
  info.content_type = files::attrs_content_type(attrs ? *attrs : std::string());
  return info;
}

std::optional<std::string> FsStore::read(const std::string& key, uint64_t offset, uint64_t length) {
  if (!files::is_safe_key(key)) return std::nullopt;
  return read_all(root_ + "/" + key, offset, length);
}

std::vector<std::string> FsStore::list(const std::string& prefix) {
  std::vector<std::string> out;
  const std::string base = path_of(prefix);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::string rel = fs::relative(it->path(), root_, ec).generic_string();
    if (ec || !files::is_safe_key(rel)) continue;  // temporaries start with '.'
    if (rel.size() > kAttrs.size() && rel.compare(rel.size() - kAttrs.size(), kAttrs.size(), kAttrs) == 0) continue;
    out.push_back(std::move(rel));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> FsStore::local_path(const std::string& key) {
  if (!files::is_safe_key(key)) return std::nullopt;
  return root_ + "/" + key;
}

}  // namespace larder::native
