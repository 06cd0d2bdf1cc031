// The key a count is kept under: its level and the names that identify what is counted (an
// application id and an API's "Name:Version", a client address...). Names, not indexes into a
// snapshot or a store, so that a key means the same thing after a reload or a change of
// subscriptions, and the count goes on. Stable for the life of the process.
#pragma once

#include <cstdint>
#include <string_view>

namespace gatehouse::throttling {

// Where a limit applies; each has WSO2's error code (throttle_refusal.h).
enum class Level : uint8_t {
  api,              // the API's advanced policy
  resource,         // the resource's advanced policy
  burst,            // the subscription tier's spike arrest
  subscription,     // the subscription tier
  unauthenticated,  // the Unauthenticated tier, per client address, for `auth: none` resources
  application,      // the application tier, across the application's APIs
  custom,           // a custom policy
};

uint64_t counter_key(Level level, std::string_view first, std::string_view second = {},
                     std::string_view third = {});

}  // namespace gatehouse::throttling
