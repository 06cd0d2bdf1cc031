// How compiling a snapshot gets the health of the endpoints that have active health checks
// (endpoints.health_check). The checks run on the control thread, outside the snapshot
// (proxy::HealthChecker); an endpoint only holds its probe, whose flag the workers read.
#pragma once

#include <atomic>
#include <memory>

#include "config/model.h"

namespace gatehouse::snapshot {

struct Endpoint;
struct EndpointGroup;

// An endpoint's health as its checks last found it: written by the checks, read by the workers.
struct EndpointProbe {
  std::atomic<bool> healthy{true};
};

class ProbeRegistry {
 public:
  // The probe for this endpoint and check, started if new. Called while compiling a snapshot.
  virtual std::shared_ptr<const EndpointProbe> probe(const Endpoint& endpoint,
                                                     const EndpointGroup& group,
                                                     const config::HealthCheckConfig& check) = 0;

 protected:
  ~ProbeRegistry() = default;
};

}  // namespace gatehouse::snapshot
