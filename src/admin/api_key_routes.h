// API keys issued over the admin listener, as WSO2 API Manager's Developer Portal API does:
//   POST /applications/{applicationId}/api-keys/{PRODUCTION|SANDBOX}/generate
//   body (optional): {"validityPeriod": seconds, or -1 for the longest allowed (100 years);
//                     "additionalProperties": {"permittedIP": "10.0.0.0/8,192.0.2.1",
//                                              "permittedReferer": "*.example.com/*"}}
//   200 {"keyName": "<application name>_<KEYTYPE>", "apikey": "<the key>", "validityTime": N}
//   400 for a bad body, key type or restriction; 404 for an application the config lacks.
// The key lists the application's subscriptions from the installed config; revoke one with
// POST /revocations {"token": "<the key>"}.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "admin/admin_routes.h"

namespace gatehouse::admin {

struct ApiKeyPath {
  std::string_view application_id;
  std::string_view key_type;  // as written
};

// The parts of a generate path, or nullopt for another path.
std::optional<ApiKeyPath> parse_api_key_path(std::string_view path);

// `now`: seconds since the epoch. `installed` has a gateway key.
AdminResponse generate_api_key(const ApiKeyPath& path, std::string_view body,
                               const InstalledState& installed, int64_t now);

}  // namespace gatehouse::admin
