#pragma once

#include "policies/policy.h"

namespace gatehouse::policies {

// Compiles `type: cors` (see cors_config.h). A preflight request (OPTIONS with Origin and
// Access-Control-Request-Method) is answered by the gateway with 204 and never reaches the
// backend; for a disallowed origin the answer carries no Access-Control-* headers, which makes
// the browser fail the preflight. Other requests go on to the backend, and the gateway owns the
// CORS headers of their responses: the backend's Access-Control-Allow-Origin, -Allow-Credentials
// and -Expose-Headers are replaced by the policy's, or removed for a disallowed origin.
const PolicyFactory& cors_policy_factory();

}  // namespace gatehouse::policies
