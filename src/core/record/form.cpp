// The upsert form (see form.h).
#include "core/record/form.h"

#include <algorithm>
#include <cctype>

#include "core/auth/installer.h"
#include "core/crypto/bcrypt.h"
#include "core/crypto/random.h"
#include "core/record/codec.h"
#include "core/record/external_auths.h"
#include "core/record/store.h"

namespace larder::record {

namespace {

json::Value field_error(std::string code, std::string message) {
  return FieldError{std::move(code), std::move(message), json::Value()}.to_json();
}

// cast.ToString for the auth form's plain values.
std::string to_plain_string(const json::Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_number()) return number_to_string(v.as_number());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return {};
}

}  // namespace

json::Object resolve_modifiers(const json::Object& data, const Record& base) {
  std::vector<const json::Member*> keys;
  for (const auto& m : data) keys.push_back(&m);
  std::stable_sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return a->first.size() < b->first.size(); });

  Draft copy;
  copy.record = base;
  json::Object out = data;
  for (const json::Member* m : keys) {
    const schema::Field* f = apply_key(copy, m->first, m->second);
    if (!f) continue;
    out.erase(m->first);
    // A password field reads back as the plaintext just set (PocketBase's getter), never the
    // stored hash, so the resolved data still carries the submitted password.
    const json::Value* v = f->type == schema::FieldType::Password ? copy.plain_passwords.find(f->name)
                                                                   : copy.record.values.find(f->name);
    out.set(f->name, v ? *v : json::Value());
  }
  return out;
}

UpsertForm::UpsertForm(const schema::Collection& c, std::shared_ptr<const Record> original, Access access)
    : collection_(c), access_(access) {
  if (original) {
    draft_.original = *original;
    draft_.record = *original;
  } else {
    draft_.record.collection = &c;
    for (const auto& f : c.fields) draft_.record.values.push_back({f.name, zero_value(f)});
  }
}

void UpsertForm::load(const json::Object& data) {
  const bool auth = collection_.is_auth();
  if (auth) {
    if (const json::Value* v = data.find("password")) password_ = to_plain_string(*v);
    if (const json::Value* v = data.find("passwordConfirm")) password_confirm_ = to_plain_string(*v);
    if (const json::Value* v = data.find("oldPassword")) old_password_ = to_plain_string(*v);
  }
  for (const auto& [key, value] : data) {
    if (key == "expand") continue;
    if (auth && (key == "passwordConfirm" || key == "oldPassword")) continue;
    const schema::Field* f = collection_.field(key);
    if (!f) continue;
    // autodate values are server-managed; clients cannot set them.
    if (f->type == schema::FieldType::Autodate) continue;
    // Hidden fields keep their stored value unless a superuser sets them (the auth password is
    // the exception: users set their own).
    if (access_ != Access::Superuser && f->hidden && !(auth && f->name == "password")) continue;
    apply_key(draft_, key, value);
  }
}

void UpsertForm::sync_password_fields() {
  // A password set through the record (not the form's password/passwordConfirm pair), e.g. by
  // OAuth2 sign-up, skips the form's password rules.
  disable_password_validations_ = false;
  const json::Value* plain = draft_.plain_passwords.find("password");
  std::string_view hash = draft_.record.get_string("password");
  if ((plain && plain->get_string() != password_) || (!plain && !hash.empty() && draft_.is_new())) {
    disable_password_validations_ = true;
  }
}

json::Object UpsertForm::validate_auth_form() {
  json::Object errs;
  if (!collection_.is_auth()) return errs;
  sync_password_fields();
  const bool is_new = draft_.is_new();
  const bool manager = access_ != Access::Default;
  if (!is_new && !manager && draft_.record.get_string("email") != draft_.original->get_string("email"))
    errs.set("email", field_error("validation_values_mismatch", "Values don't match."));
  bool orig_verified = draft_.original ? draft_.original->get_bool("verified") : false;
  if (!manager && draft_.record.get_bool("verified") != orig_verified)
    errs.set("verified", field_error("validation_values_mismatch", "Values don't match."));
  if (!disable_password_validations_) {
    if ((is_new || !password_confirm_.empty() || !old_password_.empty()) && password_.empty())
      errs.set("password", field_error("validation_required", "Cannot be blank."));
    if ((is_new || !password_.empty() || !old_password_.empty()) && password_confirm_.empty())
      errs.set("passwordConfirm", field_error("validation_required", "Cannot be blank."));
    else if (password_confirm_ != password_)
      errs.set("passwordConfirm", field_error("validation_values_mismatch", "Values don't match."));
    if (!is_new && !manager && (!password_.empty() || !password_confirm_.empty())) {
      if (old_password_.empty()) {
        errs.set("oldPassword", field_error("validation_required", "Cannot be blank."));
      } else if (!crypto::bcrypt_verify(old_password_, draft_.original->get_string("password"))) {
        errs.set("oldPassword", field_error("validation_invalid_old_password", "Missing or invalid old password."));
      }
    }
  }
  return errs;
}

json::Object UpsertForm::validate(db::Connection& conn, const schema::Schema& schema) {
  json::Object errs = validate_auth_form();
  if (!errs.empty()) return errs;

  if (draft_.is_new()) fill_autogenerated(draft_);
  ValidateContext ctx{conn, schema};
  for (const auto& f : collection_.fields) {
    if (auto e = validate_field(f, draft_, ctx)) errs.set(f.name, e->to_json());
  }
  if (!errs.empty()) return errs;

  if (collection_.is_auth()) {
    // Auth ids are unique across every auth collection (a guard against rule mistakes when
    // several auth collections exist).
    for (const auto& other : schema.all()) {
      if (!other->is_auth() || other->id == collection_.id) continue;
      if (find_by_id(conn, *other, draft_.record.id())) {
        errs.set("id", field_error("validation_invalid_auth_id", "Invalid or duplicated auth record id."));
        break;
      }
    }
  }
  return errs;
}

void UpsertForm::save(db::Connection& conn, const std::string& now) {
  if (collection_.is_auth()) {
    if (collection_.name == "_superusers") draft_.record.values.set("verified", true);
    // A new password or email invalidates every token of the record: new tokenKey, unless the
    // caller changed it explicitly.
    if (!draft_.is_new() && draft_.record.get_string("tokenKey") == draft_.original->get_string("tokenKey") &&
        (draft_.plain_passwords.contains("password") ||
         draft_.record.get_string("email") != draft_.original->get_string("email"))) {
      draft_.record.values.set("tokenKey", crypto::random_alnum(50));
    }
    // Unverified -> verified: nothing proves the record's OAuth2 links were made by the owner of
    // the address (a squatter may have linked their own account first), so they all go, and with
    // them every token issued so far.
    if (!draft_.is_new() && !draft_.original->get_bool("verified") && draft_.record.get_bool("verified") &&
        delete_external_auths(conn, collection_.id, draft_.original->id()) > 0)
      draft_.record.values.set("tokenKey", crypto::random_alnum(50));
  }
  before_save(draft_, now);
  try {
    if (draft_.is_new()) insert(conn, draft_.record);
    else update(conn, draft_.record, draft_.original->id());
    // A real superuser exists now: the installer placeholder has served its purpose.
    if (draft_.is_new() && collection_.name == "_superusers" && draft_.record.get_string("email") != auth::kInstallerEmail)
      auth::drop_installer(conn);
  } catch (const db::Error& e) {
    // "UNIQUE constraint failed: users.email" -> {"email": validation_not_unique}
    std::string msg = e.what();
    std::transform(msg.begin(), msg.end(), msg.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (msg.find("unique constraint failed") == std::string::npos) throw;
    for (char& ch : msg)
      if (ch == ',') ch = ' ';
    msg += ' ';
    std::string table = collection_.name;
    std::transform(table.begin(), table.end(), table.begin(), [](unsigned char ch) { return std::tolower(ch); });
    json::Object errs;
    for (const auto& f : collection_.fields) {
      std::string name = f.name;
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
      if (msg.find(" " + table + "." + name + " ") != std::string::npos)
        errs.set(f.name, field_error("validation_not_unique", "Value must be unique."));
    }
    if (errs.empty()) throw;
    throw ValidationFailed(std::move(errs));
  }
}

}  // namespace larder::record
