// Collection ⇄ JSON: the API object (struct key order, secrets stripped) and the stored row form.
#include "core/schema/collection.h"
#include "core/util/crc32.h"

namespace larder::schema {

namespace {

json::Value rule_json(const std::optional<std::string>& r) { return r ? json::Value(*r) : json::Value(); }

json::Value template_json(const EmailTemplate& t) {
  return json::Value(json::Object{{"subject", t.subject}, {"body", t.body}});
}

json::Value token_json(const TokenConfig& t, bool with_secret) {
  json::Object o;
  if (with_secret && !t.secret.empty()) o.set("secret", t.secret);
  o.set("duration", static_cast<double>(t.duration));
  return json::Value(std::move(o));
}

json::Value provider_json(const OAuth2Provider& p, bool with_secret) {
  json::Object o;
  o.set("pkce", p.pkce ? json::Value(*p.pkce) : json::Value());
  o.set("name", p.name);
  o.set("clientId", p.client_id);
  if (with_secret && !p.client_secret.empty()) o.set("clientSecret", p.client_secret);
  o.set("authURL", p.auth_url);
  o.set("tokenURL", p.token_url);
  o.set("userInfoURL", p.user_info_url);
  o.set("displayName", p.display_name);
  o.set("extra", p.extra);
  return json::Value(std::move(o));
}

json::Value string_list(const std::vector<std::string>& v) {
  json::Array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::Value(std::move(a));
}

// Appends the auth options in PocketBase's struct order.
void put_auth_options(json::Object& o, const AuthOptions& a, bool with_secrets) {
  o.set("authRule", rule_json(a.auth_rule));
  o.set("manageRule", rule_json(a.manage_rule));
  o.set("authAlert", json::Value(json::Object{{"enabled", a.auth_alert_enabled},
                                              {"emailTemplate", template_json(a.auth_alert_template)}}));
  json::Value providers;
  if (!(with_secrets && a.oauth2_providers_null && a.oauth2_providers.empty())) {
    providers = json::Value::array();
    for (const auto& p : a.oauth2_providers) providers.push_back(provider_json(p, with_secrets));
  }
  o.set("oauth2", json::Value(json::Object{
                      {"providers", std::move(providers)},
                      {"mappedFields", json::Value(json::Object{{"id", a.mapped_id},
                                                                {"name", a.mapped_name},
                                                                {"username", a.mapped_username},
                                                                {"avatarURL", a.mapped_avatar_url}})},
                      {"enabled", a.oauth2_enabled}}));
  o.set("passwordAuth", json::Value(json::Object{{"enabled", a.password_enabled},
                                                 {"identityFields", string_list(a.identity_fields)}}));
  o.set("mfa", json::Value(json::Object{{"enabled", a.mfa_enabled},
                                        {"duration", static_cast<double>(a.mfa_duration)},
                                        {"rule", a.mfa_rule}}));
  o.set("otp", json::Value(json::Object{{"enabled", a.otp_enabled},
                                        {"duration", static_cast<double>(a.otp_duration)},
                                        {"length", a.otp_length},
                                        {"emailTemplate", template_json(a.otp_template)}}));
  o.set("authToken", token_json(a.auth_token, with_secrets));
  o.set("passwordResetToken", token_json(a.password_reset_token, with_secrets));
  o.set("emailChangeToken", token_json(a.email_change_token, with_secrets));
  o.set("verificationToken", token_json(a.verification_token, with_secrets));
  o.set("fileToken", token_json(a.file_token, with_secrets));
  o.set("verificationTemplate", template_json(a.verification_template));
  o.set("resetPasswordTemplate", template_json(a.reset_password_template));
  o.set("confirmEmailChangeTemplate", template_json(a.confirm_email_change_template));
}

// ---- reading ------------------------------------------------------------------------------------

struct In {
  std::string error;
  void bad(std::string_view key) {
    if (error.empty()) error = "invalid value for \"" + std::string(key) + "\"";
  }
  const json::Value* obj(const json::Value& v, std::string_view key) {
    const json::Value* x = v.find(key);
    if (!x || x->is_null()) return nullptr;
    if (!x->is_object()) { bad(key); return nullptr; }
    return x;
  }
  void str(const json::Value& v, std::string_view key, std::string& out) {
    const json::Value* x = v.find(key);
    if (!x || x->is_null()) return;
    if (!x->is_string()) return bad(key);
    out = x->as_string();
  }
  void opt_str(const json::Value& v, std::string_view key, std::optional<std::string>& out) {
    const json::Value* x = v.find(key);
    if (!x) return;
    if (x->is_null()) { out.reset(); return; }
    if (!x->is_string()) return bad(key);
    out = x->as_string();
  }
  void boolean(const json::Value& v, std::string_view key, bool& out) {
    const json::Value* x = v.find(key);
    if (!x || x->is_null()) return;
    if (!x->is_bool()) return bad(key);
    out = x->as_bool();
  }
  template <class Int>
  void integer(const json::Value& v, std::string_view key, Int& out) {
    const json::Value* x = v.find(key);
    if (!x || x->is_null()) return;
    if (!x->is_number() || x->as_number() != static_cast<double>(static_cast<int64_t>(x->as_number()))) return bad(key);
    out = static_cast<Int>(x->as_number());
  }
  void strings(const json::Value& v, std::string_view key, std::vector<std::string>& out) {
    const json::Value* x = v.find(key);
    if (!x || x->is_null()) return;
    if (!x->is_array()) return bad(key);
    std::vector<std::string> items;
    for (const auto& e : x->as_array()) {
      if (!e.is_string()) return bad(key);
      items.push_back(e.as_string());
    }
    out = std::move(items);
  }
  void tmpl(const json::Value& v, std::string_view key, EmailTemplate& t) {
    if (const json::Value* x = obj(v, key)) {
      str(*x, "subject", t.subject);
      str(*x, "body", t.body);
    }
  }
  void token(const json::Value& v, std::string_view key, TokenConfig& t) {
    if (const json::Value* x = obj(v, key)) {
      str(*x, "secret", t.secret);
      integer(*x, "duration", t.duration);
    }
  }
};

}  // namespace

std::optional<CollectionType> collection_type_from_name(std::string_view name) {
  if (name == "base") return CollectionType::Base;
  if (name == "auth") return CollectionType::Auth;
  if (name == "view") return CollectionType::View;
  return std::nullopt;
}

std::string_view collection_type_name(CollectionType t) {
  switch (t) {
    case CollectionType::Auth: return "auth";
    case CollectionType::View: return "view";
    default: return "base";
  }
}

std::string default_collection_id(CollectionType type, std::string_view name) {
  std::string key(collection_type_name(type));
  key += name;
  return "pbc_" + std::to_string(util::crc32_ieee(key));
}

const Field* Collection::field(std::string_view n) const {
  for (const auto& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

const Field* Collection::field_by_id(std::string_view i) const {
  for (const auto& f : fields)
    if (f.id == i) return &f;
  return nullptr;
}

json::Value collection_to_json(const Collection& c) {
  json::Object o;
  o.set("id", c.id);
  o.set("listRule", rule_json(c.list_rule));
  o.set("viewRule", rule_json(c.view_rule));
  o.set("createRule", rule_json(c.create_rule));
  o.set("updateRule", rule_json(c.update_rule));
  o.set("deleteRule", rule_json(c.delete_rule));
  o.set("name", c.name);
  o.set("type", std::string(collection_type_name(c.type)));
  json::Array fields;
  for (const auto& f : c.fields) fields.push_back(field_to_json(f));
  o.set("fields", json::Value(std::move(fields)));
  o.set("indexes", string_list(c.indexes));
  o.set("created", c.created);
  o.set("updated", c.updated);
  o.set("system", c.system);
  if (c.is_view()) o.set("viewQuery", c.view_query);
  if (c.is_auth()) put_auth_options(o, c.auth, /*with_secrets=*/false);
  return json::Value(std::move(o));
}

json::Value collection_options_to_json(const Collection& c) {
  json::Object o;
  if (c.is_view()) o.set("viewQuery", c.view_query);
  if (c.is_auth()) put_auth_options(o, c.auth, /*with_secrets=*/true);
  return json::Value(std::move(o));
}

bool auth_options_from_json(const json::Value& v, AuthOptions& a, std::string* error) {
  In in;
  if (!v.is_object()) {
    if (error) *error = "invalid auth options";
    return false;
  }
  in.opt_str(v, "authRule", a.auth_rule);
  in.opt_str(v, "manageRule", a.manage_rule);
  if (const json::Value* x = in.obj(v, "authAlert")) {
    in.boolean(*x, "enabled", a.auth_alert_enabled);
    in.tmpl(*x, "emailTemplate", a.auth_alert_template);
  }
  if (const json::Value* x = in.obj(v, "oauth2")) {
    if (const json::Value* p = x->find("providers")) {
      if (p->is_null()) {
        a.oauth2_providers_null = true;
        a.oauth2_providers.clear();
      } else if (!p->is_array()) {
        in.bad("providers");
      } else {
        a.oauth2_providers_null = false;
        a.oauth2_providers.clear();
        for (const auto& e : p->as_array()) {
          if (!e.is_object()) { in.bad("providers"); break; }
          OAuth2Provider pr;
          if (const json::Value* pk = e.find("pkce"); pk && pk->is_bool()) pr.pkce = pk->as_bool();
          in.str(e, "name", pr.name);
          in.str(e, "clientId", pr.client_id);
          in.str(e, "clientSecret", pr.client_secret);
          in.str(e, "authURL", pr.auth_url);
          in.str(e, "tokenURL", pr.token_url);
          in.str(e, "userInfoURL", pr.user_info_url);
          in.str(e, "displayName", pr.display_name);
          if (const json::Value* ex = e.find("extra"); ex && ex->is_object()) pr.extra = *ex;
          a.oauth2_providers.push_back(std::move(pr));
        }
      }
    }
    if (const json::Value* m = in.obj(*x, "mappedFields")) {
      in.str(*m, "id", a.mapped_id);
      in.str(*m, "name", a.mapped_name);
      in.str(*m, "username", a.mapped_username);
      in.str(*m, "avatarURL", a.mapped_avatar_url);
    }
    in.boolean(*x, "enabled", a.oauth2_enabled);
  }
  if (const json::Value* x = in.obj(v, "passwordAuth")) {
    in.boolean(*x, "enabled", a.password_enabled);
    in.strings(*x, "identityFields", a.identity_fields);
  }
  if (const json::Value* x = in.obj(v, "mfa")) {
    in.boolean(*x, "enabled", a.mfa_enabled);
    in.integer(*x, "duration", a.mfa_duration);
    in.str(*x, "rule", a.mfa_rule);
  }
  if (const json::Value* x = in.obj(v, "otp")) {
    in.boolean(*x, "enabled", a.otp_enabled);
    in.integer(*x, "duration", a.otp_duration);
    in.integer(*x, "length", a.otp_length);
    in.tmpl(*x, "emailTemplate", a.otp_template);
  }
  in.token(v, "authToken", a.auth_token);
  in.token(v, "passwordResetToken", a.password_reset_token);
  in.token(v, "emailChangeToken", a.email_change_token);
  in.token(v, "verificationToken", a.verification_token);
  in.token(v, "fileToken", a.file_token);
  in.tmpl(v, "verificationTemplate", a.verification_template);
  in.tmpl(v, "resetPasswordTemplate", a.reset_password_template);
  in.tmpl(v, "confirmEmailChangeTemplate", a.confirm_email_change_template);
  if (!in.error.empty()) {
    if (error) *error = in.error;
    return false;
  }
  return true;
}

std::optional<Collection> collection_from_row(std::string id, std::string name, std::string_view type, bool system,
                                              const json::Value& fields, const json::Value& indexes,
                                              std::optional<std::string> list_rule, std::optional<std::string> view_rule,
                                              std::optional<std::string> create_rule,
                                              std::optional<std::string> update_rule,
                                              std::optional<std::string> delete_rule, const json::Value& options,
                                              std::string created, std::string updated, std::string* error) {
  Collection c;
  c.id = std::move(id);
  c.name = std::move(name);
  auto t = collection_type_from_name(type);
  if (!t) {
    if (error) *error = "unknown collection type \"" + std::string(type) + "\"";
    return std::nullopt;
  }
  c.type = *t;
  c.system = system;
  if (fields.is_array()) {
    for (const auto& fv : fields.as_array()) {
      auto f = field_from_json(fv, error);
      if (!f) return std::nullopt;
      c.fields.push_back(std::move(*f));
    }
  }
  if (indexes.is_array())
    for (const auto& iv : indexes.as_array())
      if (iv.is_string()) c.indexes.push_back(iv.as_string());
  c.list_rule = std::move(list_rule);
  c.view_rule = std::move(view_rule);
  c.create_rule = std::move(create_rule);
  c.update_rule = std::move(update_rule);
  c.delete_rule = std::move(delete_rule);
  if (c.is_view()) {
    if (const json::Value* q = options.find("viewQuery"); q && q->is_string()) c.view_query = q->as_string();
  } else if (c.is_auth() && options.is_object()) {
    if (!auth_options_from_json(options, c.auth, error)) return std::nullopt;
  }
  c.created = std::move(created);
  c.updated = std::move(updated);
  return c;
}

}  // namespace larder::schema
