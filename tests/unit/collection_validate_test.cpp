// Collection validation (schema/collection_validate.h): a table of invalid collections → the
// error code PocketBase answers at a path of the error envelope's `data`. Creates start from
// PocketBase's scaffold for the type (as POST /api/collections does); updates start from a
// stored collection (as PATCH does). The codes were checked against PocketBase v0.39 built from
// the reference source (POST/PATCH /api/collections on its test data).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/db/bootstrap.h"
#include "core/db/schema_migrate.h"
#include "core/json/json.h"
#include "core/schema/collection_input.h"
#include "core/schema/collection_validate.h"
#include "core/util/datetime.h"

namespace {

using namespace larder;
using schema::Collection;
using schema::CollectionType;

std::string now() { return util::format_datetime(util::now_utc()); }

// A fresh data.db in memory (the six default collections) plus what a case needs.
class Env {
 public:
  Env() : conn_(":memory:") {
    db::bootstrap_data_db(conn_);
    reload();
  }
  db::Connection& conn() { return conn_; }
  const schema::Schema& schema() const { return *schema_; }
  void reload() { schema_ = schema::Schema::load(conn_); }

  // Creates a collection from JSON as POST /api/collections would (must be valid).
  Collection create(std::string_view body_json) {
    Collection c = build(body_json);
    db::Transaction tx(conn_);
    schema::prepare_for_save(conn_, c, true, true, now());
    auto errs = schema::validate_collection(conn_, *schema_, c);
    EXPECT_TRUE(errs.empty()) << json::dump(errs.to_json());
    db::persist_collection(conn_, *schema_, c, nullptr);
    tx.commit();
    reload();
    return c;
  }

  // The error envelope data of creating `body_json`.
  json::Value create_errors(std::string_view body_json) {
    std::string invalid_type;
    Collection c = build(body_json, &invalid_type);
    schema::prepare_for_save(conn_, c, true, true, now());
    schema::ValidateOptions opts;
    opts.invalid_type = invalid_type;
    return schema::validate_collection(conn_, *schema_, c, opts).to_json();
  }

  // The error envelope data of applying `body_json` to the stored collection `name`.
  json::Value update_errors(std::string_view name, std::string_view body_json) {
    const Collection* original = schema_->find(name);
    EXPECT_NE(original, nullptr) << name;
    if (!original) return {};
    Collection c = *original;
    auto in = schema::apply_collection_json(c, json::parse(body_json).as_object(), original);
    EXPECT_TRUE(in.ok);
    schema::prepare_for_save(conn_, c, false, false, now());
    schema::ValidateOptions opts;
    opts.original = original;
    opts.invalid_type = in.invalid_type;
    return schema::validate_collection(conn_, *schema_, c, opts).to_json();
  }

 private:
  static Collection build(std::string_view body_json, std::string* invalid_type = nullptr) {
    json::Object body = json::parse(body_json).as_object();
    const json::Value* t = body.find("type");
    const json::Value* n = body.find("name");
    auto type = schema::collection_type_from_name(t && t->is_string() ? t->as_string() : "");
    Collection c = schema::new_collection(type.value_or(CollectionType::Base), n && n->is_string() ? n->as_string() : "");
    auto in = schema::apply_collection_json(c, body);
    EXPECT_TRUE(in.ok) << body_json;
    if (invalid_type) *invalid_type = in.invalid_type;
    return c;
  }

  db::Connection conn_;
  std::shared_ptr<const schema::Schema> schema_;
};

// data["a"]["b"]... for "a.b"; nullptr when absent.
const json::Value* at(const json::Value& v, std::string_view path) {
  const json::Value* cur = &v;
  while (!path.empty() && cur) {
    size_t dot = path.find('.');
    cur = cur->find(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return cur;
}

std::string code_at(const json::Value& data, std::string_view path) {
  const json::Value* e = at(data, path);
  if (!e || !e->find("code")) return "<none> in " + json::dump(data);
  return e->find("code")->as_string();
}

struct Case {
  const char* name;
  const char* body;
  const char* path;
  const char* code;
};

std::string text(size_t n) { return std::string(n, 'x'); }

const std::vector<Case>& create_cases() {
  static const std::string long_name = "{\"name\":\"" + text(256) + "\"}";
  static const std::string long_help =
      R"({"name":"c","fields":[{"name":"h","type":"bool","help":")" + text(301) + R"("}]})" "";
  static const std::vector<Case> cases = {
      {"name missing", R"J({})J", "name", "validation_required"},
      {"name format", R"J({"name":"a b"})J", "name", "validation_match_invalid"},
      {"name with _via_", R"J({"name":"a_Via_b"})J", "name", "validation_found_via"},
      {"name taken (case-insensitive)", R"J({"name":"USERS"})J", "name", "validation_collection_name_exists"},
      {"name is a collection id", R"J({"name":"_pb_users_auth_"})J", "name", "validation_collection_name_id_duplicate"},
      {"name is an internal table", R"J({"name":"_migrations"})J", "name", "validation_collection_name_invalid"},
      {"name too long", long_name.c_str(), "name", "validation_length_out_of_range"},
      {"unknown type", R"J({"name":"c","type":"nope"})J", "type", "validation_in_invalid"},
      {"id format", R"J({"name":"c","id":"bad id"})J", "id", "validation_match_invalid"},
      {"id taken", R"J({"name":"c","id":"_pb_users_auth_"})J", "id", "validation_invalid_or_existing_id"},
      {"rule does not compile", R"J({"name":"c","listRule":"nope = 1"})J", "listRule", "validation_invalid_rule"},
      {"rule syntax", R"J({"name":"c","viewRule":"id ="})J", "viewRule", "validation_invalid_rule"},
      {"view create rule", R"J({"name":"v","type":"view","viewQuery":"select id from users","createRule":""})J",
       "createRule", "validation_nil"},
      {"view without query", R"J({"name":"v","type":"view"})J", "viewQuery", "validation_required"},
      {"view without query: no fields", R"J({"name":"v","type":"view"})J", "fields", "validation_required"},
      {"view wildcard", R"J({"name":"v","type":"view","viewQuery":"select * from users"})J", "viewQuery",
       "validation_invalid_view_query"},
      {"view SQL error", R"J({"name":"v","type":"view","viewQuery":"select id from nope"})J", "viewQuery",
       "validation_invalid_view_query"},
      {"view second statement", R"J({"name":"v","type":"view","viewQuery":"select id from users; select 1"})J",
       "viewQuery", "validation_invalid_view_query"},
      {"view without id", R"J({"name":"v","type":"view","viewQuery":"select email from users"})J", "fields",
       "validation_missing_primary_key"},
      {"view indexes", R"J({"name":"v","type":"view","viewQuery":"select id from users","indexes":["CREATE INDEX i ON v (id)"]})J",
       "indexes", "validation_indexes_not_supported"},
      {"reserved field name", R"J({"name":"c","fields":[{"name":"expand","type":"text"}]})J", "fields.1.name",
       "validation_not_in_invalid"},
      {"field name format", R"J({"name":"c","fields":[{"name":"b c","type":"text"}]})J", "fields.1.name",
       "validation_match_invalid"},
      {"field name blank", R"J({"name":"c","fields":[{"name":"","type":"text"}]})J", "fields.1.name",
       "validation_required"},
      {"field name _via_", R"J({"name":"c","fields":[{"name":"x_via_y","type":"bool"}]})J", "fields.1.name",
       "validation_found_via"},
      {"duplicated field name", R"J({"name":"c","fields":[{"name":"a","type":"text","id":"f1"},{"name":"A","type":"number","id":"f2"}]})J",
       "fields.2.name", "validation_duplicated_field_name"},
      {"select without values", R"J({"name":"c","fields":[{"name":"s","type":"select"}]})J", "fields.1.values",
       "validation_required"},
      {"select maxSelect over values", R"J({"name":"c","fields":[{"name":"s","type":"select","values":["a"],"maxSelect":3}]})J",
       "fields.1.maxSelect", "validation_max_less_equal_than_required"},
      {"relation without collection", R"J({"name":"c","fields":[{"name":"r","type":"relation"}]})J",
       "fields.1.collectionId", "validation_required"},
      {"relation to a missing collection", R"J({"name":"c","fields":[{"name":"r","type":"relation","collectionId":"nope"}]})J",
       "fields.1.collectionId", "validation_field_relation_missing_collection"},
      {"relation by name is not an id", R"J({"name":"c","fields":[{"name":"r","type":"relation","collectionId":"users"}]})J",
       "fields.1.collectionId", "validation_field_relation_missing_collection"},
      {"relation to a view", R"J({"name":"c","fields":[{"name":"r","type":"relation","collectionId":"pbc_v_users"}]})J",
       "fields.1.collectionId", "validation_relation_field_non_view_base_collection"},
      {"text max below min", R"J({"name":"c","fields":[{"name":"t","type":"text","min":5,"max":2}]})J", "fields.1.max",
       "validation_min_greater_equal_than_required"},
      {"text pattern", R"J({"name":"c","fields":[{"name":"t","type":"text","pattern":"("}]})J", "fields.1.pattern",
       "validation_invalid_regex"},
      {"text autogenerate pattern", R"J({"name":"c","fields":[{"name":"t","type":"text","autogeneratePattern":"[a-z]{3}","min":5}]})J",
       "fields.1.autogeneratePattern", "validation_invalid_autogenerate_pattern_value"},
      {"second primary key", R"J({"name":"c","fields":[{"name":"pk2","type":"text","primaryKey":true,"pattern":"x"}]})J",
       "fields.1.name", "validation_in_invalid"},
      {"number max below min", R"J({"name":"c","fields":[{"name":"n","type":"number","min":5,"max":2}]})J",
       "fields.1.max", "validation_min_number_constraint"},
      {"number onlyInt min", R"J({"name":"c","fields":[{"name":"n","type":"number","min":1.5,"onlyInt":true}]})J",
       "fields.1.min", "validation_only_int_constraint"},
      {"password cost", R"J({"name":"c","fields":[{"name":"p","type":"password","cost":50}]})J", "fields.1.cost",
       "validation_max_less_equal_than_required"},
      {"password max", R"J({"name":"c","fields":[{"name":"p","type":"password","max":80}]})J", "fields.1.max",
       "validation_max_less_equal_than_required"},
      {"autodate never set", R"J({"name":"c","fields":[{"name":"d","type":"autodate"}]})J", "fields.1.onCreate",
       "validation_required"},
      {"thumb 0x0", R"J({"name":"c","fields":[{"name":"f","type":"file","thumbs":["0x0","abc"]}]})J",
       "fields.1.thumbs.0", "validation_not_in_invalid"},
      {"thumb format", R"J({"name":"c","fields":[{"name":"f","type":"file","thumbs":["0x0","abc"]}]})J",
       "fields.1.thumbs.1", "validation_match_invalid"},
      {"file maxSelect negative", R"J({"name":"c","fields":[{"name":"f","type":"file","maxSelect":-1}]})J",
       "fields.1.maxSelect", "validation_min_greater_equal_than_required"},
      {"email only and except domains", R"J({"name":"c","fields":[{"name":"e","type":"email","onlyDomains":["a.com"],"exceptDomains":["b.com"]}]})J",
       "fields.1.exceptDomains", "validation_empty"},
      {"url domain format", R"J({"name":"c","fields":[{"name":"u","type":"url","onlyDomains":["not a domain"]}]})J",
       "fields.1.onlyDomains.0", "validation_is_domain"},
      {"json maxSize negative", R"J({"name":"c","fields":[{"name":"j","type":"json","maxSize":-1}]})J",
       "fields.1.maxSize", "validation_min_greater_equal_than_required"},
      {"help too long", long_help.c_str(), "fields.1.help", "validation_length_out_of_range"},
      {"index expression", R"J({"name":"c","indexes":["nonsense"]})J", "indexes.0", "validation_invalid_index_expression"},
      {"index name twice", R"J({"name":"c","indexes":["CREATE INDEX i1 ON c (id)","CREATE INDEX I1 ON c (created)"]})J",
       "indexes.1", "validation_duplicated_index_name"},
      {"index definition twice", R"J({"name":"c","indexes":["CREATE INDEX i1 ON c (id)","CREATE INDEX i2 ON c (id)"]})J",
       "indexes.1", "validation_duplicated_index_definition"},
      {"index name of another table", R"J({"name":"c","indexes":["CREATE INDEX idx_email__pb_users_auth_ ON c (id)"]})J",
       "indexes.0", "validation_existing_index_name"},
      {"auth reserved field name", R"J({"name":"a","type":"auth","fields":[{"name":"passwordConfirm","type":"text"}]})J",
       "fields.1.name", "validation_reserved_field_name"},
      {"auth manage rule blank", R"J({"name":"a","type":"auth","manageRule":""})J", "manageRule",
       "validation_nil_or_not_empty_required"},
      {"auth rule", R"J({"name":"a","type":"auth","authRule":"bad ==="})J", "authRule", "validation_invalid_rule"},
      {"auth token duration", R"J({"name":"a","type":"auth","authToken":{"duration":5}})J", "authToken.duration",
       "validation_min_greater_equal_than_required"},
      {"auth token secret", R"J({"name":"a","type":"auth","authToken":{"secret":"short"}})J", "authToken.secret",
       "validation_length_out_of_range"},
      {"file token duration", R"J({"name":"a","type":"auth","fileToken":{"duration":99999999999}})J",
       "fileToken.duration", "validation_max_less_equal_than_required"},
      {"otp duration", R"J({"name":"a","type":"auth","otp":{"enabled":true,"duration":5}})J", "otp.duration",
       "validation_min_greater_equal_than_required"},
      {"otp length", R"J({"name":"a","type":"auth","otp":{"enabled":true,"length":2}})J", "otp.length",
       "validation_min_greater_equal_than_required"},
      {"template subject", R"J({"name":"a","type":"auth","verificationTemplate":{"subject":""}})J",
       "verificationTemplate.subject", "validation_required"},
      {"mfa with one method", R"J({"name":"a","type":"auth","mfa":{"enabled":true}})J", "mfa.enabled",
       "validation_mfa_not_enough_auths"},
      {"mfa rule", R"J({"name":"a","type":"auth","mfa":{"enabled":true,"rule":"bad ==="},"otp":{"enabled":true}})J",
       "mfa.rule", "validation_invalid_rule"},
      {"identity field missing", R"J({"name":"a","type":"auth","passwordAuth":{"identityFields":["nope"]}})J",
       "passwordAuth.identityFields", "validation_missing_field"},
      {"identity field not unique", R"J({"name":"a","type":"auth","fields":[{"name":"title","type":"text"}],"passwordAuth":{"identityFields":["title"]}})J",
       "passwordAuth.identityFields", "validation_missing_unique_constraint"},
      {"identity fields empty", R"J({"name":"a","type":"auth","passwordAuth":{"identityFields":[]}})J",
       "passwordAuth.identityFields", "validation_required"},
      {"oauth2 duplicated provider", R"J({"name":"a","type":"auth","oauth2":{"enabled":true,"providers":[{"name":"google"},{"name":"google"}]}})J",
       "oauth2.providers.1.name", "validation_duplicated_provider"},
      {"oauth2 unknown provider", R"J({"name":"a","type":"auth","oauth2":{"enabled":true,"providers":[{"name":"nope","clientId":"x","clientSecret":"y"}]}})J",
       "oauth2.providers.0.name", "validation_missing_provider"},
      {"oauth2 provider secret", R"J({"name":"a","type":"auth","oauth2":{"enabled":true,"providers":[{"name":"google","clientId":"x"}]}})J",
       "oauth2.providers.0.clientSecret", "validation_required"},
      {"oauth2 provider url", R"J({"name":"a","type":"auth","oauth2":{"enabled":true,"providers":[{"name":"google","clientId":"x","clientSecret":"y","authURL":"notaurl"}]}})J",
       "oauth2.providers.0.authURL", "validation_is_url"},
  };
  return cases;
}

class CollectionValidateCreate : public ::testing::TestWithParam<Case> {};

TEST_P(CollectionValidateCreate, Code) {
  Env env;
  env.create(R"J({"name":"v_users","id":"pbc_v_users","type":"view","viewQuery":"select id, email from users"})J");
  const Case& c = GetParam();
  EXPECT_EQ(code_at(env.create_errors(c.body), c.path), c.code) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Table, CollectionValidateCreate, ::testing::ValuesIn(create_cases()),
                         [](const ::testing::TestParamInfo<Case>& p) { return "case" + std::to_string(p.index); });

struct UpdateCase {
  const char* name;
  const char* collection;
  const char* body;
  const char* path;
  const char* code;
};

class CollectionValidateUpdate : public ::testing::TestWithParam<UpdateCase> {};

TEST_P(CollectionValidateUpdate, Code) {
  Env env;
  env.create(R"J({"name":"posts","fields":[{"name":"title","type":"text"},{"name":"owner","type":"relation","collectionId":"_pb_users_auth_","id":"rel1"}]})J");
  const UpdateCase& c = GetParam();
  EXPECT_EQ(code_at(env.update_errors(c.collection, c.body), c.path), c.code) << c.name;
}

const std::vector<UpdateCase>& update_cases() {
  static const std::vector<UpdateCase> cases = {
      {"type change", "users", R"J({"type":"base"})J", "type", "validation_collection_type_change"},
      {"type change to auth: zero options", "posts", R"J({"type":"auth"})J", "authToken.secret", "validation_required"},
      {"system flag change", "users", R"J({"system":true})J", "system", "validation_collection_system_flag_change"},
      {"system name change", "_superusers", R"J({"name":"su2"})J", "name", "validation_collection_system_name_change"},
      {"system rule change", "_superusers", R"J({"listRule":""})J", "listRule",
       "validation_collection_system_rule_change"},
      {"system field renamed", "users", R"J({"fields":[{"id":"email3885137012","name":"mail","type":"email"}]})J", "fields",
       "validation_system_field_change"},
      {"field type change", "posts", R"J({"fields":[{"id":"text724990059","name":"title","type":"number"}]})J",
       "fields.1", "validation_field_type_change"},
      {"relation target change", "posts",
       R"J({"fields":[{"name":"title","type":"text"},{"id":"rel1","name":"owner","type":"relation","collectionId":"pbc_3142635823"}]})J",
       "fields.2.collectionId", "validation_field_relation_change"},
      // `fields` replaces the whole list (PocketBase's FieldsList.UnmarshalJSON), so every system
      // field is sent again; only `created` (index 4) changes.
      {"system autodate change", "_mfas",
       R"J({"fields":[{"name":"id","type":"text","system":true,"primaryKey":true,"required":true,"min":15,"max":15,"pattern":"^[a-z0-9]+$","autogeneratePattern":"[a-z0-9]{15}"},)J"
       R"J({"name":"collectionRef","type":"text","system":true,"required":true},{"name":"recordRef","type":"text","system":true,"required":true},)J"
       R"J({"name":"method","type":"text","system":true,"required":true},)J"
       R"J({"id":"autodate2990389176","name":"created","type":"autodate","system":true,"onCreate":false,"onUpdate":true},)J"
       R"J({"name":"updated","type":"autodate","system":true,"onCreate":true,"onUpdate":true}]})J",
       "fields.4.onCreate", "validation_values_mismatch"},
      {"name taken by another", "posts", R"J({"name":"Users"})J", "name", "validation_collection_name_exists"},
  };
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Table, CollectionValidateUpdate, ::testing::ValuesIn(update_cases()),
                         [](const ::testing::TestParamInfo<UpdateCase>& p) { return "case" + std::to_string(p.index); });

TEST(CollectionValidate, ValidCollectionsHaveNoErrors) {
  Env env;
  EXPECT_EQ(json::dump(env.create_errors(R"J({"name":"posts","fields":[{"name":"title","type":"text","max":200}]})J")), "{}");
  EXPECT_EQ(json::dump(env.create_errors(R"J({"name":"people","type":"auth"})J")), "{}");
  EXPECT_EQ(json::dump(env.create_errors(R"J({"name":"v","type":"view","viewQuery":"select id, email from users"})J")),
            "{}");
  EXPECT_EQ(json::dump(env.update_errors("users", R"J({"listRule":"id = @request.auth.id"})J")), "{}");
}

TEST(CollectionValidate, ErrorRendering) {
  schema::ValidationErrors inner;
  inner.add("max", schema::ValidationError{"validation_min_greater_equal_than_required", "must be no less than 5",
                                           json::Value(json::Object{{"threshold", 5}})});
  schema::ValidationErrors fields;
  fields.add("1", std::move(inner));
  schema::ValidationErrors errs;
  errs.add("name", schema::ValidationError{"validation_required", "cannot be blank", {}});
  errs.add("fields", std::move(fields));
  errs.add("name", schema::ValidationError{"ignored", "the first error of a key wins", {}});
  EXPECT_EQ(json::dump(errs.to_json()),
            R"J({"fields":{"1":{"max":{"code":"validation_min_greater_equal_than_required","message":"Must be no less than 5.","params":{"threshold":5}}}},"name":{"code":"validation_required","message":"Cannot be blank."}})J");
  EXPECT_EQ(json::dump(errs.to_messages()), R"J({"fields":{"1":{"max":"must be no less than 5"}},"name":"cannot be blank"})J");
  EXPECT_EQ(errs.to_string(), "fields: (1: (max: must be no less than 5.).); name: cannot be blank.");
}

TEST(CollectionValidate, FieldIdsFollowFieldsListAdd) {
  std::vector<schema::Field> fields;
  schema::Field a;
  a.type = schema::FieldType::Text;
  a.name = "a";
  schema::add_field(fields, a);
  EXPECT_EQ(fields[0].id, schema::default_field_id(schema::FieldType::Text, "a"));
  // Same name, no id: replaces in place and keeps the id.
  schema::Field a2 = a;
  a2.type = schema::FieldType::Number;
  schema::add_field(fields, a2);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].type, schema::FieldType::Number);
  EXPECT_EQ(fields[0].id, schema::default_field_id(schema::FieldType::Text, "a"));
  // A default id that is taken gets a numeric suffix.
  schema::Field b = a;
  b.name = "b";
  b.id = schema::default_field_id(schema::FieldType::Text, "c");
  schema::add_field(fields, b);
  schema::Field c = a;
  c.name = "c";
  schema::add_field(fields, c);
  EXPECT_EQ(fields.back().id, schema::default_field_id(schema::FieldType::Text, "c") + "2");
  // An explicit id replaces the field with that id.
  schema::Field b2 = b;
  b2.name = "renamed";
  schema::add_field(fields, b2);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[1].name, "renamed");
}

TEST(CollectionValidate, GeneratedIdStepsAsideWhenTaken) {
  Env env;
  const std::string taken = schema::default_collection_id(CollectionType::Auth, "members");
  env.create(R"({"name":"other","id":")" + taken + "\"}");
  Collection c = schema::new_collection(CollectionType::Auth, "members");
  schema::prepare_for_save(env.conn(), c, true, true, now());
  EXPECT_EQ(c.id, taken + "2");
  // The default auth index names follow the id.
  ASSERT_EQ(c.indexes.size(), 2u);
  EXPECT_NE(c.indexes[0].find("idx_tokenKey_" + taken + "2"), std::string::npos) << c.indexes[0];
}

TEST(CollectionValidate, AuthFieldsAreAppendedAfterUserFields) {
  Env env;
  Collection c = env.create(R"J({"name":"accts","type":"auth","fields":[{"name":"title","type":"text"}]})J");
  std::vector<std::string> names;
  for (const auto& f : c.fields) names.push_back(f.name + ":" + f.id);
  EXPECT_EQ(names, (std::vector<std::string>{"id:text3208210256", "title:text724990059", "password:password901924565",
                                             "tokenKey:text2504183744", "email:email3885137012",
                                             "emailVisibility:bool1547992806", "verified:bool256245529"}));
}

}  // namespace
