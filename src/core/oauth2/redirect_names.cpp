// Apple's redirect names (see redirect_names.h).
#include "core/oauth2/redirect_names.h"

#include "core/json/json.h"
#include "core/oauth2/go_json.h"
#include "core/util/trim.h"

namespace larder::oauth2 {

bool RedirectNames::put_from_user_json(std::string_view code, std::string_view user_json, int64_t now_s) {
  if (user_json.empty() || code.size() > kMaxCodeBytes) return false;
  std::string full;
  try {
    json::Value v = json::parse(user_json);
    // json.Unmarshal into the struct: null is a no-op, other non-objects fail.
    if (!v.is_object() && !v.is_null()) return false;
    const json::Value& name = gojson::object(v, "name");
    full = gojson::str(name, "firstName") + " " + gojson::str(name, "lastName");
  } catch (const json::ParseError&) {
    return false;
  } catch (const gojson::DecodeError&) {
    return false;
  }
  if (full.size() > kMaxNameBytes) full.resize(kMaxNameBytes);
  std::string trimmed(util::trim(full));  // Go's strings.TrimSpace (ASCII is all a name joint has)
  if (trimmed.empty()) return false;

  std::lock_guard lock(mu_);
  if (entries_.size() >= kMaxEntries) prune(now_s);
  if (entries_.size() >= kMaxEntries) return false;
  entries_[std::string(code)] = Entry{std::move(trimmed), now_s + kTtlSeconds};
  return true;
}

std::optional<std::string> RedirectNames::take(std::string_view code, int64_t now_s) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(code));
  if (it == entries_.end()) return std::nullopt;
  Entry e = std::move(it->second);
  entries_.erase(it);
  if (e.until <= now_s) return std::nullopt;
  return std::move(e.name);
}

void RedirectNames::remove(std::string_view code) {
  std::lock_guard lock(mu_);
  entries_.erase(std::string(code));
}

void RedirectNames::prune(int64_t now_s) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.until <= now_s) it = entries_.erase(it);
    else ++it;
  }
}

}  // namespace larder::oauth2
