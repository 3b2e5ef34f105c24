// The settings object: Go's json.Unmarshal semantics for PATCH bodies (element-wise merge of
// lists, null, case-insensitive names, type errors), PocketBase's validation codes, and the
// stored/public forms — as data tables.
#include <gtest/gtest.h>

#include <string>

#include "core/settings/shape.h"
#include "core/settings/validate.h"

using namespace larder;

namespace {

// The member at a dotted path ("rateLimits.rules.0.label"), as JSON text; "<missing>" if absent.
std::string at(const json::Value& v, const std::string& path) {
  const json::Value* cur = &v;
  size_t start = 0;
  while (cur && start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (cur->is_array()) {
      size_t i = std::stoul(part);
      cur = i < cur->as_array().size() ? &cur->as_array()[i] : nullptr;
    } else {
      cur = cur->find(part);
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur ? json::dump(*cur) : "<missing>";
}

struct DecodeRow {
  const char* name;
  const char* patch;
  bool ok;
  const char* path;
  const char* want;  // JSON text of the member after decoding
};

TEST(SettingsDecode, FollowsGoUnmarshal) {
  const DecodeRow rows[] = {
      {"a list element decodes into the old element", R"({"rateLimits":{"rules":[{"label":"x"}]}})", true,
       "rateLimits.rules", R"([{"label":"x","audience":"","duration":3,"maxRequests":2}])"},
      {"new elements start from zero", R"({"rateLimits":{"rules":[{},{},{},{},{"label":"y"}]}})", true,
       "rateLimits.rules.4", R"({"label":"y","audience":"","duration":0,"maxRequests":0})"},
      {"the old first rule is kept for {}", R"({"rateLimits":{"rules":[{},{},{},{},{"label":"y"}]}})", true,
       "rateLimits.rules.0", R"({"label":"*:auth","audience":"","duration":3,"maxRequests":2})"},
      {"null empties a list", R"({"rateLimits":{"rules":null}})", true, "rateLimits.rules", "[]"},
      {"null leaves a struct alone", R"({"rateLimits":null})", true, "rateLimits.enabled", "false"},
      {"null leaves a scalar alone", R"({"meta":{"appName":null}})", true, "meta.appName", R"("Acme")"},
      {"names match case-insensitively", R"({"RATELIMITS":{"Enabled":true}})", true, "rateLimits.enabled", "true"},
      {"unknown members are ignored", R"({"unknown":1,"meta":{"nope":2}})", true, "meta.nope", "<missing>"},
      {"a string list", R"({"rateLimits":{"excludedIPs":["10.0.0.0/8"]}})", true, "rateLimits.excludedIPs",
       R"(["10.0.0.0/8"])"},
      {"a bool must be a bool", R"({"rateLimits":{"enabled":"yes"}})", false, "rateLimits.enabled", "false"},
      {"an int must be an integer", R"({"rateLimits":{"rules":[{"duration":1.5}]}})", false, "rateLimits.rules.0.duration",
       "3"},
      {"an int must fit in int64", R"({"batch":{"maxRequests":1e30}})", false, "batch.maxRequests", "50"},
      {"a list must be a list", R"({"superuserIPs":"1.2.3.4"})", false, "superuserIPs", "[]"},
      {"a type error does not stop the rest", R"({"rateLimits":{"enabled":"x","excludedIPs":["1.1.1.1"]}})", false,
       "rateLimits.excludedIPs", R"(["1.1.1.1"])"},
      {"the body must be an object", "[]", false, "rateLimits.enabled", "false"},
      {"a null body changes nothing", "null", true, "meta.appName", R"("Acme")"},
      {"a secret can be set", R"({"smtp":{"password":"p"}})", true, "smtp.password", R"("p")"},
  };
  for (const auto& r : rows) {
    json::Value v = settings::defaults();
    EXPECT_EQ(settings::decode_into(v, json::parse(r.patch)), r.ok) << r.name;
    EXPECT_EQ(at(v, r.path), r.want) << r.name;
  }
}

TEST(SettingsDecode, DefaultsInStructOrder) {
  EXPECT_EQ(json::dump(settings::public_form(settings::defaults())),
            R"({"superuserIPs":[],"smtp":{"enabled":false,"port":587,"host":"smtp.example.com","username":"",)"
            R"("authMethod":"","tls":false,"localName":""},"backups":{"cron":"","cronMaxKeep":3,"s3":{"enabled":false,)"
            R"("bucket":"","region":"","endpoint":"","accessKey":"","forcePathStyle":false}},"s3":{"enabled":false,)"
            R"("bucket":"","region":"","endpoint":"","accessKey":"","forcePathStyle":false},"meta":{"accentColor":)"
            R"("#1055c9","appName":"Acme","appURL":"http://localhost:8090","senderName":"Support","senderAddress":)"
            R"("support@example.com","hideControls":false},"rateLimits":{"rules":[{"label":"*:auth","audience":"",)"
            R"("duration":3,"maxRequests":2},{"label":"*:create","audience":"","duration":5,"maxRequests":20},)"
            R"({"label":"/api/batch","audience":"","duration":1,"maxRequests":3},{"label":"/api/","audience":"",)"
            R"("duration":10,"maxRequests":300}],"excludedIPs":[],"enabled":false},"trustedProxy":{"headers":[],)"
            R"("useLeftmostIP":false},"batch":{"enabled":false,"maxRequests":50,"timeout":3,"maxBodySize":0},)"
            R"("logs":{"maxDays":5,"minLevel":0,"logIP":true,"logAuthId":false}})");
}

TEST(SettingsDecode, SecretsStayOutOfTheApiAndEmptyS3SecretsOutOfTheRow) {
  json::Value v = settings::defaults();
  ASSERT_TRUE(settings::decode_into(v, json::parse(R"({"smtp":{"password":"pw"},"s3":{"secret":"s"}})")));
  json::Value pub = settings::public_form(v);
  EXPECT_EQ(at(pub, "smtp.password"), "<missing>");
  EXPECT_EQ(at(pub, "s3.secret"), "<missing>");
  EXPECT_EQ(at(pub, "backups.s3.secret"), "<missing>");
  json::Value stored = settings::stored_form(v);
  EXPECT_EQ(at(stored, "smtp.password"), R"("pw")");
  EXPECT_EQ(at(stored, "s3.secret"), R"("s")");
  EXPECT_EQ(at(stored, "backups.s3.secret"), "<missing>");  // omitempty
}

struct ValidateRow {
  const char* name;
  const char* patch;
  const char* errors;  // the envelope's `data`
};

TEST(SettingsValidate, CodesAsPocketBase) {
  const ValidateRow rows[] = {
      {"defaults are valid", "{}", "{}"},
      {"enabled limits need rules", R"({"rateLimits":{"enabled":true,"rules":[]}})",
       R"({"rateLimits":{"rules":{"code":"validation_required","message":"Cannot be blank."}}})"},
      {"disabled limits may have none", R"({"rateLimits":{"rules":[]}})", "{}"},
      {"each rule's fields",
       R"({"rateLimits":{"rules":[{"label":"bad label!","maxRequests":-1,"duration":0,"audience":"@all"}]}})",
       R"({"rateLimits":{"rules":{"0":{"audience":{"code":"validation_in_invalid","message":"Must be a valid value."},)"
       R"("duration":{"code":"validation_required","message":"Cannot be blank."},)"
       R"("label":{"code":"validation_match_invalid","message":"Must be in a valid format."},)"
       R"("maxRequests":{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 1.",)"
       R"("params":{"threshold":1}}}}}})"},
      {"an empty label", R"({"rateLimits":{"rules":[{"label":"","maxRequests":1,"duration":1}]}})",
       R"({"rateLimits":{"rules":{"0":{"label":{"code":"validation_required","message":"Cannot be blank."}}}}})"},
      {"the same label twice",
       R"({"rateLimits":{"rules":[{"label":"a","maxRequests":1,"duration":1},{"label":"a","maxRequests":1,"duration":1}]}})",
       R"({"rateLimits":{"rules":{"1":{"label":{"code":"validation_conflicting_rate_limit_rule","message":)"
       R"("Rate limit rule configuration with label a already exists or conflicts with another rule.",)"
       R"("params":{"label":"a"}}}}}})"},
      {"'' conflicts with any other audience of the label",
       R"({"rateLimits":{"rules":[{"label":"a","audience":"@guest","maxRequests":1,"duration":1},{"label":"a","maxRequests":1,"duration":1}]}})",
       R"({"rateLimits":{"rules":{"1":{"label":{"code":"validation_conflicting_rate_limit_rule","message":)"
       R"("Rate limit rule configuration with label a already exists or conflicts with another rule.",)"
       R"("params":{"label":"a"}}}}}})"},
      {"@guest and @auth of one label coexist",
       R"({"rateLimits":{"rules":[{"label":"a","audience":"@guest","maxRequests":1,"duration":1},{"label":"a","audience":"@auth","maxRequests":1,"duration":1}]}})",
       "{}"},
      {"a conflict hides the per-rule errors",
       R"({"rateLimits":{"rules":[{"label":"a","maxRequests":0,"duration":1},{"label":"a","maxRequests":1,"duration":1}]}})",
       R"({"rateLimits":{"rules":{"1":{"label":{"code":"validation_conflicting_rate_limit_rule","message":)"
       R"("Rate limit rule configuration with label a already exists or conflicts with another rule.",)"
       R"("params":{"label":"a"}}}}}})"},
      {"excluded IPs", R"({"rateLimits":{"excludedIPs":["","1.2.3.4/40","10.0.0.0/8","::1"]}})",
       R"({"rateLimits":{"excludedIPs":{"0":{"code":"validation_required","message":"Cannot be blank."},)"
       R"("1":{"code":"validation_invlaid_ip_or_subnet","message":"Invalid IP or CIDR subnet."}}}})"},
      {"superuser IPs", R"({"superuserIPs":["x"]})",
       R"({"superuserIPs":{"0":{"code":"validation_invlaid_ip_or_subnet","message":"Invalid IP or CIDR subnet."}}})"},
      {"meta", R"({"meta":{"appName":"","appURL":"nope","senderAddress":"x","accentColor":"#12345"}})",
       R"({"meta":{"accentColor":{"code":"validation_length_invalid","message":"The length must be exactly 7.",)"
       R"("params":{"max":7,"min":7}},"appName":{"code":"validation_required","message":"Cannot be blank."},)"
       R"("appURL":{"code":"validation_is_url","message":"Must be a valid URL."},)"
       R"("senderAddress":{"code":"validation_is_email","message":"Must be a valid email address."}}})"},
      {"accent colour", R"({"meta":{"accentColor":"#12345g"}})",
       R"({"meta":{"accentColor":{"code":"validation_is_hex_color","message":"Must be a valid hexadecimal color code."}}})"},
      {"smtp", R"({"smtp":{"enabled":true,"host":"","port":-1,"authMethod":"CRAM"}})",
       R"({"smtp":{"authMethod":{"code":"validation_in_invalid","message":"Must be a valid value."},)"
       R"("host":{"code":"validation_required","message":"Cannot be blank."},)"
       R"("port":{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 0.",)"
       R"("params":{"threshold":0}}}})"},
      {"smtp host", R"({"smtp":{"host":"bad host"}})",
       R"({"smtp":{"host":{"code":"validation_is_host","message":"Must be a valid IP address or DNS name."}}})"},
      {"s3 enabled", R"({"s3":{"enabled":true,"endpoint":"https://s3.example.com","bucket":"b","region":"r","accessKey":"k"}})",
       R"({"s3":{"secret":{"code":"validation_required","message":"Cannot be blank."}}})"},
      {"batch and logs", R"({"batch":{"enabled":true,"maxRequests":0,"timeout":-1},"logs":{"maxDays":-1}})",
       R"({"batch":{"maxRequests":{"code":"validation_required","message":"Cannot be blank."},)"
       R"("timeout":{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 0.",)"
       R"("params":{"threshold":0}}},"logs":{"maxDays":{"code":"validation_min_greater_equal_than_required",)"
       R"("message":"Must be no less than 0.","params":{"threshold":0}}}})"},
      {"backups keep count with a cron", R"({"backups":{"cron":"0 0 * * *","cronMaxKeep":0}})",
       R"({"backups":{"cronMaxKeep":{"code":"validation_required","message":"Cannot be blank."}}})"},
  };
  for (const auto& r : rows) {
    json::Value v = settings::defaults();
    ASSERT_TRUE(settings::decode_into(v, json::parse(r.patch))) << r.name;
    EXPECT_EQ(json::dump(settings::validate(v).to_json()), r.errors) << r.name;
  }
}

}  // namespace
