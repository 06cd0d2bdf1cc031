// /blocking-conditions on the admin listener: requests refused outright (403, WSO2's 900805) for
// their API, application, user or client address. A change takes effect on every worker at once,
// with no reload, and stays until removed or the process ends; the config file's own
// conditions (throttling.blocking_conditions) are listed too, and change only with the file.
//   GET    /blocking-conditions
//          200 {"blocking_conditions": [{"id", "type", "value", "invert", "source"}, ...]}:
//          the file's first (id 0, source "config"), then those added here (source "admin")
//   POST   /blocking-conditions   {"type": "ip", "value": "192.0.2.7", "invert": false}
//          type: api ("/pizzashack/1.0.0"), application (its id), user, ip, ip_range
//          ("192.0.2.0-192.0.2.255"); "invert" (default false) blocks everything else.
//          201 with the condition and its id; 400 for a bad body.
//   DELETE /blocking-conditions/{id}
//          204; 404 when no condition added here has that id.
#pragma once

#include <string_view>

#include "admin/admin_routes.h"

namespace gatehouse::admin {

// Whether `path` is /blocking-conditions or under it.
bool is_blocking_conditions_path(std::string_view path);

AdminResponse route_blocking_conditions(std::string_view method, std::string_view path,
                                        std::string_view body, const BlockingUpdates& updates);

}  // namespace gatehouse::admin
