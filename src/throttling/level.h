// The levels at which a limit applies, and their names.
#pragma once

#include <cstdint>
#include <string_view>

namespace gatehouse::throttling {

// Where a limit applies; each has WSO2's error code (policies/throttle/throttle_refusal.h).
enum class Level : uint8_t {
  api,              // the API's advanced policy
  resource,         // the resource's advanced policy
  burst,            // the subscription tier's spike arrest
  subscription,     // the subscription tier
  unauthenticated,  // the Unauthenticated tier, per client address, for `auth: none` resources
  application,      // the application tier, across the application's APIs
  custom,           // a custom policy
};

// The level's name in the RateLimit headers, the metrics and the access log.
std::string_view level_name(Level level);

}  // namespace gatehouse::throttling
