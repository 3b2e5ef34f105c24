// Upload name normalisation.
#include "core/files/filename.h"

#include <cctype>

#include "core/crypto/random.h"
#include "core/files/mime.h"

namespace larder::files {

namespace {

bool is_word(unsigned char c) { return std::isalnum(c) || c == '_'; }
bool is_ascii_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

std::string snakecase(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    // Skip a separator run: anything that is not [A-Za-z0-9] (Go's \W is ASCII) or an underscore.
    while (i < s.size() && !(std::isalnum(static_cast<unsigned char>(s[i])))) ++i;
    size_t start = i;
    while (i < s.size() && std::isalnum(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) continue;
    if (!out.empty()) out += '_';
    for (size_t k = start; k < i; ++k) {
      unsigned char c = static_cast<unsigned char>(s[k]);
      if (is_ascii_upper(c) && k > start && !is_ascii_upper(static_cast<unsigned char>(s[k - 1]))) out += '_';
      out += static_cast<char>(std::tolower(c));
    }
  }
  return out;
}

std::string extract_extension(std::string_view name) {
  size_t last = name.rfind('.');
  if (last == std::string_view::npos) return {};
  size_t prev = last == 0 ? std::string_view::npos : name.rfind('.', last - 1);
  size_t from = prev != std::string_view::npos ? prev : last;
  return std::string(name.substr(from));
}

std::string normalize_filename(std::string_view name, std::string_view sniffed_mime) {
  if (name.size() > 300) name = name.substr(name.size() - 300);

  std::string original_ext = extract_extension(name);
  std::string clean;
  for (char c : original_ext) {
    unsigned char u = static_cast<unsigned char>(c);
    if (is_word(u) || c == '.' || c == '*' || c == '-' || c == '+' || c == '=' || c == '#') clean += c;
  }
  size_t b = clean.find_first_not_of('.');
  size_t e = clean.find_last_not_of('.');
  clean = b == std::string::npos ? std::string() : clean.substr(b, e - b + 1);
  std::string ext = "." + clean;
  if (ext == ".") ext = extension_for_mime(sniffed_mime);
  if (ext.size() > 20) {
    std::string tail = ext.substr(ext.size() - 20);
    size_t tb = tail.find_first_not_of('.');
    ext = "." + (tb == std::string::npos ? std::string() : tail.substr(tb));
  }

  std::string_view base = name.substr(0, name.size() - original_ext.size());
  while (!base.empty() && base.front() == '.') base.remove_prefix(1);
  while (!base.empty() && base.back() == '.') base.remove_suffix(1);
  std::string clean_name = snakecase(base);
  if (clean_name.size() < 3) clean_name += crypto::random_lower_alnum(10);
  else if (clean_name.size() > 100) clean_name.resize(100);
  return clean_name + "_" + crypto::random_lower_alnum(10) + ext;
}

bool is_safe_filename(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '.') return false;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || u < 0x20 || u == 0x7F) return false;
  }
  return name.find("..") == std::string_view::npos;
}

}  // namespace larder::files
