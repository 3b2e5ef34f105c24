// Fresh-database initialisation.
#include "core/db/bootstrap.h"

#include "core/db/schema_sql.h"
#include "core/json/json.h"
#include "core/schema/defaults.h"
#include "core/util/datetime.h"

namespace larder::db {

namespace {

constexpr const char* kSystemTables = R"SQL(
CREATE TABLE `_migrations` (
  `file`    VARCHAR(255) PRIMARY KEY NOT NULL,
  `applied` INTEGER NOT NULL
);
CREATE TABLE `_params` (
  `id`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
  `value`   JSON DEFAULT NULL,
  `created` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,
  `updated` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL
);
CREATE TABLE `_collections` (
  `id`         TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
  `system`     BOOLEAN DEFAULT FALSE NOT NULL,
  `type`       TEXT DEFAULT 'base' NOT NULL,
  `name`       TEXT UNIQUE NOT NULL,
  `fields`     JSON DEFAULT '[]' NOT NULL,
  `indexes`    JSON DEFAULT '[]' NOT NULL,
  `listRule`   TEXT DEFAULT NULL,
  `viewRule`   TEXT DEFAULT NULL,
  `createRule` TEXT DEFAULT NULL,
  `updateRule` TEXT DEFAULT NULL,
  `deleteRule` TEXT DEFAULT NULL,
  `options`    JSON DEFAULT '{}' NOT NULL,
  `created`    TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,
  `updated`    TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL
);
CREATE INDEX `idx__collections_type` ON `_collections` (`type`);
)SQL";

// The migrations a fresh v0.39.11 database records, so real PocketBase never re-runs them.
constexpr const char* kMigrations[] = {
    "1640988000_aux_init.go",      "1640988000_init.go",          "1717233556_v0.23_migrate.go",
    "1717233557_v0.23_migrate2.go", "1717233558_v0.23_migrate3.go", "1717233559_v0.23_migrate4.go",
    "1763020353_update_default_auth_alert_templates.go", "1778828400_normalize_indexes.go",
};

bool table_exists(Connection& conn, const char* name) {
  auto st = conn.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  st.bind(1, std::string_view(name));
  return st.step();
}

}  // namespace

std::string default_settings_json(bool with_secrets) {
  using json::Object;
  using json::Value;
  Object smtp{{"enabled", false}, {"port", 587}, {"host", "smtp.example.com"}, {"username", ""}};
  if (with_secrets) smtp.set("password", "");
  smtp.set("authMethod", "");
  smtp.set("tls", false);
  smtp.set("localName", "");
  auto s3 = [] {
    return Value(Object{{"enabled", false}, {"bucket", ""}, {"region", ""}, {"endpoint", ""}, {"accessKey", ""},
                        {"forcePathStyle", false}});
  };
  auto rule = [](const char* label, int duration, int max) {
    return Value(Object{{"label", label}, {"audience", ""}, {"duration", duration}, {"maxRequests", max}});
  };
  Object settings{
      {"superuserIPs", Value::array()},
      {"smtp", Value(std::move(smtp))},
      {"backups", Value(Object{{"cron", ""}, {"cronMaxKeep", 3}, {"s3", s3()}})},
      {"s3", s3()},
      {"meta", Value(Object{{"accentColor", "#1055c9"},
                            {"appName", "Acme"},
                            {"appURL", "http://localhost:8090"},
                            {"senderName", "Support"},
                            {"senderAddress", "support@example.com"},
                            {"hideControls", false}})},
      {"rateLimits", Value(Object{{"rules", Value(json::Array{rule("*:auth", 3, 2), rule("*:create", 5, 20),
                                                            rule("/api/batch", 1, 3), rule("/api/", 10, 300)})},
                                  {"excludedIPs", Value::array()},
                                  {"enabled", false}})},
      {"trustedProxy", Value(Object{{"headers", Value::array()}, {"useLeftmostIP", false}})},
      {"batch", Value(Object{{"enabled", false}, {"maxRequests", 50}, {"timeout", 3}, {"maxBodySize", 0}})},
      {"logs", Value(Object{{"maxDays", 5}, {"minLevel", 0}, {"logIP", true}, {"logAuthId", false}})},
  };
  return json::dump(Value(std::move(settings)));
}

bool bootstrap_data_db(Connection& conn) {
  if (table_exists(conn, "_collections")) return false;
  Transaction tx(conn);
  conn.exec(kSystemTables);

  const std::string now = util::format_datetime(util::now_utc());
  for (const schema::Collection& c : schema::fresh_database_collections(now)) {
    auto st = conn.prepare(
        "INSERT INTO `_collections` (id, system, type, name, fields, indexes, listRule, viewRule, createRule, "
        "updateRule, deleteRule, options, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    json::Array fields, indexes;
    for (const auto& f : c.fields) fields.push_back(schema::field_to_json(f));
    for (const auto& i : c.indexes) indexes.emplace_back(i);
    auto rule = [&](int i, const std::optional<std::string>& r) {
      if (r) st.bind(i, std::string_view(*r));
      else st.bind(i, nullptr);
    };
    st.bind(1, std::string_view(c.id)).bind(2, c.system ? 1 : 0).bind(3, schema::collection_type_name(c.type));
    st.bind(4, std::string_view(c.name)).bind(5, json::dump(json::Value(std::move(fields))));
    st.bind(6, json::dump(json::Value(std::move(indexes))));
    rule(7, c.list_rule);
    rule(8, c.view_rule);
    rule(9, c.create_rule);
    rule(10, c.update_rule);
    rule(11, c.delete_rule);
    st.bind(12, json::dump(schema::collection_options_to_json(c)));
    st.bind(13, std::string_view(c.created)).bind(14, std::string_view(c.updated));
    st.step();
    create_collection_storage(conn, c);
  }

  {
    auto st = conn.prepare("INSERT INTO `_params` (id, value, created, updated) VALUES ('settings', ?, ?, ?)");
    st.bind_blob(1, default_settings_json(true));
    st.bind(2, std::string_view(now)).bind(3, std::string_view(now));
    st.step();
  }
  int64_t micros = util::now_utc().unix_ms * 1000;
  for (const char* m : kMigrations) {
    auto st = conn.prepare("INSERT INTO `_migrations` (file, applied) VALUES (?, ?)");
    st.bind(1, std::string_view(m)).bind(2, micros++);
    st.step();
  }
  tx.commit();
  return true;
}

}  // namespace larder::db
