// Settings validation before a save: PocketBase's Settings.PostValidate (core/settings_model.go)
// with ozzo-validation's codes, messages and params, keyed like its nested errors
// (e.g. rateLimits.rules.0.label).
//
// Checked: superuserIPs; meta; logs; smtp; s3 and backups.s3; backups.cronMaxKeep; batch;
// rateLimits (rules required when enabled, label format, maxRequests/duration >= 1, audience,
// conflicting labels, excludedIPs). Not checked: the syntax of backups.cron (Larder runs no
// backups).
#pragma once

#include "core/json/json.h"
#include "core/schema/collection_validate.h"

namespace larder::settings {

// Empty when `settings` (a decoded settings value, shape.h) may be saved.
schema::ValidationErrors validate(const json::Value& settings);

// The rate limit rule label format: "METHOD /path", "/path", "collection:action", "*:action"
// or a plain tag.
bool valid_rule_label(std::string_view label);

}  // namespace larder::settings
