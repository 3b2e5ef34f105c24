// Header list helpers.
#include "core/http/headers.h"

#include <algorithm>

namespace larder::http {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string canonical_header_name(std::string_view name) {
  std::string out(name);
  bool up = true;
  for (char& c : out) {
    c = up ? upper(c) : lower(c);
    up = (c == '-');
  }
  return out;
}

std::string_view Headers::get(std::string_view name) const {
  for (const auto& [k, v] : entries_)
    if (iequals(k, name)) return v;
  return {};
}

bool Headers::has(std::string_view name) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return iequals(e.first, name); });
}

std::vector<std::string_view> Headers::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : entries_)
    if (iequals(k, name)) out.push_back(v);
  return out;
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  entries_.emplace_back(std::move(name), std::move(value));
}

void Headers::set_default(std::string name, std::string value) {
  if (!has(name)) entries_.emplace_back(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return iequals(e.first, name); }),
                 entries_.end());
}

}  // namespace larder::http
