// Collection JSON onto a collection (see collection_input.h).
#include "core/schema/collection_input.h"

#include "core/schema/collection_validate.h"

namespace larder::schema {

namespace {

json::Value provider_to_json(const OAuth2Provider& p) {
  json::Object o;
  o.set("pkce", p.pkce ? json::Value(*p.pkce) : json::Value());
  o.set("name", p.name);
  o.set("clientId", p.client_id);
  o.set("clientSecret", p.client_secret);
  o.set("authURL", p.auth_url);
  o.set("tokenURL", p.token_url);
  o.set("userInfoURL", p.user_info_url);
  o.set("displayName", p.display_name);
  o.set("extra", p.extra);
  return json::Value(std::move(o));
}

// Go decodes a JSON array into an existing slice element by element: provider i is merged onto
// the current provider i (its clientSecret survives), and its `extra` map gains keys.
json::Value merge_providers(const std::vector<OAuth2Provider>& current, const json::Value& incoming) {
  json::Array out;
  const json::Array& items = incoming.as_array();
  for (size_t i = 0; i < items.size(); ++i) {
    if (i >= current.size() || !items[i].is_object()) {
      out.push_back(items[i]);
      continue;
    }
    json::Value merged = provider_to_json(current[i]);
    for (const auto& [k, v] : items[i].as_object()) {
      json::Value* existing = merged.find(k);
      if (k == "extra" && v.is_object() && existing && existing->is_object()) {
        for (const auto& [ek, ev] : v.as_object()) existing->as_object().set(ek, ev);
      } else if (v.is_null() && k != "pkce" && k != "extra") {
        continue;  // null into a Go string: no change
      } else {
        merged.as_object().set(k, v);
      }
    }
    out.push_back(std::move(merged));
  }
  return json::Value(std::move(out));
}

bool is_auth_option_key(std::string_view k) {
  static const char* keys[] = {"authRule",          "manageRule",         "authAlert",          "oauth2",
                               "passwordAuth",      "mfa",                "otp",                "authToken",
                               "passwordResetToken", "emailChangeToken",  "verificationToken",  "fileToken",
                               "verificationTemplate", "resetPasswordTemplate", "confirmEmailChangeTemplate"};
  for (const char* key : keys)
    if (k == key) return true;
  return false;
}

bool set_rule(const json::Value& v, std::optional<std::string>& rule) {
  if (v.is_null()) rule.reset();
  else if (v.is_string()) rule = v.as_string();
  else return false;
  return true;
}

bool set_string(const json::Value& v, std::string& out) {
  if (v.is_null()) return true;
  if (!v.is_string()) return false;
  out = v.as_string();
  return true;
}

}  // namespace

CollectionInput apply_collection_json(Collection& c, const json::Object& body, const Collection* adopt_ids_from) {
  CollectionInput r;
  auto fail = [&] {
    r.ok = false;
    return r;
  };
  if (const json::Value* v = body.find("type")) {
    if (v->is_string()) {
      auto t = collection_type_from_name(v->as_string());
      if (!t) {
        r.invalid_type = v->as_string();
      } else {
        // A collection switched to auth starts from Go's zero options (validation reports them).
        if (*t == CollectionType::Auth && !c.is_auth()) c.auth = zero_auth_options();
        c.type = *t;
      }
    } else if (!v->is_null()) {
      return fail();
    }
  }
  for (const auto& [key, v] : body) {
    if (key == "id") {
      if (!set_string(v, c.id)) return fail();
    } else if (key == "name") {
      if (!set_string(v, c.name)) return fail();
    } else if (key == "system") {
      if (v.is_bool()) c.system = v.as_bool();
      else if (!v.is_null()) return fail();
    } else if (key == "listRule") {
      if (!set_rule(v, c.list_rule)) return fail();
    } else if (key == "viewRule") {
      if (!set_rule(v, c.view_rule)) return fail();
    } else if (key == "createRule") {
      if (!set_rule(v, c.create_rule)) return fail();
    } else if (key == "updateRule") {
      if (!set_rule(v, c.update_rule)) return fail();
    } else if (key == "deleteRule") {
      if (!set_rule(v, c.delete_rule)) return fail();
    } else if (key == "viewQuery") {
      if (!set_string(v, c.view_query)) return fail();
    } else if (key == "indexes") {
      if (v.is_null()) {
        c.indexes.clear();
        continue;
      }
      if (!v.is_array()) return fail();
      std::vector<std::string> list;
      for (const auto& item : v.as_array()) {
        if (!item.is_string()) return fail();
        list.push_back(item.as_string());
      }
      c.indexes = std::move(list);
    } else if (key == "fields") {
      std::vector<Field> list;
      if (!v.is_null()) {
        if (!v.is_array()) return fail();
        for (const auto& item : v.as_array()) {
          auto f = field_from_json(item);
          if (!f) return fail();
          if (adopt_ids_from && f->id.empty()) {
            const Field* stored = adopt_ids_from->field(f->name);
            if (stored && stored->type == f->type) f->id = stored->id;
          }
          list.push_back(std::move(*f));
        }
      }
      c.fields = normalize_fields(std::move(list));
    }
  }
  // Auth options: nested objects merge onto the current ones (absent keys are kept).
  json::Object auth;
  for (const auto& [key, v] : body) {
    if (!is_auth_option_key(key)) continue;
    if (key == "oauth2" && v.is_object()) {
      json::Value o = v;
      if (const json::Value* p = v.find("providers"); p && p->is_array())
        o.as_object().set("providers", merge_providers(c.auth.oauth2_providers, *p));
      auth.set(key, std::move(o));
    } else {
      auth.set(key, v);
    }
  }
  if (!auth.empty()) {
    std::string err;
    if (!auth_options_from_json(json::Value(std::move(auth)), c.auth, &err)) return fail();
  }
  return r;
}

}  // namespace larder::schema
