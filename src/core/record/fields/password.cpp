// password fields (PocketBase's field_password.go). The plaintext of a request lives only in
// Draft::plain_passwords: validation (min/max/pattern) runs on it, and before_save replaces the
// record value with its bcrypt hash. Until then the record value keeps the stored hash, so a
// draft never holds a plaintext where record output could pick it up.
#include "core/crypto/bcrypt.h"
#include "core/record/fields/common.h"

namespace larder::record::fields {

namespace {

constexpr size_t kBcryptMaxBytes = 72;  // bcrypt refuses longer input (Go: ErrPasswordTooLong)

}  // namespace

void password_apply(const schema::Field& f, Draft& d, const json::Value& raw) {
  std::string plain = to_string(raw);
  // An empty plaintext means "no password": PocketBase's hash becomes empty at once.
  if (plain.empty()) d.record.values.set(f.name, std::string());
  d.plain_passwords.set(f.name, std::move(plain));
}

std::optional<FieldError> validate_password(const schema::Field& f, const Draft& d) {
  const json::Value* v = d.record.get(f.name);
  if (!v || !v->is_string()) return unsupported_type_error();
  const json::Value* pv = d.plain_passwords.find(f.name);
  const std::string plain = pv ? to_string(*pv) : std::string();

  // PocketBase hashes while setting; bcrypt's refusal surfaces as a generic invalid value.
  if (plain.size() > kBcryptMaxBytes) return make_error("validation_invalid_value", "Invalid value.");
  const bool has_hash = pv ? !plain.empty() : !v->as_string().empty();
  if (f.required && !has_hash) return required_error();
  if (plain.empty()) return std::nullopt;

  const size_t length = rune_count(plain);
  if (length < static_cast<size_t>(std::max(f.min, 0)))
    return make_error("validation_min_text_constraint", "Must be at least " + std::to_string(f.min) + " character(s)");
  const int max = f.max > 0 ? f.max : schema::kDefaultPasswordMax;
  if (length > static_cast<size_t>(max))
    return make_error("validation_max_text_constraint", "Must be less than " + std::to_string(max) + " character(s)");
  if (!f.pattern.empty() && !regex_match(f.pattern, plain))
    return make_error("validation_invalid_format", "Invalid value format");
  return std::nullopt;
}

void hash_password(const schema::Field& f, Draft& d) {
  const json::Value* pv = d.plain_passwords.find(f.name);
  if (!pv) return;
  const std::string plain = to_string(*pv);
  if (plain.empty()) {
    d.record.values.set(f.name, std::string());
    return;
  }
  const int cost = f.cost > 0 ? f.cost : schema::kDefaultBcryptCost;
  d.record.values.set(f.name, crypto::bcrypt_hash(plain, cost));
}

}  // namespace larder::record::fields
