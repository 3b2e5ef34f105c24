// The settings object as PocketBase's Go struct sees it (core/settings_model.go): its members,
// their order and their types, and json.Unmarshal's way of decoding JSON into it.
//
// PATCH /api/settings decodes the body onto a copy of the current settings with Go's
// json.Unmarshal, and the stored row is read the same way, so the rules are Go's:
//   * objects merge member by member into the struct; unknown members are ignored; a member
//     name matches exactly, else case-insensitively;
//   * `null` leaves a struct, string, number or bool unchanged and empties a list;
//   * a list replaces the old one's length, but element i is decoded *into* the old element i
//     (so `{"rules":[{"label":"x"}]}` keeps the old first rule's duration and maxRequests);
//   * a value of the wrong JSON type (or a non-integer for an int) is a type error: decoding
//     goes on, and the caller answers 400.
#pragma once

#include "core/json/json.h"

namespace larder::settings {

// PocketBase's newDefaultSettings(), in struct order, secrets included (empty).
json::Value defaults();

// Decodes `in` into `target` (a settings value in struct order). Returns false when some value
// had the wrong type; the rest is decoded regardless, like Go.
bool decode_into(json::Value& target, const json::Value& in);

// How the settings are written: `_params.value` (secrets kept, empty S3 secrets omitted as
// `omitempty` does) or the API answer (smtp.password and the S3 secrets omitted).
json::Value stored_form(const json::Value& settings);
json::Value public_form(const json::Value& settings);

}  // namespace larder::settings
