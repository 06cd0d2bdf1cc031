#pragma once

#include "policies/policy.h"

namespace gatehouse::policies {

// Compiles `type: json_threat_protection` (see json_threat_config.h). Reads the request body
// whole (the request-body phase) and refuses a JSON body beyond the bounds with 400, naming the
// bound; the backend never sees it. Runs in the admission phase, after authentication.
const PolicyFactory& json_threat_policy_factory();

}  // namespace gatehouse::policies
