// The last policy of a secured API's chain for requests under the API that match none of its
// resources: the caller got past the API's security, so it learns that the resource does not
// exist (WSO2's 900906, 403). Callers the API does not admit get the auth error instead, so an
// unauthenticated client cannot map an API's resources.
#pragma once

#include <memory>

#include "policies/policy.h"

namespace gatehouse::policies {

std::unique_ptr<const Policy> make_no_matching_resource_policy();

}  // namespace gatehouse::policies
