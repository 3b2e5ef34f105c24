// HS256 JSON Web Tokens exactly as PocketBase issues and checks them (golang-jwt v5 through
// pocketbase/tools/security): auth, file, verification, password-reset and email-change tokens
// are all this format, signed with record.tokenKey + the collection's token secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json/json.h"

namespace larder::jwt {

// Signs {"alg":"HS256","typ":"JWT"} + claims. Object keys are written in byte order at every
// level, as Go marshals a map (e.g. {"collectionId":..,"exp":..,"id":..,"refreshable":true,
// "type":"auth"}); integral numbers such as exp print without a fraction. Throws
// std::invalid_argument if `claims` is not an object.
std::string sign(const json::Value& claims, std::string_view key);

// An ES256 (ECDSA P-256, SHA-256) token, e.g. Apple's client secret: `header` and `claims` are
// written in the order given (the caller mirrors Go's field order), the signature is r || s
// (RFC 7518 §3.4). `private_key` is the 32-byte scalar; throws std::invalid_argument if it is
// invalid or either JSON value is not an object.
std::string sign_es256(const json::Value& header, const json::Value& claims, std::string_view private_key);

// A token split and decoded but NOT verified: three '.'-separated base64url segments, header and
// claims JSON objects. nullopt when malformed.
struct Parsed {
  json::Value header;
  json::Value claims;
  std::string signing_input;  // "<header>.<payload>", the bytes the signature covers
  std::string signature;      // raw bytes
};
std::optional<Parsed> parse_unverified(std::string_view token);

// golang-jwt v5's time checks for exp, nbf and iat (PocketBase checks iat too, via
// ParseUnverifiedJWT, before every record-token lookup): an absent claim or one equal to 0 is
// ignored; any other non-number fails; the value counts in whole seconds (fractions dropped);
// valid when now < exp, now >= nbf and now >= iat.
bool time_claims_valid(const json::Value& claims, int64_t now_unix);

// Full verification: alg exactly "HS256" (so never "none", "HS512", or missing), a matching
// HMAC-SHA256 signature (compared in constant time), and valid time claims. Returns the claims.
std::optional<json::Value> verify(std::string_view token, std::string_view key, int64_t now_unix);

}  // namespace larder::jwt
