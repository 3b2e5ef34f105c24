// Default fields, options and collections (see defaults.h).
#include "core/schema/defaults.h"

#include "core/crypto/random.h"
#include "core/db/index_def.h"

namespace larder::schema {

namespace {

Field text_field(std::string name, bool required, bool system, bool hidden = false) {
  Field f;
  f.type = FieldType::Text;
  f.id = default_field_id(FieldType::Text, name);
  f.name = std::move(name);
  f.required = required;
  f.system = system;
  f.hidden = hidden;
  return f;
}

std::string index_name(std::string_view prefix, std::string_view collection_id) {
  std::string n = std::string(prefix) + std::string(collection_id);
  if (n.size() > 64) n.resize(64);
  return n;
}

const std::string kOwnerRule =
    "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";

// Shared look of Larder's default mails: a greeting, one paragraph, an optional button, a
// signature. Placeholders are PocketBase's ({APP_NAME}, {APP_URL}, {TOKEN}, ...).
std::string mail_body(std::string_view paragraph, std::string_view link, std::string_view button,
                      std::string_view footnote) {
  std::string b = "<p>Hi,</p>\n<p>";
  b += paragraph;
  b += "</p>\n";
  if (!link.empty()) {
    b += "<p>\n  <a class=\"btn\" href=\"";
    b += link;
    b += "\" target=\"_blank\" rel=\"noopener\">";
    b += button;
    b += "</a>\n</p>\n";
  }
  b += "<p><i>";
  b += footnote;
  b += "</i></p>\n<p>\n  Best regards,<br/>\n  The {APP_NAME} team\n</p>";
  return b;
}

}  // namespace

EmailTemplate default_verification_template() {
  return {"Verify your {APP_NAME} email",
          mail_body("Welcome to {APP_NAME}! Please confirm your email address with the button below.",
                    "{APP_URL}/_/#/auth/confirm-verification/{TOKEN}", "Verify email",
                    "If you did not sign up, you can safely ignore this email.")};
}

EmailTemplate default_reset_password_template() {
  return {"Reset your {APP_NAME} password",
          mail_body("We received a request to reset your password. Choose a new one with the button below.",
                    "{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}", "Choose a new password",
                    "If you did not ask for a password reset, you can safely ignore this email.")};
}

EmailTemplate default_confirm_email_change_template() {
  return {"Confirm your {APP_NAME} new email address",
          mail_body("Please confirm that this is your new email address with the button below.",
                    "{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}", "Confirm new email",
                    "If you did not ask to change your email address, you can safely ignore this email.")};
}

EmailTemplate default_otp_template() {
  return {"OTP for {APP_NAME}",
          mail_body("Your one-time password: <strong>{OTP}</strong>", "", "",
                    "If you did not ask for a one-time password, you can safely ignore this email.")};
}

EmailTemplate default_auth_alert_template() {
  return {"Login from a new location",
          mail_body("Your {APP_NAME} account was just used to sign in from a new location:</p>\n<p><em>{ALERT_INFO}</em>"
                    "</p>\n<p><strong>If this was not you, change your {APP_NAME} password right away: that signs "
                    "out every other location.</strong>",
                    "", "", "If this was you, there is nothing to do.")};
}

Field id_field() {
  Field f = text_field("id", true, true);
  f.min = 15;
  f.max = 15;
  f.pattern = "^[a-z0-9]+$";
  f.autogenerate_pattern = "[a-z0-9]{15}";
  f.primary_key = true;
  return f;
}

std::vector<Field> auth_system_fields() {
  std::vector<Field> out;
  Field password;
  password.type = FieldType::Password;
  password.id = default_field_id(FieldType::Password, "password");
  password.name = "password";
  password.system = true;
  password.hidden = true;
  password.required = true;
  password.min = 8;
  out.push_back(password);

  Field token_key = text_field("tokenKey", true, true, true);
  token_key.min = 30;
  token_key.max = 60;
  token_key.autogenerate_pattern = "[a-zA-Z0-9]{50}";
  out.push_back(token_key);

  Field email;
  email.type = FieldType::Email;
  email.id = default_field_id(FieldType::Email, "email");
  email.name = "email";
  email.system = true;
  email.required = true;
  out.push_back(email);

  for (const char* name : {"emailVisibility", "verified"}) {
    Field b;
    b.type = FieldType::Bool;
    b.id = default_field_id(FieldType::Bool, name);
    b.name = name;
    b.system = true;
    out.push_back(b);
  }
  return out;
}

Field created_field(bool system) {
  Field f;
  f.type = FieldType::Autodate;
  f.id = default_field_id(FieldType::Autodate, "created");
  f.name = "created";
  f.system = system;
  f.on_create = true;
  return f;
}

Field updated_field(bool system) {
  Field f = created_field(system);
  f.id = default_field_id(FieldType::Autodate, "updated");
  f.name = "updated";
  f.on_update = true;
  return f;
}

AuthOptions default_auth_options() {
  AuthOptions a;
  a.auth_alert_template = default_auth_alert_template();
  a.otp_template = default_otp_template();
  a.verification_template = default_verification_template();
  a.reset_password_template = default_reset_password_template();
  a.confirm_email_change_template = default_confirm_email_change_template();
  for (TokenConfig* t : {&a.auth_token, &a.password_reset_token, &a.email_change_token, &a.verification_token,
                         &a.file_token})
    t->secret = crypto::random_alnum(50);
  return a;
}

void ensure_system_fields(Collection& c) {
  if (c.is_view()) return;
  if (!c.field("id")) c.fields.insert(c.fields.begin(), id_field());
  if (!c.is_auth()) return;
  size_t pos = 1;
  for (Field& f : auth_system_fields()) {
    if (!c.field(f.name)) c.fields.insert(c.fields.begin() + static_cast<std::ptrdiff_t>(std::min(pos, c.fields.size())), f);
    ++pos;
  }
  // Unique tokenKey and (non-empty) email, unless such a single-column unique index exists.
  auto has_unique_on = [&](std::string_view column) {
    return db::find_single_column_unique_index(c.indexes, column).has_value();
  };
  if (!has_unique_on("tokenKey"))
    c.indexes.push_back("CREATE UNIQUE INDEX `" + index_name("idx_tokenKey_", c.id) + "` ON `" + c.name + "` (`tokenKey`)");
  if (!has_unique_on("email"))
    c.indexes.push_back("CREATE UNIQUE INDEX `" + index_name("idx_email_", c.id) + "` ON `" + c.name +
                        "` (`email`) WHERE `email` != ''");
}

std::vector<Collection> fresh_database_collections(const std::string& now) {
  std::vector<Collection> out;
  auto base_system = [&](std::string id, std::string name) {
    Collection c;
    c.id = std::move(id);
    c.name = std::move(name);
    c.type = CollectionType::Base;
    c.system = true;
    c.list_rule = kOwnerRule;
    c.view_rule = kOwnerRule;
    c.created = now;
    c.updated = now;
    c.fields.push_back(id_field());
    c.fields.push_back(text_field("collectionRef", true, true));
    c.fields.push_back(text_field("recordRef", true, true));
    return c;
  };

  Collection mfas = base_system("pbc_2279338944", "_mfas");
  mfas.fields.push_back(text_field("method", true, true));
  mfas.indexes = {"CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `_mfas` (collectionRef,recordRef)"};

  Collection otps = base_system("pbc_1638494021", "_otps");
  Field otp_password;
  otp_password.type = FieldType::Password;
  otp_password.id = default_field_id(FieldType::Password, "password");
  otp_password.name = "password";
  otp_password.system = true;
  otp_password.hidden = true;
  otp_password.required = true;
  otp_password.cost = 8;
  otps.fields.push_back(otp_password);
  otps.fields.push_back(text_field("sentTo", false, true, true));
  otps.indexes = {"CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (collectionRef, recordRef)"};

  Collection external = base_system("pbc_2281828961", "_externalAuths");
  external.delete_rule = kOwnerRule;
  external.fields.push_back(text_field("provider", true, true));
  external.fields.push_back(text_field("providerId", true, true));
  external.indexes = {
      "CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `_externalAuths` (collectionRef, recordRef, provider)",
      "CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `_externalAuths` (collectionRef, provider, "
      "providerId)"};

  Collection origins = base_system("pbc_4275539003", "_authOrigins");
  origins.delete_rule = kOwnerRule;
  origins.fields.push_back(text_field("fingerprint", true, true));
  origins.indexes = {
      "CREATE UNIQUE INDEX `idx_authOrigins_unique_pairs` ON `_authOrigins` (collectionRef, recordRef, fingerprint)"};

  for (Collection* c : {&mfas, &otps, &external, &origins}) {
    c->fields.push_back(created_field(true));
    c->fields.push_back(updated_field(true));
    out.push_back(std::move(*c));
  }

  Collection su;
  su.id = std::string(kSuperusersId);
  su.name = std::string(kSuperusersName);
  su.type = CollectionType::Auth;
  su.system = true;
  su.auth = default_auth_options();
  su.auth.auth_token.duration = 86400;
  su.created = now;
  su.updated = now;
  ensure_system_fields(su);
  su.fields.push_back(created_field(true));
  su.fields.push_back(updated_field(true));
  out.push_back(std::move(su));

  Collection users;
  users.id = std::string(kUsersId);
  users.name = "users";
  users.type = CollectionType::Auth;
  users.list_rule = "id = @request.auth.id";
  users.view_rule = "id = @request.auth.id";
  users.create_rule = "";
  users.update_rule = "id = @request.auth.id";
  users.delete_rule = "id = @request.auth.id";
  users.auth = default_auth_options();
  users.auth.mapped_name = "name";
  users.auth.mapped_avatar_url = "avatar";
  users.created = now;
  users.updated = now;
  ensure_system_fields(users);
  Field name = text_field("name", false, false);
  name.max = 255;
  users.fields.push_back(name);
  Field avatar;
  avatar.type = FieldType::File;
  avatar.id = default_field_id(FieldType::File, "avatar");
  avatar.name = "avatar";
  avatar.max_select = 1;
  avatar.mime_types = std::vector<std::string>{"image/jpeg", "image/png", "image/svg+xml", "image/gif", "image/webp"};
  users.fields.push_back(avatar);
  users.fields.push_back(created_field(false));
  users.fields.push_back(updated_field(false));
  out.push_back(std::move(users));
  return out;
}

}  // namespace larder::schema
