// An application's OAuth2 keys, made by the built-in key manager, as WSO2 API Manager's Developer
// Portal API makes them:
//   POST   /applications/{id}/keys/{PRODUCTION|SANDBOX}/generate
//          body (optional): {"grantTypesToBeSupported": ["client_credentials", ...],
//                            "scopes": ["read", ...], "callbackUrl": "https://...",
//                            "callbackUrls": [...], "validityTime": seconds,
//                            "refreshTokenValidityTime": seconds, "tokenType": "JWT"|"OPAQUE"}
//          200 {"keyManager": "resident", "consumerKey", "consumerSecret", "keyType",
//               "supportedGrantTypes", "callbackUrls", "scopes", "tokenType", "validityTime",
//               "refreshTokenValidityTime"}: the secret is shown this once.
//          409 when the application has a key of that type already.
//   POST   /applications/{id}/keys/{TYPE}/regenerate-secret
//          200 {"consumerKey", "consumerSecret"}: the old secret fails from now on.
//   GET    /applications/{id}/keys            200 {"count", "list": [key, without secret]}
//   GET    /applications/{id}/keys/{TYPE}     200 key, without secret
//   PUT    /applications/{id}/keys/{TYPE}     body as for generate: the key's settings replaced
//          (what the body leaves out takes generate's default); its consumer key and secret stay.
//          200 key, without secret.
//   DELETE /applications/{id}/keys/{TYPE}     204: its tokens are refused from now on.
// 404 for an application the gateway does not have, or a key it lacks; 409 for a change of a key
// that the config file declares. Each key is added to its application at once, on every worker,
// so that its tokens meet the application's subscriptions; the key manager keeps it across
// restarts.
#pragma once

#include <string_view>

#include "admin/admin_routes.h"

namespace gatehouse::admin {

// Whether `path` is /applications/{id}/keys or under it.
bool is_application_keys_path(std::string_view path);

AdminResponse route_application_keys(std::string_view method, std::string_view path,
                                     std::string_view body, const ApplicationKeyUpdates& updates);

}  // namespace gatehouse::admin
