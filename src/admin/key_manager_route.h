// The built-in key manager on the admin listener: the same endpoints as on the traffic
// listeners, for operators and services that reach the gateway only there.
#pragma once

#include <optional>
#include <string_view>

#include "admin/admin_routes.h"
#include "keymanager/server/endpoints.h"
#include "keymanager/server/oauth_message.h"

namespace gatehouse::admin {

// The key manager's endpoint `target` names (its path, the query left aside); nullopt when the
// gateway serves none, or for any other path.
std::optional<keymanager::EndpointId> key_manager_endpoint(const AdminServices& services,
                                                           std::string_view target);

// Views into `request`, which outlives the key manager's handling.
keymanager::OAuthRequest oauth_request_of(const AdminRequest& request);

// Every admin answer is no-store already; the key manager's other headers (Allow,
// WWW-Authenticate, Location, Set-Cookie, the authorization page's security headers) are kept.
AdminResponse admin_response_of(keymanager::OAuthAnswer answer);

}  // namespace gatehouse::admin
