// Who the client is, network-wise: PocketBase's RemoteIP/RealIP and the superuser IP whitelist.
//
// The "real" IP is what every IP-keyed feature uses (rate limits, realtime client binding, the
// OAuth2 redirect's client check, auth alerts, OTP attempt counting, the whitelist): the address
// the configured trusted proxy headers name, else the transport peer. As in PocketBase, headers
// are only read when `trustedProxy.headers` lists them, so a client cannot pick its own IP on a
// server that is not behind a proxy.
#pragma once

#include <string>

#include "core/http/message.h"
#include "core/settings/settings.h"

namespace larder::api {

// core.RequestEvent.RealIP: for each of `trustedProxy.headers` in order, the last value of that
// header (the one the nearest proxy wrote) split at commas, scanned from the right (or from the
// left with `useLeftmostIP`) for the first valid IP; else the transport peer, in netip's
// StringExpanded form (an unparsable peer, which no host produces, is kept as given).
std::string real_ip(const http::Request& req, const settings::Settings& settings);

// `superuserIPs` is empty or lists `ip` (an IP or a subnet containing it).
bool superuser_ip_allowed(const settings::Settings& settings, std::string_view ip);

}  // namespace larder::api
