#pragma once

#include "policies/policy.h"

namespace gatehouse::policies {

// Compiles `type: rewrite` (see rewrite_config.h).
const PolicyFactory& rewrite_policy_factory();

}  // namespace gatehouse::policies
