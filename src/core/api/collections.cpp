// The collections API for superusers (api.md §15): list, view, create, update, delete, truncate,
// import, scaffolds, OAuth2 provider list and view dry-runs.
//
// Bodies are merged onto collections by collection_input.h. Every change runs in one
// transaction on the writer: normalise (collection_validate.h), validate, apply to SQLite
// (schema_migrate.h), re-save dependent views, publish the new schema snapshot, commit.
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/api/common.h"
#include "core/api/record_files.h"
#include "core/api/record_write.h"
#include "core/api/settings.h"
#include "core/oauth2/provider.h"
#include "core/app/app.h"
#include "core/crypto/random.h"
#include "core/db/schema_migrate.h"
#include "core/db/schema_sql.h"
#include "core/http/error.h"
#include "core/http/headers.h"
#include "core/query/simple_query.h"
#include "core/record/cascade.h"
#include "core/record/codec.h"
#include "core/record/output.h"
#include "core/record/store.h"
#include "core/schema/collection_input.h"
#include "core/schema/collection_validate.h"
#include "core/schema/defaults.h"
#include "core/schema/view_fields.h"
#include "core/util/datetime.h"

namespace larder::api {

namespace {

using schema::Collection;
using schema::CollectionType;

constexpr const char* kLoadFailed = "Failed to load the submitted data due to invalid formatting.";
constexpr const char* kTypeLoadFailed = "Failed to load the collection type data due to invalid formatting.";
constexpr const char* kFormLoadFailed = "An error occurred while loading the submitted data.";
constexpr const char* kFormInvalid = "An error occurred while validating the submitted data.";

// RequireSuperuserAuth on the whole /api/collections group (api.md §1.5).
void require_superuser(const RequestContext& ctx) {
  if (!ctx.auth) throw http::ApiError::unauthorized("The request requires valid record authorization token.");
  if (!ctx.is_superuser()) throw http::ApiError::forbidden("The authorized record is not allowed to perform this action.");
}

Handler superuser_only(http::Response (*h)(RequestContext&)) {
  return [h](RequestContext& ctx) {
    require_superuser(ctx);
    return h(ctx);
  };
}

std::string now_string() { return util::format_datetime(util::now_utc()); }

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::iequals(s.substr(0, prefix.size()), prefix);
}

// The JSON object of the body; an empty body or `null` is {}. nullopt: not a JSON object.
std::optional<json::Object> json_body(const http::Request& req) {
  if (req.body.empty()) return json::Object{};
  if (!starts_with_ci(req.headers.get("Content-Type"), "application/json")) return std::nullopt;
  try {
    json::ParseOptions opts;
    opts.allow_trailing = true;  // Go's json.Decoder stops after the first value
    json::Value v = json::parse(req.body, opts);
    if (v.is_null()) return json::Object{};
    if (!v.is_object()) return std::nullopt;
    return std::move(v.as_object());
  } catch (const json::ParseError&) {
    return std::nullopt;
  }
}

// Go's cast.ToString for an import identifier.
std::string identifier_string(const json::Value* v) {
  if (!v) return {};
  if (v->is_string()) return v->as_string();
  if (v->is_number()) return record::number_to_string(v->as_number());
  if (v->is_bool()) return v->as_bool() ? "true" : "false";
  return {};
}

// ---- saving -----------------------------------------------------------------------------------

// Runs `change` in a transaction that also publishes the new schema snapshot. When anything
// fails after the snapshot was refreshed, the rolled-back state is read again so no request
// sees collections that were never committed.
template <class F>
void schema_transaction(App& app, db::Connection& conn, F&& change) {
  bool published = false;
  try {
    db::Transaction tx(conn);
    change();
    app.reload_schema(conn);
    published = true;
    tx.commit();
  } catch (...) {
    if (published) {
      try {
        app.reload_schema(conn);
      } catch (...) {
      }
    }
    throw;
  }
}

void log_view_failures(const std::vector<std::string>& failures, const std::string& name) {
  for (const auto& f : failures)
    std::fprintf(stderr, "larder: dependent view may need an update after %s changed: %s\n", name.c_str(), f.c_str());
}

// PocketBase's Save of a collection from the API: normalise, validate, apply, re-save views.
void save_collection(RequestContext& ctx, db::Connection& conn, Collection& c, const Collection* original,
                     bool auto_id, const std::string& invalid_type, const std::string& fail_message) {
  schema_transaction(ctx.app, conn, [&] {
    auto current = schema::Schema::load(conn);
    schema::prepare_for_save(conn, c, original == nullptr, auto_id, now_string());
    schema::ValidateOptions opts;
    opts.original = original;
    opts.invalid_type = invalid_type;
    schema::ValidationErrors errs = schema::validate_collection(conn, *current, c, opts);
    if (!errs.empty()) throw http::ApiError::bad_request(fail_message, errs.to_json());

    // A changed auth rule invalidates every auth token issued so far.
    if (original && c.is_auth() && original->auth.auth_rule.value_or("") != c.auth.auth_rule.value_or(""))
      c.auth.auth_token.secret = crypto::random_alnum(50);

    try {
      db::persist_collection(conn, *current, c, original);
    } catch (const db::MigrationRefused& e) {
      throw http::ApiError::bad_request(fail_message, e.errors.to_json());
    } catch (const std::exception& e) {
      throw http::ApiError::bad_request(fail_message + " Raw error: \n" + e.what());
    }
    // PocketBase only logs dependent view failures: the change itself stands.
    log_view_failures(db::resave_dependent_views(conn, c.id), c.name);
  });
}

// ---- handlers ---------------------------------------------------------------------------------

Collection collection_from_statement(const db::Statement& st) {
  int idx[14];
  static const char* names[14] = {"id",       "name",       "type",       "system",     "fields",
                                  "indexes",  "listRule",   "viewRule",   "createRule", "updateRule",
                                  "deleteRule", "options", "created",    "updated"};
  for (int k = 0; k < 14; ++k) {
    idx[k] = -1;
    for (int i = 0; i < st.column_count(); ++i)
      if (st.column_name(i) == names[k]) idx[k] = i;
  }
  auto text = [&](int k) { return idx[k] >= 0 ? st.get_text(idx[k]) : std::string(); };
  auto rule = [&](int k) -> std::optional<std::string> {
    if (idx[k] < 0 || st.is_null(idx[k])) return std::nullopt;
    return st.get_text(idx[k]);
  };
  auto parsed = [&](int k, const char* fallback) {
    std::string s = text(k);
    return json::parse(s.empty() ? std::string(fallback) : s);
  };
  std::string err;
  auto c = schema::collection_from_row(text(0), text(1), text(2), idx[3] >= 0 && st.get_int(idx[3]) != 0,
                                       parsed(4, "[]"), parsed(5, "[]"), rule(6), rule(7), rule(8), rule(9), rule(10),
                                       parsed(11, "{}"), text(12), text(13), &err);
  if (!c) throw db::Error(1, err);
  return std::move(*c);
}

http::Response list(RequestContext& ctx) {
  int64_t page = 1, per_page = 30;
  bool skip_total = false;
  if (auto v = ctx.query.get("skipTotal"); !v.empty()) skip_total = parse_bool_param(v);
  if (auto v = ctx.query.get("page"); !v.empty()) page = parse_int_param(v);
  if (auto v = ctx.query.get("perPage"); !v.empty()) per_page = parse_int_param(v);
  if (page <= 0) page = 1;
  if (per_page <= 0) per_page = 30;
  else if (per_page > 1000) per_page = 1000;
  std::string_view filter = ctx.query.get("filter");
  std::string_view sort = ctx.query.get("sort");
  if (filter.size() > 3500) throw http::ApiError::bad_request();

  auto conn = ctx.app.data_db().read();
  json::Array items;
  int64_t total = -1;
  try {
    // Only these columns resolve (PocketBase's simple field resolver for collections).
    query::SimpleQuery q("_collections", {"id", "created", "updated", "name", "system", "type"});
    q.where(filter);
    q.sort(sort);
    if (!skip_total) total = count_rows(*conn, q.count_sql(), q.params());
    auto st = conn->prepare(q.select_sql(per_page, page_offset(page, per_page)));
    st.bind(q.params());
    while (st.step()) items.push_back(schema::collection_to_json(collection_from_statement(st)));
  } catch (const query::FilterError&) {
    throw http::ApiError::bad_request();
  } catch (const db::Error&) {
    throw http::ApiError::bad_request();
  }
  json::Object result;
  result.set("items", json::Value(std::move(items)));
  result.set("page", page);
  result.set("perPage", per_page);
  result.set("totalItems", total);
  result.set("totalPages",
             skip_total ? int64_t{-1} : static_cast<int64_t>(std::ceil(static_cast<double>(total) / per_page)));
  return json_response(ctx, 200, json::Value(std::move(result)), /*paginated=*/true);
}

const Collection& find_or_404(const schema::Schema& s, std::string_view id_or_name) {
  const Collection* c = s.find(id_or_name);
  if (!c) throw http::ApiError::not_found();
  return *c;
}

http::Response view(RequestContext& ctx) {
  return json_response(ctx, 200, schema::collection_to_json(find_or_404(*ctx.schema, ctx.params.get("collection"))));
}

http::Response create(RequestContext& ctx) {
  auto body = json_body(ctx.req);
  if (!body) throw http::ApiError::bad_request(kTypeLoadFailed);
  std::string type_name, name;
  if (const json::Value* v = body->find("type")) {
    if (v->is_string()) type_name = v->as_string();
    else if (!v->is_null()) throw http::ApiError::bad_request(kTypeLoadFailed);
  }
  if (const json::Value* v = body->find("name")) {
    if (v->is_string()) name = v->as_string();
    else if (!v->is_null()) throw http::ApiError::bad_request(kTypeLoadFailed);
  }
  const CollectionType type = schema::collection_type_from_name(type_name).value_or(CollectionType::Base);
  Collection c = schema::new_collection(type, name);
  const std::string generated_id = c.id;
  schema::CollectionInput r = schema::apply_collection_json(c, *body, nullptr);
  if (!r.ok) throw http::ApiError::bad_request(kLoadFailed);
  // An id the client did not choose follows the final type+name (and steps aside when taken).
  const bool auto_id = c.id.empty() || c.id == generated_id;
  if (c.id.empty()) c.id = generated_id;

  auto conn = ctx.app.data_db().write();
  save_collection(ctx, *conn, c, nullptr, auto_id, r.invalid_type, "Failed to create collection.");
  return json_response(ctx, 200, schema::collection_to_json(c));
}

http::Response update(RequestContext& ctx) {
  auto conn = ctx.app.data_db().write();
  // The snapshot as of holding the writer: no other change can slip in between.
  auto current = ctx.app.schema();
  const Collection& original = find_or_404(*current, ctx.params.get("collection"));
  auto body = json_body(ctx.req);
  if (!body) throw http::ApiError::bad_request(kLoadFailed);
  Collection c = original;
  schema::CollectionInput r = schema::apply_collection_json(c, *body, &original);
  if (!r.ok) throw http::ApiError::bad_request(kLoadFailed);
  // PocketBase looks the collection up again by the (changed) id before validating anything.
  if (c.id != original.id && !current->by_id(c.id))
    throw http::ApiError::bad_request(
        "Failed to update collection. Raw error: \nfailed to retrieve old cached collection: sql: no rows in result "
        "set");
  save_collection(ctx, *conn, c, &original, false, r.invalid_type, "Failed to update collection.");
  // Rate limit rules follow a renamed collection ("old:auth" -> "new:auth"), as in PocketBase.
  if (c.name != original.name) rename_rate_limit_labels(ctx.app, *conn, original.name, c.name);
  return json_response(ctx, 200, schema::collection_to_json(c));
}

std::vector<std::string> referencing_collections(const schema::Schema& s, const Collection& c) {
  std::vector<std::string> names;
  for (const auto& other : s.all()) {
    if (other->id == c.id) continue;
    for (const auto& f : other->fields) {
      if (f.type == schema::FieldType::Relation && f.collection_id == c.id) {
        names.push_back(other->name);
        break;
      }
    }
  }
  return names;
}

http::Response remove(RequestContext& ctx) {
  auto conn = ctx.app.data_db().write();
  auto current = ctx.app.schema();
  const Collection& c = find_or_404(*current, ctx.params.get("collection"));
  const std::vector<std::string> refs = referencing_collections(*current, c);
  auto failure = [&] {
    std::string msg = "Failed to delete collection";
    if (!refs.empty()) {
      msg += " probably due to existing reference in ";
      for (size_t i = 0; i < refs.size(); ++i) msg += (i ? ", " : "") + refs[i];
    }
    return http::ApiError::bad_request(msg);
  };
  if (c.system || !refs.empty()) throw failure();
  const Collection doomed = c;
  schema_transaction(ctx.app, *conn, [&] {
    try {
      db::delete_collection(*conn, doomed);
    } catch (const std::exception&) {
      throw failure();
    }
    // A view that reads the deleted table can no longer be saved: the delete is refused.
    if (!db::resave_dependent_views(*conn, doomed.id).empty()) throw failure();
  });
  // After the commit: the collection's files (`<collectionId>/`) go with it.
  if (files::FileStore* store = ctx.app.file_store(); store && !doomed.is_view()) {
    if (auto folder = files::storage_key({doomed.id})) {
      try {
        store->remove_prefix(*folder);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "larder: removing %s failed: %s\n", folder->c_str(), e.what());
      }
    }
  }
  return http::Response::no_content();
}

http::Response truncate(RequestContext& ctx) {
  const Collection& found = find_or_404(*ctx.schema, ctx.params.get("collection"));
  if (found.is_view())
    throw http::ApiError::bad_request("View collections cannot be truncated since they don't store their own records.");
  auto conn = ctx.app.data_db().write();
  auto current = ctx.app.schema();
  const Collection* c = current->by_id(found.id);
  if (!c) throw http::ApiError::not_found();
  const std::string fail = "Failed to truncate collection (most likely due to required cascade delete record references).";
  std::vector<realtime::Event> events;  // sent once the whole truncate has committed
  std::vector<record::Record> removed, updated;  // settled once the whole truncate has committed
  try {
    db::Transaction tx(*conn);
    const std::string now = now_string();
    for (;;) {
      std::vector<record::Record> batch;
      {
        auto st = conn->prepare("SELECT * FROM " + db::quote_ident(c->name) + " LIMIT 500");
        record::RowReader reader(*c, st);
        while (st.step()) batch.push_back(reader.read());
      }
      if (batch.empty()) break;
      for (const auto& rec : batch) {
        // An earlier cascade of this batch may have removed it already.
        if (!record::find_by_id(*conn, *c, rec.id())) continue;
        if (c->name == schema::kSuperusersName) {
          auto count = conn->prepare("SELECT COUNT(*) FROM " + db::quote_ident(c->name));
          if (count.step() && count.get_int(0) <= 1) throw http::ApiError::bad_request(fail);
        }
        auto e = delete_events(ctx, *conn, rec, now);
        events.insert(events.end(), std::make_move_iterator(e.begin()), std::make_move_iterator(e.end()));
        std::vector<record::Record> deleted;
        record::delete_with_cascade(*conn, *current, rec, now, deleted, &updated);
        removed.insert(removed.end(), std::make_move_iterator(deleted.begin()), std::make_move_iterator(deleted.end()));
      }
    }
    tx.commit();
    settle_delete(ctx, *conn, removed, updated, events);
  } catch (const http::ApiError&) {
    throw;
  } catch (const std::exception&) {
    throw http::ApiError::bad_request(fail);
  }
  return http::Response::no_content();
}

http::Response scaffolds(RequestContext& ctx) {
  // The random id only names the default auth indexes, as in PocketBase.
  const std::string random_id = crypto::random_lower_alnum(10);
  json::Object out;
  for (auto [key, type] : {std::pair{"auth", CollectionType::Auth}, std::pair{"base", CollectionType::Base},
                           std::pair{"view", CollectionType::View}}) {
    Collection c = schema::new_collection(type, "", random_id);
    c.id.clear();
    out.set(key, schema::collection_to_json(c));
  }
  return json_response(ctx, 200, json::Value(std::move(out)));
}

http::Response oauth2_providers(RequestContext& ctx) {
  json::Array out;
  for (const auto& p : schema::oauth2_providers())
    out.push_back(json::Value(json::Object{
        {"name", std::string(p.name)}, {"displayName", std::string(p.display_name)}, {"logo", oauth2::provider_logo(p.display_name)}}));
  return json_response(ctx, 200, json::Value(std::move(out)));
}

http::Response dry_run(RequestContext& ctx) {
  auto body = json_body(ctx.req);
  if (!body) throw http::ApiError::bad_request(kFormLoadFailed);
  std::string query;
  if (const json::Value* v = body->find("query")) {
    if (v->is_string()) query = v->as_string();
    else if (!v->is_null()) throw http::ApiError::bad_request(kFormLoadFailed);
  }
  if (query.empty() || query.size() > 5000) {
    schema::ValidationErrors errs;
    errs.add("query", query.empty() ? schema::ValidationError{"validation_required", "cannot be blank", {}}
                                    : schema::ValidationError{"validation_length_too_long",
                                                              "the length must be no more than 5000",
                                                              json::Value(json::Object{{"min", 0}, {"max", 5000}})});
    throw http::ApiError::bad_request(kFormInvalid, errs.to_json());
  }
  auto conn = ctx.app.data_db().read();
  try {
    schema::DryRunView run = schema::dry_run_view(*conn, *ctx.schema, query, 10);
    Collection temp = schema::new_collection(CollectionType::View, "temp_view_" + crypto::random_alnum(5));
    temp.fields = run.fields;
    json::Array fields, sample;
    for (const auto& f : run.fields) fields.push_back(schema::field_to_json(f));
    auto st = conn->prepare("SELECT * FROM (SELECT * FROM (" + run.select + ")) LIMIT 10");
    record::RowReader reader(temp, st);
    while (st.step()) sample.push_back(record::to_api_json(reader.read()));
    return json_response(ctx, 200, json::Value(json::Object{{"fields", json::Value(std::move(fields))},
                                                             {"sample", json::Value(std::move(sample))}}));
  } catch (const std::exception& e) {
    throw http::ApiError::bad_request(std::string("Invalid view query. Raw error: \n") + e.what());
  }
}

// ---- import -----------------------------------------------------------------------------------

// Go's json.MarshalIndent(v, "", "  ") for the error dump inside import failures.
void write_indented(const json::Value& v, std::string& out, int depth) {
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    size_t i = 0;
    for (const auto& [k, item] : v.as_object()) {
      out.append(static_cast<size_t>(depth + 1) * 2, ' ');
      json::write_string(k, out);
      out += ": ";
      write_indented(item, out, depth + 1);
      if (++i < v.as_object().size()) out += ',';
      out += '\n';
    }
    out.append(static_cast<size_t>(depth) * 2, ' ');
    out += '}';
    return;
  }
  json::write(v, out);
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

[[noreturn]] void import_failure(const std::string& message) {
  schema::ValidationErrors errs;
  errs.add("collections", schema::ValidationError{"validation_collections_import_failure", message, {}});
  throw http::ApiError::bad_request("Failed to import collections.", errs.to_json());
}

struct Imported {
  Collection c;
  std::optional<Collection> existing;  // the stored version, when the import updates it
  bool auto_id = false;
  std::string invalid_type;
  std::string created, updated;  // as sent, for PocketBase's ordering
};

http::Response import_collections(RequestContext& ctx) {
  auto body = json_body(ctx.req);
  if (!body) throw http::ApiError::bad_request(kFormLoadFailed);
  std::vector<json::Object> items;
  bool delete_missing = false;
  if (const json::Value* v = body->find("collections"); v && !v->is_null()) {
    if (!v->is_array()) throw http::ApiError::bad_request(kFormLoadFailed);
    for (const auto& item : v->as_array()) {
      if (item.is_null()) items.emplace_back();
      else if (item.is_object()) items.push_back(item.as_object());
      else throw http::ApiError::bad_request(kFormLoadFailed);
    }
  }
  if (const json::Value* v = body->find("deleteMissing"); v && !v->is_null()) {
    if (!v->is_bool()) throw http::ApiError::bad_request(kFormLoadFailed);
    delete_missing = v->as_bool();
  }
  if (items.empty()) {
    schema::ValidationErrors errs;
    errs.add("collections", schema::ValidationError{"validation_required", "cannot be blank", {}});
    throw http::ApiError::bad_request(kFormInvalid, errs.to_json());
  }

  auto conn = ctx.app.data_db().write();
  schema_transaction(ctx.app, *conn, [&] {
    auto before = schema::Schema::load(*conn);
    std::vector<Imported> imports;
    for (json::Object& data : items) {
      Imported im;
      std::string ident = identifier_string(data.find("id"));
      if (ident.empty()) ident = identifier_string(data.find("name"));
      const Collection* existing = before->find(ident);
      if (existing) {
        im.existing = *existing;
        im.c = *existing;
        const json::Value* fields = data.find("fields");
        if ((!fields || fields->is_null()) && delete_missing) data.set("fields", json::Value::array());
        schema::CollectionInput r = schema::apply_collection_json(im.c, data, nullptr);
        if (!r.ok) import_failure("Failed to import the collections configuration. Raw error:\ninvalid collection data");
        im.invalid_type = r.invalid_type;
        // Stored fields missing from the import are kept (unless deleteMissing); one sent under
        // another id but with the same name and type is the stored field.
        for (const auto& f : existing->fields) {
          if (!f.system && delete_missing) continue;
          if (im.c.field_by_id(f.id)) continue;
          for (auto& sent : im.c.fields)
            if (sent.name == f.name && sent.type == f.type) sent.id = f.id;
          schema::add_field(im.c.fields, f);
        }
      } else {
        std::string type_name = identifier_string(data.find("type"));
        const CollectionType type = schema::collection_type_from_name(type_name).value_or(CollectionType::Base);
        im.c = schema::new_collection(type, identifier_string(data.find("name")), identifier_string(data.find("id")));
        im.auto_id = identifier_string(data.find("id")).empty();
        schema::CollectionInput r = schema::apply_collection_json(im.c, data, nullptr);
        if (!r.ok) import_failure("Failed to import the collections configuration. Raw error:\ninvalid collection data");
        im.invalid_type = r.invalid_type;
        im.created = identifier_string(data.find("created"));
        im.updated = identifier_string(data.find("updated"));
      }
      if (im.existing) {
        im.created = im.existing->created;
        im.updated = im.existing->updated;
      }
      imports.push_back(std::move(im));
    }
    // Views last (their queries may read the others), then by creation and update time.
    std::stable_sort(imports.begin(), imports.end(), [](const Imported& a, const Imported& b) {
      if (a.c.is_view() != b.c.is_view()) return !a.c.is_view();
      if (a.created != b.created) return a.created < b.created;
      return a.updated < b.updated;
    });

    const std::string now = now_string();
    try {
      if (delete_missing) {
        std::vector<const Collection*> stored;
        for (const auto& s : before->all()) stored.push_back(s.get());
        std::stable_sort(stored.begin(), stored.end(),
                         [](const Collection* a, const Collection* b) { return a->updated < b->updated; });
        for (const Collection* s : stored) {
          if (s->system) continue;
          bool kept = std::any_of(imports.begin(), imports.end(), [&](const Imported& im) { return im.c.id == s->id; });
          if (!kept) db::delete_collection(*conn, *s);
        }
      }
      for (auto& im : imports) {
        try {
          auto current = schema::Schema::load(*conn);
          schema::prepare_for_save(*conn, im.c, !im.existing, im.auto_id, now);
          db::persist_collection(*conn, *current, im.c, im.existing ? &*im.existing : nullptr);
        } catch (const db::MigrationRefused&) {
          throw;
        } catch (const std::exception& e) {
          throw std::runtime_error("failed to save collection " + go_quote(im.c.name) + ": " + e.what());
        }
      }
    } catch (const db::MigrationRefused& e) {
      throw http::ApiError::bad_request("Failed to import collections.", e.errors.to_json());
    } catch (const std::exception& e) {
      import_failure(std::string("Failed to import the collections configuration. Raw error:\n") + e.what());
    }

    // Validation runs once everything is in place, so collections may refer to each other.
    auto after = schema::Schema::load(*conn);
    for (const auto& im : imports) {
      schema::ValidateOptions opts;
      opts.original = im.existing ? &*im.existing : &im.c;
      opts.invalid_type = im.invalid_type;
      schema::ValidationErrors errs = schema::validate_collection(*conn, *after, im.c, opts);
      if (errs.empty()) continue;
      std::string dump;
      write_indented(errs.to_messages(), dump, 0);
      import_failure("Data validations failed for collection " + go_quote(im.c.name) + " (" + im.c.id + "):\n" + dump);
    }
    log_view_failures(db::resave_dependent_views(*conn, ""), "the import");
  });
  return http::Response::no_content();
}

}  // namespace

void bind_collections(Routes& routes) {
  routes.add("GET", "/api/collections", superuser_only(list));
  routes.add("POST", "/api/collections", superuser_only(create));
  routes.add("GET", "/api/collections/{collection}", superuser_only(view));
  routes.add("PATCH", "/api/collections/{collection}", superuser_only(update));
  routes.add("DELETE", "/api/collections/{collection}", superuser_only(remove));
  routes.add("DELETE", "/api/collections/{collection}/truncate", superuser_only(truncate));
  routes.add("PUT", "/api/collections/import", superuser_only(import_collections));
  routes.add("GET", "/api/collections/meta/scaffolds", superuser_only(scaffolds));
  routes.add("GET", "/api/collections/meta/oauth2-providers", superuser_only(oauth2_providers));
  routes.add("POST", "/api/collections/meta/dry-run-view", superuser_only(dry_run));
}

}  // namespace larder::api
