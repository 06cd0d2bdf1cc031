// Chains run their policies in phase order, whatever order they were listed in, and give each
// stateful policy a slot of its own that lives exactly as long as one request.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policies/chain.h"
#include "policies/policy_states.h"

namespace gatehouse::policies {
namespace {

class Named final : public Policy {
 public:
  Named(std::string name, Phase phase) : name_(std::move(name)), phase_(phase) {}
  Phase phase() const override { return phase_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  Phase phase_;
};

std::vector<std::string> names(const Chain& chain) {
  std::vector<std::string> out;
  for (const Policy* policy : chain.policies())
    out.push_back(static_cast<const Named*>(policy)->name());
  return out;
}

TEST(Chain, RunsPoliciesInPhaseOrderKeepingTheListedOrderWithinAPhase) {
  const Named headers("headers", Phase::transformation);
  const Named rewrite("rewrite", Phase::transformation);
  const Named auth("auth", Phase::authentication);
  const Named cors("cors", Phase::cors);
  const Named sandbox("sandbox", Phase::endpoint_choice);
  const Named subscription("subscription", Phase::admission);
  const Chain chain({&sandbox, &headers, &auth, &rewrite, &cors, &subscription});
  EXPECT_EQ(names(chain), (std::vector<std::string>{"cors", "auth", "subscription", "headers",
                                                    "rewrite", "sandbox"}));
}

// A policy whose later steps are its own, in other phases.
class WithLaterSteps final : public Policy {
 public:
  WithLaterSteps(Phase phase, std::vector<const Policy*> later) : phase_(phase), later_(later) {}
  Phase phase() const override { return phase_; }
  std::span<const Policy* const> later_steps() const override { return later_; }

 private:
  Phase phase_;
  std::vector<const Policy*> later_;
};

TEST(Chain, RunsALaterStepInItsPhaseBeforeThePoliciesListedThere) {
  const Named threat("api threat", Phase::admission);
  const Named admission("admission", Phase::admission);
  const Named backend_jwt("backend jwt", Phase::transformation);
  const WithLaterSteps auth(Phase::authentication, {&admission, &backend_jwt});
  const Named headers("headers", Phase::transformation);
  const Named not_found("not found", Phase::admission);
  const Chain chain({&threat, &auth, &headers, &not_found});
  ASSERT_EQ(chain.size(), 6u);
  EXPECT_EQ(&chain[0], &auth);
  const std::vector<std::string> rest{
      static_cast<const Named&>(chain[1]).name(), static_cast<const Named&>(chain[2]).name(),
      static_cast<const Named&>(chain[3]).name(), static_cast<const Named&>(chain[4]).name(),
      static_cast<const Named&>(chain[5]).name()};
  EXPECT_EQ(rest, (std::vector<std::string>{"admission", "api threat", "not found", "backend jwt",
                                            "headers"}));
}

// Records its states' lives in a log the test reads.
struct Tracked {
  static inline std::vector<std::string>* log = nullptr;
  static inline std::string next_name;
  Tracked() : name(next_name) { log->push_back("start " + name); }
  ~Tracked() { log->push_back("end " + name); }
  std::string name;
  alignas(16) char payload[24] = {};
};

class Stateful final : public StatefulPolicy<Tracked> {
 public:
  Phase phase() const override { return Phase::admission; }
  static Tracked& of(const Exchange& exchange) { return state(exchange); }
};

TEST(Chain, GivesStatefulPoliciesAlignedSlotsThatDoNotOverlap) {
  const Named stateless("stateless", Phase::cors);
  const Stateful first, second;
  const Chain chain({&first, &stateless, &second});
  // Phase order puts the stateless CORS policy first.
  EXPECT_EQ(chain.state_offset(0), Chain::kNoState);
  const size_t a = chain.state_offset(1), b = chain.state_offset(2);
  EXPECT_EQ(a % alignof(Tracked), 0u);
  EXPECT_EQ(b % alignof(Tracked), 0u);
  EXPECT_GE(b, a + sizeof(Tracked));
  EXPECT_EQ(chain.state_bytes(), b + sizeof(Tracked));
}

TEST(PolicyStates, StartsStatesAsPoliciesRunAndEndsThemLastFirst) {
  std::vector<std::string> log;
  Tracked::log = &log;
  const Stateful first, second, third;
  const Named stateless("stateless", Phase::admission);
  const Chain chain({&first, &stateless, &second, &third});
  PolicyStates states;
  states.begin(chain);
  Tracked::next_name = "first";
  void* slot0 = states.start(0);
  EXPECT_EQ(states.start(1), nullptr);  // the stateless policy has no slot
  Tracked::next_name = "second";
  void* slot2 = states.start(2);
  ASSERT_NE(slot0, nullptr);
  ASSERT_NE(slot2, nullptr);
  EXPECT_NE(slot0, slot2);
  EXPECT_EQ(states.slot(2), slot2);

  // A policy reads its own slot through the exchange, as the runner sets it.
  Exchange exchange;
  exchange.policy_state = slot2;
  EXPECT_EQ(Stateful::of(exchange).name, "second");

  // The third policy never ran (an earlier one answered): its state was never made, nor ended.
  states.end();
  EXPECT_EQ(log,
            (std::vector<std::string>{"start first", "start second", "end second", "end first"}));

  // The next request reuses the storage: the same slot, a fresh state.
  log.clear();
  states.begin(chain);
  Tracked::next_name = "again";
  EXPECT_EQ(states.start(0), slot0);
  states.end();
  EXPECT_EQ(log, (std::vector<std::string>{"start again", "end again"}));
}

TEST(PolicyStates, EndsWhatIsStillStartedWhenDestroyed) {
  std::vector<std::string> log;
  Tracked::log = &log;
  const Stateful only;
  const Chain chain({&only});
  {
    PolicyStates states;
    states.begin(chain);
    Tracked::next_name = "only";
    states.start(0);
  }  // a connection that ends in the middle of an exchange
  EXPECT_EQ(log, (std::vector<std::string>{"start only", "end only"}));
}

}  // namespace
}  // namespace gatehouse::policies
