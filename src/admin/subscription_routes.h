// /subscriptions on the admin listener: the update path of subscriptions. A change takes effect on
// every worker at once (each gets the new store, from its next request), compiles no API, and is
// kept across reloads, on top of the config file's subscriptions; with the built-in key manager,
// its store keeps the change across restarts too (else it lasts until the process ends).
//   GET    /subscriptions
//          200 {"subscriptions": [{"application", "api", "tier", "state"}, ...]}, in order of
//          application and API
//   PUT    /subscriptions/{application}/{Name:Version}   {"tier": "Gold", "state": "BLOCKED"}
//          Adds or replaces the application's subscription to the API. "tier" is required;
//          "state" (UNBLOCKED, BLOCKED, PROD_ONLY_BLOCKED, ON_HOLD, REJECTED) defaults to
//          UNBLOCKED. 200 with the subscription; 400 for a bad body or API name; 404 for an
//          application the config does not declare.
//   DELETE /subscriptions/{application}/{Name:Version}
//          204; 404 when the application has no subscription to the API.
// The two path segments are percent-decoded ("Pizza%20Shack:1.0.0").
#pragma once

#include <string>
#include <string_view>

#include "admin/admin_routes.h"

namespace gatehouse::security {
class ApplicationDirectory;
}

namespace gatehouse::admin {

// Whether `path` is /subscriptions or under it.
bool is_subscriptions_path(std::string_view path);

// Prometheus series: gatehouse_subscription_store_updates_total, gatehouse_subscriptions.
std::string subscription_metrics(const security::ApplicationDirectory& directory);

AdminResponse route_subscriptions(std::string_view method, std::string_view path,
                                  std::string_view body, const SubscriptionUpdates& updates);

}  // namespace gatehouse::admin
