// The key a count is kept under: its level and the names that identify what is counted (an
// application id and an API's "Name:Version", a client address...). Names, not indexes into a
// snapshot or a store, so that a key means the same thing after a reload or a change of
// subscriptions, and the count goes on. The same in every process and every run: in a cluster
// it also names the count in Redis (shared_counts.h), which every node must compute alike.
#pragma once

#include <cstdint>
#include <string_view>

#include "throttling/level.h"

namespace gatehouse::throttling {

uint64_t counter_key(Level level, std::string_view first, std::string_view second = {},
                     std::string_view third = {});

}  // namespace gatehouse::throttling
