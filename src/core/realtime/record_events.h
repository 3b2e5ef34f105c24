// Record create/update/delete events (auth-realtime-files.md §9.3): which subscriber gets which
// frame, decided per subscription with the collection's list/view rule evaluated as that
// subscriber (auth + the subscription's query/headers as @request), then serialized with the
// subscription's expand/fields.
//
// Events are computed and delivered in two steps because a delete must be evaluated while the
// row still exists but sent only after the transaction commits:
//   auto events = realtime::record_events(conn, schema, broker, rec, Action::Delete);  // in tx
//   tx.commit();
//   realtime::deliver(broker, events);
#pragma once

#include <string>
#include <vector>

#include "core/db/sqlite.h"
#include "core/realtime/broker.h"
#include "core/record/record.h"
#include "core/schema/schema.h"

namespace larder::realtime {

enum class Action { Create, Update, Delete };

struct Event {
  std::string client_id;
  std::string name;  // the subscription string
  std::string data;  // {"record":{...},"action":"..."}
};

// Evaluates every matching subscription against `rec`'s row as currently visible through
// `conn`. A row that is not (or no longer) there yields nothing. Never throws for a broken rule
// or filter: that subscription just gets nothing.
std::vector<Event> record_events(db::Connection& conn, const schema::Schema& schema, const Broker& broker,
                                 const record::Record& rec, Action action);

void deliver(Broker& broker, const std::vector<Event>& events);

}  // namespace larder::realtime
