#include "proxy/endpoint_selector.h"

#include <algorithm>

namespace gatehouse::proxy {

bool EndpointHealth::record_failure(const config::SuspensionConfig& policy, Clock::time_point now) {
  ++consecutive_failures;
  if (consecutive_failures < policy.failures) return false;
  if (next_suspension == Clock::duration::zero()) next_suspension = policy.initial;
  suspended_until = now + next_suspension;
  const auto grown = std::chrono::duration_cast<Clock::duration>(next_suspension * policy.factor);
  next_suspension = std::min<Clock::duration>(grown, policy.max);
  consecutive_failures = 0;
  return true;
}

EndpointSelector::EndpointSelector(
    const snapshot::Snapshot& snapshot,
    absl::flat_hash_map<std::string, std::unique_ptr<EndpointHealth>>& health) {
  health_.reserve(snapshot.endpoints.size());
  for (const auto& endpoint : snapshot.endpoints) {
    auto& slot = health[endpoint->key];
    if (!slot) slot = std::make_unique<EndpointHealth>();
    health_.push_back(slot.get());
  }
  balancers_.resize(snapshot.apis.size() * 2);
  for (const auto& api : snapshot.apis) {
    balancers_[api->index * 2].current.assign(api->production.endpoints.size(), 0);
    balancers_[api->index * 2 + 1].current.assign(api->sandbox.endpoints.size(), 0);
  }
}

void EndpointSelector::order(const snapshot::CompiledApi& api, const snapshot::EndpointGroup& group,
                             Clock::time_point now, EndpointOrder& out) {
  out.clear();
  const auto& endpoints = group.endpoints;
  const size_t n = endpoints.size();
  if (n == 0) return;
  Balancer& balancer = balancers_[api.index * 2 + (&group == &api.sandbox ? 1 : 0)];
  auto available = [&](size_t i) {
    return endpoints[i]->healthy() && !health_[endpoints[i]->index]->suspended(now);
  };

  size_t first = 0;
  switch (group.load_balancing) {
    case config::LoadBalancing::failover:
      break;
    case config::LoadBalancing::round_robin:
      first = balancer.next++ % n;
      break;
    case config::LoadBalancing::weighted: {
      // nginx's smooth weighted round robin, over the available endpoints only.
      int64_t total = 0;
      size_t best = n;
      for (size_t i = 0; i < n; ++i) {
        if (!available(i)) continue;
        balancer.current[i] += endpoints[i]->weight;
        total += endpoints[i]->weight;
        if (best == n || balancer.current[i] > balancer.current[best]) best = i;
      }
      if (best == n) return;
      balancer.current[best] -= total;
      first = best;
      break;
    }
  }
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (first + k) % n;
    if (available(i)) out.push_back(endpoints[i]);
  }
}

}  // namespace gatehouse::proxy
