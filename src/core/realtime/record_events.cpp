// Per-subscriber rule checks and payloads, like PocketBase's realtimeBroadcastRecord.
#include "core/realtime/record_events.h"

#include <cstdint>
#include <unordered_map>

#include "core/api/enrich.h"
#include "core/api/fields_picker.h"
#include "core/db/schema_sql.h"
#include "core/query/record_query.h"
#include "core/record/codec.h"
#include "core/record/output.h"

namespace larder::realtime {

namespace {

const char* action_name(Action a) {
  switch (a) {
    case Action::Create: return "create";
    case Action::Update: return "update";
    case Action::Delete: return "delete";
  }
  return "";
}

std::string_view query_value(const json::Object& q, std::string_view key) {
  const json::Value* v = q.find(key);
  return v ? v->get_string() : std::string_view{};
}

// The record as `sub`'s subscriber may see it, or nothing.
std::optional<std::string> payload(db::Connection& conn, const schema::Schema& schema, const schema::Collection& c,
                                   const record::Record& rec, const SubscriberView& who, const Subscription& sub,
                                   bool by_id, Action action) {
  query::RequestInfo info;
  info.context = "realtime";
  info.method = "GET";
  info.query = sub.query;
  info.headers = sub.headers;
  info.auth = who.auth.record;
  const bool superuser = info.is_superuser();
  const std::optional<std::string>& rule = by_id ? c.view_rule : c.list_rule;
  if (!superuser && !rule) return std::nullopt;

  api::RecordList records;
  try {
    query::RecordQuery q(schema, c, info);
    if (!superuser && !rule->empty()) q.where(*rule);
    q.set_client_mode(!superuser);
    q.where(query_value(sub.query, "filter"));
    q.where_sql(db::quote_ident(q.alias()) + ".`id` = :rt_record_id", {{"rt_record_id", std::string(rec.id())}});
    auto st = conn.prepare(q.select_sql(1));
    st.bind(q.params());
    if (!st.step()) return std::nullopt;
    records.push_back(std::make_shared<record::Record>(record::read_record(c, st)));
  } catch (const std::exception&) {
    return std::nullopt;  // a rule or filter that does not compile or run grants nothing
  }
  api::enrich_records(conn, schema, records, info, query_value(sub.query, "expand"));
  json::Value out = record::to_api_json(*records.front());
  if (std::string_view fields = query_value(sub.query, "fields"); !fields.empty()) {
    auto picked = api::pick_fields(out, fields, false);
    if (!picked) return std::nullopt;
    out = std::move(*picked);
  }
  json::Object msg;
  msg.set("record", std::move(out));
  msg.set("action", action_name(action));
  std::string data;
  json::write(json::Value(std::move(msg)), data);
  return data;
}

}  // namespace

std::vector<Event> record_events(db::Connection& conn, const schema::Schema& schema, const Broker& broker,
                                 const record::Record& rec, Action action) {
  std::vector<Event> out;
  if (!rec.collection || rec.collection->is_view()) return out;
  const schema::Collection& c = *rec.collection;
  const std::string id(rec.id());
  // Topics name the collection by id or (case-sensitive) name: C/<id>, C/*, and legacy C.
  auto kind = [&](std::string_view topic) -> int {  // 0 none, 1 list rule, 2 view rule
    for (const std::string* ref : {&c.name, &c.id}) {
      if (topic == *ref || topic == *ref + "/*") return 1;
      if (topic == *ref + "/" + id) return 2;
    }
    return 0;
  };
  // A payload depends only on the subscriber's auth record, the rule (list or view) and the
  // subscription's options, so subscribers that share all three — every guest with the same
  // options, typically the bulk of a fan-out — share one rule check and one serialization.
  // Same auth record object, not just the same id: exact, never a stale or foreign view.
  std::unordered_map<std::string, std::optional<std::string>> memo;
  for (const auto& who : broker.subscribers([&](std::string_view t) { return kind(t) != 0; })) {
    for (const auto& sub : who.subscriptions) {
      const bool by_id = kind(sub.topic) == 2;
      std::string memo_key = std::to_string(reinterpret_cast<uintptr_t>(who.auth.record.get()));
      memo_key += by_id ? "|v|" : "|l|";
      memo_key.append(sub.key, sub.topic.size());
      auto [it, fresh] = memo.try_emplace(std::move(memo_key));
      // The write has usually committed already: nothing here may turn it into an error.
      if (fresh) {
        try {
          it->second = payload(conn, schema, c, rec, who, sub, by_id, action);
        } catch (const std::exception&) {
        }
      }
      if (it->second) out.push_back({who.client_id, sub.key, *it->second});
    }
  }
  return out;
}

void deliver(Broker& broker, const std::vector<Event>& events) {
  for (const auto& e : events) broker.send(e.client_id, e.name, e.data);
}

}  // namespace larder::realtime
