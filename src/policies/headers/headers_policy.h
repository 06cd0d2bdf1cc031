#pragma once

#include "policies/policy.h"

namespace gatehouse::policies {

// Compiles `type: headers` (see headers_config.h).
const PolicyFactory& headers_policy_factory();

}  // namespace gatehouse::policies
