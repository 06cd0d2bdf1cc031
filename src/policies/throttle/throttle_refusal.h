// WSO2's answers to a throttled request.
#pragma once

#include "core/api_error.h"
#include "throttling/level.h"

namespace gatehouse::policies {

// 429 with the level's code: 900800 API, 900802 resource, 900803 application, 900804
// subscription (and the Unauthenticated tier), 900806 custom policy, 900807 burst control.
ApiError throttled(throttling::Level level);

// 403 with 900805: a blocking condition holds.
ApiError blocked();

// 503: the counts are shared through Redis, which did not answer, and throttling.cluster says
// on_redis_failure: closed.
ApiError counts_unavailable();

}  // namespace gatehouse::policies
