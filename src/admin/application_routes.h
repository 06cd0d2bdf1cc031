// Applications on the admin listener, as WSO2 API Manager's Developer Portal API makes them:
//   POST   /applications   {"name": "Pizza app", "owner": "alice", "throttlingPolicy": "Gold",
//                           "applicationId": "pizza-app"}
//          Only "name" is required; "owner" defaults to "admin", "throttlingPolicy" (an
//          application tier) to "Unlimited", "applicationId" to a random UUID.
//          201 {"applicationId", "name", "owner", "throttlingPolicy", "source": "admin"}, with
//          Location; 409 when the id is taken, or the owner has an application of that name.
//   GET    /applications        200 {"count", "list": [application, ...]}, in order of id
//   GET    /applications/{id}   200 application, "source" "config" or "admin", "keys"
//   DELETE /applications/{id}   204: its keys (their tokens refused at once), its subscriptions
//                               and subscription changes go with it. 409 for an application of
//                               the config file, changed only there.
// A new application has no keys (POST /applications/{id}/keys/{TYPE}/generate makes them) and no
// subscriptions (PUT /subscriptions/{id}/{API}). The built-in key manager's store keeps it across
// restarts; without that key manager the applications are listed, not changed (405).
#pragma once

#include <string_view>

#include "admin/admin_routes.h"

namespace gatehouse::admin {

// Whether `path` is /applications or /applications/{id} (not its keys).
bool is_applications_path(std::string_view path);

AdminResponse route_applications(std::string_view method, std::string_view path,
                                 std::string_view body, const ApplicationUpdates& updates);

}  // namespace gatehouse::admin
