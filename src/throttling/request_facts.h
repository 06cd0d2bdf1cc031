// What the throttling checks read of a request: who calls and from where, and the header, query
// parameter and claim values that conditions test. Views into the exchange; valid for its step.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pipeline/exchange.h"
#include "security/identity/ip_matcher.h"

namespace gatehouse::throttling {

// The client's address: the peer, or, when the peer is one of `trusted_proxies`, the last address
// of X-Forwarded-For that is not (each trusted proxy appends who it heard from; the entries
// before the first untrusted one from the right may be forged by the client).
std::string_view client_ip(const pipeline::Exchange& exchange,
                           const identity::IpMatcher& trusted_proxies);

// The first value of the header `name` (case-insensitive), if present.
std::optional<std::string_view> header_value(const http::RequestHead& request,
                                             std::string_view name);
// The value of the query parameter `name` as received (not percent-decoded), if present.
std::optional<std::string_view> query_value(std::string_view query, std::string_view name);
// The claim `name` of the caller's token as text (a string as it is, other values as JSON), if
// the caller presented a token holding it.
std::optional<std::string> claim_value(const pipeline::Exchange& exchange, std::string_view name);

}  // namespace gatehouse::throttling
