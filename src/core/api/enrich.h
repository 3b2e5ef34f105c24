// What every record response goes through before it is written (PocketBase's EnrichRecords):
// visibility flags for the requester (hidden fields for superusers; email for owners, managers
// and superusers) and the `expand` query parameter, whose related records are fetched with the
// related collection's viewRule applied (api.md §3.5).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/sqlite.h"
#include "core/query/request_info.h"
#include "core/record/record.h"
#include "core/schema/schema.h"

namespace larder::api {

using RecordList = std::vector<std::shared_ptr<record::Record>>;

// Sets show_hidden / show_email on records of one collection for the requester in `info`.
void resolve_visibility(db::Connection& conn, const schema::Schema& schema, const RecordList& records,
                        const query::RequestInfo& info);

// Splits, cleans and de-duplicates an expand parameter (spaces removed, dots trimmed, a path
// dropped when a longer path extends it).
std::vector<std::string> normalize_expands(std::string_view param);

// Expands `paths` on `records` (all of one collection). Failures are silent: a path that cannot
// be expanded is just not expanded.
void expand_records(db::Connection& conn, const schema::Schema& schema, const RecordList& records,
                    const std::vector<std::string>& paths, const query::RequestInfo& info);

// Visibility + the request's `expand` parameter.
void enrich_records(db::Connection& conn, const schema::Schema& schema, const RecordList& records,
                    const query::RequestInfo& info, std::string_view expand_param);

}  // namespace larder::api
