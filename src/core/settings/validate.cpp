// PocketBase's settings validators (see validate.h). Each field runs its ozzo rules in order and
// reports the first failure; rules other than "required" skip empty values, as ozzo's do.
#include "core/settings/validate.h"

#include <optional>
#include <string>

#include "core/record/fields/common.h"
#include "core/util/ip.h"
#include "core/util/regex.h"

namespace larder::settings {

namespace {

using schema::ValidationError;
using schema::ValidationErrors;
using Check = std::optional<ValidationError>;

const std::string& str(const json::Value& obj, std::string_view key) {
  static const std::string empty;
  const json::Value* v = obj.find(key);
  return v && v->is_string() ? v->as_string() : empty;
}
int64_t num(const json::Value& obj, std::string_view key) {
  const json::Value* v = obj.find(key);
  return v && v->is_number() ? static_cast<int64_t>(v->as_number()) : 0;
}
bool flag(const json::Value& obj, std::string_view key) {
  const json::Value* v = obj.find(key);
  return v && v->is_bool() && v->as_bool();
}
const json::Value& member(const json::Value& obj, std::string_view key) {
  static const json::Value empty = json::Value::object();
  const json::Value* v = obj.find(key);
  return v ? *v : empty;
}

ValidationError required() { return {"validation_required", "cannot be blank", {}}; }

// ozzo's Length(min, max) on a string (bytes), skipped when empty.
Check length(const std::string& s, int64_t min, int64_t max) {
  int64_t n = static_cast<int64_t>(s.size());
  if (s.empty() || (n >= min && n <= max)) return std::nullopt;
  json::Value params(json::Object{{"max", max}, {"min", min}});
  if (min == max) return ValidationError{"validation_length_invalid", "the length must be exactly " + std::to_string(min), params};
  return ValidationError{"validation_length_out_of_range",
                         "the length must be between " + std::to_string(min) + " and " + std::to_string(max), params};
}

// ozzo's Min(threshold) on an int, skipped when zero.
Check min(int64_t v, int64_t threshold) {
  if (v == 0 || v >= threshold) return std::nullopt;
  return ValidationError{"validation_min_greater_equal_than_required",
                         "must be no less than " + std::to_string(threshold), json::Value(json::Object{{"threshold", threshold}})};
}

// The first failing check of a field, or nullopt.
template <typename... Checks>
Check first(Checks... checks) {
  Check out;
  ((out ? void() : void(out = checks)), ...);
  return out;
}

void put(ValidationErrors& errs, std::string key, Check c) {
  if (c) errs.add(std::move(key), std::move(*c));
}

Check required_if(bool cond, bool empty) { return cond && empty ? Check(required()) : std::nullopt; }

Check url(const std::string& s) {
  if (s.empty() || record::fields::is_url_format(s)) return std::nullopt;
  return ValidationError{"validation_is_url", "must be a valid URL", {}};
}

Check email(const std::string& s) {
  if (s.empty() || record::fields::is_email_format(s)) return std::nullopt;
  return ValidationError{"validation_is_email", "must be a valid email address", {}};
}

Check hex_color(const std::string& s) {
  static const auto re = util::Regex::compile("^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");
  if (s.empty() || re->search(s)) return std::nullopt;
  return ValidationError{"validation_is_hex_color", "must be a valid hexadecimal color code", {}};
}

// govalidator.IsHost: an IP (no zone) or a DNS name.
Check host(const std::string& s) {
  if (s.empty()) return std::nullopt;
  auto ip = util::parse_ip(s);
  if (ip && ip->zone.empty()) return std::nullopt;
  static const auto dns =
      util::Regex::compile(R"(^([a-zA-Z0-9_]{1}[a-zA-Z0-9_-]{0,62}){1}(\.[a-zA-Z0-9_]{1}[a-zA-Z0-9_-]{0,62})*[\._]?$)");
  size_t without_dots = 0;
  for (char c : s) without_dots += c != '.';
  if (without_dots <= 255 && !ip && dns->search(s)) return std::nullopt;
  return ValidationError{"validation_is_host", "must be a valid IP address or DNS name", {}};
}

Check in(const std::string& s, std::initializer_list<std::string_view> allowed) {
  if (s.empty()) return std::nullopt;
  for (auto a : allowed)
    if (s == a) return std::nullopt;
  return ValidationError{"validation_in_invalid", "must be a valid value", {}};
}

// validation.Each(validation.Required, validation.By(validators.IPOrSubnet)).
ValidationErrors ip_list(const json::Value& list) {
  ValidationErrors errs;
  if (!list.is_array()) return errs;
  for (size_t i = 0; i < list.as_array().size(); ++i) {
    const json::Value& item = list.as_array()[i];
    const std::string& s = item.is_string() ? item.as_string() : std::string();
    if (s.empty()) errs.add(std::to_string(i), required());
    else if (!util::parse_prefix(s) && !util::parse_ip(s))
      errs.add(std::to_string(i), ValidationError{"validation_invlaid_ip_or_subnet", "invalid IP or CIDR subnet", {}});
  }
  return errs;
}

ValidationErrors meta(const json::Value& m) {
  ValidationErrors errs;
  put(errs, "accentColor", first(length(str(m, "accentColor"), 7, 7), hex_color(str(m, "accentColor"))));
  put(errs, "appName", first(required_if(true, str(m, "appName").empty()), length(str(m, "appName"), 1, 255)));
  put(errs, "appURL", first(required_if(true, str(m, "appURL").empty()), url(str(m, "appURL"))));
  put(errs, "senderName", first(required_if(true, str(m, "senderName").empty()), length(str(m, "senderName"), 1, 255)));
  put(errs, "senderAddress", first(email(str(m, "senderAddress")), required_if(true, str(m, "senderAddress").empty())));
  return errs;
}

ValidationErrors smtp(const json::Value& s) {
  ValidationErrors errs;
  bool on = flag(s, "enabled");
  put(errs, "host", first(required_if(on, str(s, "host").empty()), host(str(s, "host"))));
  put(errs, "port", first(required_if(on, num(s, "port") == 0), min(num(s, "port"), 0)));
  put(errs, "authMethod", in(str(s, "authMethod"), {"LOGIN", "PLAIN"}));
  put(errs, "localName", host(str(s, "localName")));
  return errs;
}

ValidationErrors s3(const json::Value& s) {
  ValidationErrors errs;
  bool on = flag(s, "enabled");
  put(errs, "endpoint", first(url(str(s, "endpoint")), required_if(on, str(s, "endpoint").empty())));
  for (const char* k : {"bucket", "region", "accessKey", "secret"}) put(errs, k, required_if(on, str(s, k).empty()));
  return errs;
}

ValidationErrors backups(const json::Value& b) {
  ValidationErrors errs;
  errs.add("s3", s3(member(b, "s3")));
  bool cron = !str(b, "cron").empty();
  put(errs, "cronMaxKeep", first(required_if(cron, num(b, "cronMaxKeep") == 0), min(num(b, "cronMaxKeep"), 1)));
  return errs;
}

ValidationErrors batch(const json::Value& b) {
  ValidationErrors errs;
  bool on = flag(b, "enabled");
  put(errs, "maxRequests", first(required_if(on, num(b, "maxRequests") == 0), min(num(b, "maxRequests"), 0)));
  put(errs, "timeout", first(required_if(on, num(b, "timeout") == 0), min(num(b, "timeout"), 0)));
  put(errs, "maxBodySize", min(num(b, "maxBodySize"), 0));
  return errs;
}

ValidationErrors rule(const json::Value& r) {
  ValidationErrors errs;
  const std::string& label = str(r, "label");
  Check bad_label;
  if (!label.empty() && !valid_rule_label(label))
    bad_label = ValidationError{"validation_match_invalid", "must be in a valid format", {}};
  put(errs, "label", first(required_if(true, label.empty()), bad_label));
  put(errs, "maxRequests", first(required_if(true, num(r, "maxRequests") == 0), min(num(r, "maxRequests"), 1)));
  put(errs, "duration", first(required_if(true, num(r, "duration") == 0), min(num(r, "duration"), 1)));
  put(errs, "audience", in(str(r, "audience"), {"", "@guest", "@auth"}));
  return errs;
}

// checkUniqueRuleLabel: "label@@audience" keys must not be prefixes of each other; reports the
// first conflicting rule only.
ValidationErrors conflicts(const json::Array& rules) {
  ValidationErrors errs;
  std::vector<std::string> seen;
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string& label = str(rules[i], "label");
    std::string key = label + "@@" + str(rules[i], "audience");
    for (const auto& other : seen) {
      if (other.starts_with(key) || key.starts_with(other)) {
        ValidationErrors item;
        item.add("label", ValidationError{"validation_conflicting_rate_limit_rule",
                                          "Rate limit rule configuration with label " + label +
                                              " already exists or conflicts with another rule.",
                                          json::Value(json::Object{{"label", label}})});
        errs.add(std::to_string(i), std::move(item));
        return errs;
      }
    }
    seen.push_back(std::move(key));
  }
  return errs;
}

ValidationErrors rate_limits(const json::Value& rl) {
  ValidationErrors errs;
  const json::Value& rules = member(rl, "rules");
  const json::Array empty;
  const json::Array& list = rules.is_array() ? rules.as_array() : empty;
  // The field's rules first (required when enabled, then the conflict check); only when they
  // pass are the rules validated one by one, as ozzo does for a slice of Validatables.
  if (flag(rl, "enabled") && list.empty()) {
    errs.add("rules", required());
  } else if (ValidationErrors c = conflicts(list); !c.empty()) {
    errs.add("rules", std::move(c));
  } else {
    ValidationErrors each;
    for (size_t i = 0; i < list.size(); ++i) each.add(std::to_string(i), rule(list[i]));
    errs.add("rules", std::move(each));
  }
  errs.add("excludedIPs", ip_list(member(rl, "excludedIPs")));
  return errs;
}

}  // namespace

bool valid_rule_label(std::string_view label) {
  static const auto re = util::Regex::compile(R"(^(\w+\ \/[\w\/-]*|\/[\w\/-]*|^\w+\:\w+|\*\:\w+|\w+)$)");
  return re && re->search(label);
}

ValidationErrors validate(const json::Value& s) {
  ValidationErrors errs;
  errs.add("superuserIPs", ip_list(member(s, "superuserIPs")));
  errs.add("meta", meta(member(s, "meta")));
  ValidationErrors logs;
  put(logs, "maxDays", min(num(member(s, "logs"), "maxDays"), 0));
  errs.add("logs", std::move(logs));
  errs.add("smtp", smtp(member(s, "smtp")));
  errs.add("s3", s3(member(s, "s3")));
  errs.add("backups", backups(member(s, "backups")));
  errs.add("batch", batch(member(s, "batch")));
  errs.add("rateLimits", rate_limits(member(s, "rateLimits")));
  return errs;
}

}  // namespace larder::settings
