// Which endpoints a request tries, in which order: round robin, nginx's smooth weighted round
// robin and failover, with suspended and unhealthy endpoints left out; and the suspension itself
// (WSO2's): after `failures` consecutive failures for `initial`, growing by `factor` on each
// renewal up to `max`, reset by a success.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "proxy/endpoint_selector.h"
#include "snapshot/probe_registry.h"
#include "snapshot/snapshot.h"

namespace gatehouse::proxy {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using HealthMap = absl::flat_hash_map<std::string, std::unique_ptr<EndpointHealth>>;

// A snapshot of one API whose production (and sandbox) endpoints the test lists.
class Endpoints {
 public:
  explicit Endpoints(config::LoadBalancing balancing) {
    auto api = std::make_unique<snapshot::CompiledApi>();
    api->name = "api";
    api->production.load_balancing = balancing;
    api->sandbox.load_balancing = balancing;
    api_ = api.get();
    snapshot_.apis.push_back(std::move(api));
  }

  snapshot::Endpoint& add(const std::string& name, uint32_t weight = 1, bool sandbox = false) {
    auto endpoint = std::make_unique<snapshot::Endpoint>();
    endpoint->key = "http://" + name + ":80";
    endpoint->authority = name;
    endpoint->weight = weight;
    endpoint->index = static_cast<uint32_t>(snapshot_.endpoints.size());
    (sandbox ? api_->sandbox : api_->production).endpoints.push_back(endpoint.get());
    snapshot_.endpoints.push_back(std::move(endpoint));
    return *snapshot_.endpoints.back();
  }

  // The selector of a worker; made after the endpoints were added, as a snapshot is complete
  // before a worker sees it.
  EndpointSelector& selector() {
    if (!selector_) selector_ = std::make_unique<EndpointSelector>(snapshot_, health_);
    return *selector_;
  }

  // The endpoints one request would try, by name, best first.
  std::vector<std::string> order(Clock::time_point now = Clock::time_point{} + seconds(100),
                                 bool sandbox = false) {
    EndpointOrder out;
    selector().order(*api_, sandbox ? api_->sandbox : api_->production, now, out);
    std::vector<std::string> names;
    for (const snapshot::Endpoint* endpoint : out) names.push_back(endpoint->authority);
    return names;
  }

  // The endpoint each of `n` requests tries first; "" when none is available.
  std::vector<std::string> first_choices(size_t n) {
    std::vector<std::string> firsts;
    for (size_t i = 0; i < n; ++i) {
      const std::vector<std::string> names = order();
      firsts.push_back(names.empty() ? "" : names.front());
    }
    return firsts;
  }

  void suspend(const snapshot::Endpoint& endpoint, Clock::time_point until) {
    selector().health(endpoint).suspended_until = until;
  }

  snapshot::Snapshot& snapshot() { return snapshot_; }
  HealthMap& health_map() { return health_; }

 private:
  snapshot::Snapshot snapshot_;
  snapshot::CompiledApi* api_ = nullptr;
  HealthMap health_;
  std::unique_ptr<EndpointSelector> selector_;
};

std::map<std::string, int> count(const std::vector<std::string>& names) {
  std::map<std::string, int> counts;
  for (const std::string& name : names) ++counts[name];
  return counts;
}

const Clock::time_point kNow = Clock::time_point{} + seconds(100);

// --- weighted round robin ----------------------------------------------------------------------

TEST(WeightedRoundRobin, SpreadsFirstChoicesEvenlyInTheWeightsProportions) {
  // nginx's own example: weights 5, 1, 1 give a a b a c a a, not a a a a a b c.
  Endpoints endpoints(config::LoadBalancing::weighted);
  endpoints.add("a", 5);
  endpoints.add("b", 1);
  endpoints.add("c", 1);
  EXPECT_EQ(endpoints.first_choices(7),
            (std::vector<std::string>{"a", "a", "b", "a", "c", "a", "a"}));
}

TEST(WeightedRoundRobin, ManyPicksMatchTheWeightsExactlyPerCycle) {
  Endpoints endpoints(config::LoadBalancing::weighted);
  endpoints.add("a", 3);
  endpoints.add("b", 2);
  endpoints.add("c", 5);
  endpoints.add("d", 1);
  // Every 11 picks (the weights' sum) is one whole cycle: the shares are exact, not statistical.
  for (int cycle = 0; cycle < 100; ++cycle) {
    EXPECT_EQ(count(endpoints.first_choices(11)),
              (std::map<std::string, int>{{"a", 3}, {"b", 2}, {"c", 5}, {"d", 1}}))
        << "cycle " << cycle;
  }
}

TEST(WeightedRoundRobin, TheOthersFollowTheFirstChoiceAsFallbacksInListOrder) {
  Endpoints endpoints(config::LoadBalancing::weighted);
  endpoints.add("a", 1);
  endpoints.add("b", 2);
  endpoints.add("c", 1);
  // b leads first (highest weight), and the rest follow around the list from it.
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"b", "c", "a"}));
}

TEST(WeightedRoundRobin, ASuspendedEndpointGetsNoShareAndTheOthersKeepTheirRatio) {
  Endpoints endpoints(config::LoadBalancing::weighted);
  const snapshot::Endpoint& a = endpoints.add("a", 4);
  endpoints.add("b", 2);
  endpoints.add("c", 1);
  endpoints.suspend(a, kNow + seconds(1));
  EXPECT_EQ(count(endpoints.first_choices(300)),
            (std::map<std::string, int>{{"b", 200}, {"c", 100}}));
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"b", "c"}));  // a is no fallback either
}

TEST(WeightedRoundRobin, AnEndpointBackFromSuspensionIsNotFloodedToCatchUp) {
  Endpoints endpoints(config::LoadBalancing::weighted);
  const snapshot::Endpoint& a = endpoints.add("a", 1);
  endpoints.add("b", 1);
  endpoints.suspend(a, kNow + seconds(1));
  endpoints.first_choices(50);  // all to b meanwhile
  endpoints.suspend(a, Clock::time_point{});
  EXPECT_EQ(count(endpoints.first_choices(10)), (std::map<std::string, int>{{"a", 5}, {"b", 5}}));
}

TEST(WeightedRoundRobin, OneEndpointIsAlwaysChosen) {
  Endpoints endpoints(config::LoadBalancing::weighted);
  endpoints.add("only", 7);
  EXPECT_EQ(count(endpoints.first_choices(20)), (std::map<std::string, int>{{"only", 20}}));
}

// --- round robin and failover ------------------------------------------------------------------

TEST(RoundRobin, EachRequestStartsOneFurtherAndMayFallBackOnAllTheOthers) {
  Endpoints endpoints(config::LoadBalancing::round_robin);
  endpoints.add("a");
  endpoints.add("b");
  endpoints.add("c");
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(RoundRobin, ASuspendedEndpointIsSkippedAsFirstChoiceAndAsFallback) {
  Endpoints endpoints(config::LoadBalancing::round_robin);
  endpoints.add("a");
  const snapshot::Endpoint& b = endpoints.add("b");
  endpoints.add("c");
  endpoints.suspend(b, kNow + seconds(1));
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"c", "a"}));  // b's turn goes on to c
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"a", "c"}));
}

TEST(Failover, AlwaysTheListOrderWithoutTheSuspended) {
  Endpoints endpoints(config::LoadBalancing::failover);
  const snapshot::Endpoint& primary = endpoints.add("primary");
  endpoints.add("backup");
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"primary", "backup"}));
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"primary", "backup"}));
  endpoints.suspend(primary, kNow + seconds(1));
  EXPECT_EQ(endpoints.order(), (std::vector<std::string>{"backup"}));
  EXPECT_EQ(endpoints.order(kNow + seconds(1)), (std::vector<std::string>{"primary", "backup"}));
}

// --- every mode ----------------------------------------------------------------------------------

class EveryMode : public ::testing::TestWithParam<config::LoadBalancing> {};

TEST_P(EveryMode, NoEndpointsMeansNothingToTry) {
  Endpoints endpoints(GetParam());
  EXPECT_TRUE(endpoints.order().empty());
}

TEST_P(EveryMode, TheOnlyEndpointSuspendedMeansNothingToTryUntilItsSuspensionEnds) {
  Endpoints endpoints(GetParam());
  const snapshot::Endpoint& only = endpoints.add("only", 3);
  endpoints.suspend(only, kNow + seconds(2));
  EXPECT_TRUE(endpoints.order(kNow).empty());
  EXPECT_TRUE(endpoints.order(kNow + seconds(2) - milliseconds(1)).empty());
  EXPECT_EQ(endpoints.order(kNow + seconds(2)), (std::vector<std::string>{"only"}));
}

TEST_P(EveryMode, AnEndpointItsHealthCheckFailedIsLeftOut) {
  Endpoints endpoints(GetParam());
  snapshot::Endpoint& a = endpoints.add("a");
  endpoints.add("b");
  auto probe = std::make_shared<snapshot::EndpointProbe>();
  a.probe = probe;
  probe->healthy = false;
  EXPECT_EQ(count(endpoints.first_choices(4)), (std::map<std::string, int>{{"b", 4}}));
  probe->healthy = true;
  EXPECT_EQ(count(endpoints.first_choices(4)).count("a"), 1u);
}

TEST_P(EveryMode, AllEndpointsSuspendedMeansNothingToTry) {
  Endpoints endpoints(GetParam());
  const snapshot::Endpoint& a = endpoints.add("a");
  const snapshot::Endpoint& b = endpoints.add("b");
  endpoints.suspend(a, kNow + seconds(1));
  endpoints.suspend(b, kNow + seconds(1));
  EXPECT_TRUE(endpoints.order().empty());
}

TEST_P(EveryMode, SandboxAndProductionAreBalancedApart) {
  Endpoints endpoints(GetParam());
  endpoints.add("p1");
  endpoints.add("p2");
  endpoints.add("s1", 1, true);
  endpoints.add("s2", 1, true);
  endpoints.order();  // a production request moves only production's turn
  const std::vector<std::string> sandbox = endpoints.order(kNow, true);
  ASSERT_EQ(sandbox.size(), 2u);
  EXPECT_EQ(sandbox.front(), "s1");
}

INSTANTIATE_TEST_SUITE_P(Modes, EveryMode,
                         ::testing::Values(config::LoadBalancing::round_robin,
                                           config::LoadBalancing::weighted,
                                           config::LoadBalancing::failover),
                         [](const auto& info) {
                           switch (info.param) {
                             case config::LoadBalancing::round_robin:
                               return std::string("RoundRobin");
                             case config::LoadBalancing::weighted:
                               return std::string("Weighted");
                             case config::LoadBalancing::failover:
                               return std::string("Failover");
                           }
                           return std::string("Unknown");
                         });

// --- suspension ----------------------------------------------------------------------------------

config::SuspensionConfig suspension(uint32_t failures, milliseconds initial, double factor,
                                    milliseconds max) {
  config::SuspensionConfig policy;
  policy.failures = failures;
  policy.initial = initial;
  policy.factor = factor;
  policy.max = max;
  return policy;
}

// Suspends `health` anew (`failures` consecutive failures at `now`) and returns for how long.
Clock::duration renew(EndpointHealth& health, const config::SuspensionConfig& policy,
                      Clock::time_point now) {
  for (uint32_t i = 1; i < policy.failures; ++i) {
    EXPECT_FALSE(health.record_failure(policy, now)) << "suspended after " << i << " failures";
  }
  EXPECT_TRUE(health.record_failure(policy, now));
  return health.suspended_until - now;
}

TEST(Suspension, StartsAtTheConfiguredNumberOfConsecutiveFailuresForTheInitialTime) {
  const auto policy = suspension(3, seconds(1), 2.0, seconds(60));
  EndpointHealth health;
  EXPECT_FALSE(health.record_failure(policy, kNow));
  EXPECT_FALSE(health.record_failure(policy, kNow));
  EXPECT_FALSE(health.suspended(kNow));
  EXPECT_TRUE(health.record_failure(policy, kNow));
  EXPECT_TRUE(health.suspended(kNow));
  EXPECT_TRUE(health.suspended(kNow + seconds(1) - milliseconds(1)));
  EXPECT_FALSE(health.suspended(kNow + seconds(1)));
}

TEST(Suspension, FailuresSeparatedByASuccessDoNotAddUp) {
  const auto policy = suspension(3, seconds(1), 2.0, seconds(60));
  EndpointHealth health;
  for (int round = 0; round < 5; ++round) {
    EXPECT_FALSE(health.record_failure(policy, kNow));
    EXPECT_FALSE(health.record_failure(policy, kNow));
    health.record_success();
  }
  EXPECT_FALSE(health.suspended(kNow));
}

TEST(Suspension, GrowsByTheFactorEachTimeItIsRenewed) {
  const auto policy = suspension(2, seconds(1), 2.0, seconds(60));
  EndpointHealth health;
  Clock::time_point now = kNow;
  for (const auto expected : {seconds(1), seconds(2), seconds(4), seconds(8), seconds(16)}) {
    EXPECT_EQ(renew(health, policy, now), expected);
    now = health.suspended_until;  // the endpoint is tried again, and fails again
  }
}

TEST(Suspension, GrowsByAFractionalFactorToo) {
  const auto policy = suspension(1, milliseconds(1000), 1.5, seconds(60));
  EndpointHealth health;
  EXPECT_EQ(renew(health, policy, kNow), milliseconds(1000));
  EXPECT_EQ(renew(health, policy, kNow + seconds(5)), milliseconds(1500));
  EXPECT_EQ(renew(health, policy, kNow + seconds(10)), milliseconds(2250));
}

TEST(Suspension, StopsGrowingAtItsMaximum) {
  const auto policy = suspension(1, seconds(1), 3.0, seconds(10));
  EndpointHealth health;
  std::vector<Clock::duration> lengths;
  Clock::time_point now = kNow;
  for (int i = 0; i < 6; ++i) {
    lengths.push_back(renew(health, policy, now));
    now = health.suspended_until;
  }
  EXPECT_EQ(lengths, (std::vector<Clock::duration>{seconds(1), seconds(3), seconds(9), seconds(10),
                                                   seconds(10), seconds(10)}));
}

TEST(Suspension, ASuccessEndsItAndTheNextOneStartsAgainAtTheInitialTime) {
  const auto policy = suspension(2, seconds(1), 2.0, seconds(60));
  EndpointHealth health;
  renew(health, policy, kNow);
  renew(health, policy, kNow + seconds(10));
  EXPECT_EQ(renew(health, policy, kNow + seconds(20)), seconds(4));
  health.record_success();
  EXPECT_FALSE(health.suspended(kNow + seconds(20)));
  // One failure after the success is not enough: the count started again too.
  EXPECT_FALSE(health.record_failure(policy, kNow + seconds(30)));
  EXPECT_TRUE(health.record_failure(policy, kNow + seconds(30)));
  EXPECT_EQ(health.suspended_until - (kNow + seconds(30)), seconds(1));
}

TEST(Suspension, TheSelectorLeavesTheEndpointOutForExactlyThatLong) {
  Endpoints endpoints(config::LoadBalancing::failover);
  const snapshot::Endpoint& a = endpoints.add("a");
  endpoints.add("b");
  const auto policy = suspension(1, seconds(2), 2.0, seconds(60));
  EXPECT_TRUE(endpoints.selector().health(a).record_failure(policy, kNow));
  EXPECT_EQ(endpoints.order(kNow), (std::vector<std::string>{"b"}));
  EXPECT_EQ(endpoints.order(kNow + seconds(2) - milliseconds(1)), (std::vector<std::string>{"b"}));
  EXPECT_EQ(endpoints.order(kNow + seconds(2)), (std::vector<std::string>{"a", "b"}));
}

TEST(Suspension, OutlivesAReloadThatKeepsTheEndpoint) {
  // Health is kept per worker by endpoint key: a new snapshot's selector sees the suspension.
  Endpoints before(config::LoadBalancing::failover);
  const snapshot::Endpoint& a = before.add("a");
  before.add("b");
  before.suspend(a, kNow + seconds(5));

  Endpoints after(config::LoadBalancing::failover);
  after.add("b");
  after.add("a");
  after.health_map().swap(before.health_map());
  EXPECT_EQ(after.order(kNow), (std::vector<std::string>{"b"}));
  EXPECT_EQ(after.order(kNow + seconds(5)), (std::vector<std::string>{"b", "a"}));
}

}  // namespace
}  // namespace gatehouse::proxy
