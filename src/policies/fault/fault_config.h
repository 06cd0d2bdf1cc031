// `type: fault`: injected faults, to see how clients cope with a slow or failing API before
// production shows them.
//
//   - type: fault
//     delay: {duration: 2s, percent: 10}   # 10% of requests wait 2s before going on
//     abort: {status: 503, percent: 5}     # 5% are answered 503 and never reach the backend
//
// At least one of `delay` and `abort`; `percent` defaults to 100. A request can be both delayed
// and aborted: it waits, then gets the abort status.
#pragma once

#include <cstdint>
#include <optional>

#include "config/node.h"
#include "config/units.h"
#include "policies/policy_config.h"

namespace gatehouse::policies {

struct FaultDelay {
  config::Millis duration{0};
  double percent = 100;
};

struct FaultAbort {
  int status = 503;
  double percent = 100;
};

struct FaultConfig {
  std::optional<FaultDelay> delay;
  std::optional<FaultAbort> abort;
};

// The longest delay a fault may inject: long enough for any timeout test, short enough that a
// typo cannot park requests for hours.
inline constexpr config::Millis kMaxFaultDelay{60'000};

Parsed<FaultConfig> parse_fault_config(const config::Node& node);

}  // namespace gatehouse::policies
