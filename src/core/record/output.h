// A record as the API returns it (api.md §6.1): every visible field plus collectionId and
// collectionName (and expand), keys sorted like a Go map. Visibility comes from the record's
// own flags (show_hidden, show_email), set by the API layer for the requester.
#pragma once

#include "core/json/json.h"
#include "core/record/record.h"

namespace larder::record {

json::Value to_api_json(const Record& r);

}  // namespace larder::record
