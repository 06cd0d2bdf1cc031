// The throttling phase of one resource: WSO2's limits, checked in this order, each refusing with
// 429 and its own code (throttle_refusal.h):
//   the API's advanced policy (900800), the resource's (900802), the subscription tier's burst
//   control (900807) and quota (900804) (for an `auth: none` resource of a secured API, the
//   Unauthenticated tier per client address instead), the application tier (900803), then each
//   custom policy whose key the request has (900806).
// A request refused at one level is not counted at the levels before it. Every answer carries
// the IETF RateLimit-Policy (each limit that applied) and RateLimit (the one with the least left)
// headers, and a refusal Retry-After: computed from the shared counts and calendar windows, they
// say the same on every worker. Bandwidth quotas are charged with each exchange's bytes once it is
// done.
//
// Before the limits, the blocking conditions (throttling/blocking.h): a request they match is
// refused with 403 and WSO2's 900805, and counted nowhere.
//
// Each refusal counts in gatehouse_throttled_total{level,policy}, and names its level (or custom
// policy) in the access log's throttled_by.
//
// Not a configurable policy: the snapshot compiler adds one to each resource's chain (blocking
// conditions may be added to any API at any time).
#pragma once

#include <memory>
#include <string>

#include "policies/policy.h"
#include "throttling/plan.h"

namespace gatehouse::policies {

struct ThrottleSettings {
  std::shared_ptr<const throttling::Plan> plan;
  const throttling::Runtime* runtime = nullptr;  // the worker's blocking list
  observability::Metrics* metrics = nullptr;     // null when only validating a config
  std::string api;          // "Name:Version": the API's counters are kept under it
  std::string api_context;  // "/pizzashack/1.0.0", for custom keys
  std::string resource;     // "GET /menu", the resource's counters' name
  const throttling::CompiledApiPolicy* api_policy = nullptr;
  const throttling::CompiledApiPolicy* resource_policy = nullptr;
  bool unauthenticated = false;  // an `auth: none` resource of a secured API
  bool secured = false;          // the API has security: subscription and application tiers
};

std::unique_ptr<const Policy> make_throttle_policy(ThrottleSettings settings);

}  // namespace gatehouse::policies
