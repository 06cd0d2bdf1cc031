// Chooses the order in which a request tries an API's endpoints, and tracks per worker which
// endpoints are suspended after consecutive failures (WSO2's endpoint suspension: the suspension
// grows by a factor each time it is renewed, up to a maximum, and resets on a success).
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/inlined_vector.h>

#include <chrono>
#include <memory>
#include <vector>

#include "snapshot/snapshot.h"

namespace gatehouse::proxy {

using Clock = std::chrono::steady_clock;

// The endpoints one request may try, best first; no allocation for up to eight.
using EndpointOrder = absl::InlinedVector<const snapshot::Endpoint*, 8>;

struct EndpointHealth {
  uint32_t consecutive_failures = 0;
  Clock::time_point suspended_until{};
  Clock::duration next_suspension{};  // zero: the group's initial suspension

  bool suspended(Clock::time_point now) const { return now < suspended_until; }
  void record_success() {
    consecutive_failures = 0;
    suspended_until = {};
    next_suspension = {};
  }
  // Returns true when this failure suspended the endpoint.
  bool record_failure(const config::SuspensionConfig& policy, Clock::time_point now);
};

// Per worker, per snapshot: endpoint health (kept across snapshots by endpoint key) and the
// load-balancing state of each API.
class EndpointSelector {
 public:
  EndpointSelector(const snapshot::Snapshot& snapshot,
                   absl::flat_hash_map<std::string, std::unique_ptr<EndpointHealth>>& health);

  // Endpoints of `group` (the API's production or sandbox endpoints) to try, best first;
  // suspended ones are left out. Empty: none is available.
  void order(const snapshot::CompiledApi& api, const snapshot::EndpointGroup& group,
             Clock::time_point now, EndpointOrder& out);
  EndpointHealth& health(const snapshot::Endpoint& endpoint) { return *health_[endpoint.index]; }

 private:
  struct Balancer {
    uint64_t next = 0;             // round robin
    std::vector<int64_t> current;  // smooth weighted round robin, one per endpoint
  };
  std::vector<EndpointHealth*> health_;  // by Endpoint::index
  std::vector<Balancer> balancers_;      // by CompiledApi::index * 2 (+ 1 for sandbox)
};

}  // namespace gatehouse::proxy
