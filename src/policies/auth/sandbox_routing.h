// Sends the requests of sandbox keys and tokens to the API's sandbox endpoints (WSO2's key
// types). The admission step has already refused them if the API has none.
//
// Not a configurable policy: the snapshot compiler adds one to each secured API's chains.
#pragma once

#include <memory>

#include "policies/policy.h"

namespace gatehouse::policies {

std::unique_ptr<const Policy> make_sandbox_routing_policy();

}  // namespace gatehouse::policies
