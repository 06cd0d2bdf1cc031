// The policy chain's contract. A policy is compiled once per snapshot from its config node, is
// immutable afterwards and is shared by every worker; what it keeps per request lives in a state
// slot of its own (StatefulPolicy), what it decides goes into the Exchange.
//
// Each policy declares its phase (pipeline/phase.h); a chain runs its policies in phase order.
// For each request that matched a resource:
//   request body  read whole before the request step of the first policy that needs it
//                 (needs_request_body), up to the buffered-body limit (413 beyond)
//   on_request    before the backend is called, in chain order; `wait` hands over to
//                 on_request_async
//   on_response   after the backend's response head arrived (or a local response was made),
//                 before it is written to the client, in reverse order; `wait` hands over to
//                 on_response_async
//   on_log        after the exchange completed, whatever its outcome, for each policy whose
//                 on_request ran; must not block
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <expected>
#include <memory>
#include <new>
#include <span>
#include <string_view>

#include "config/error.h"
#include "config/node.h"
#include "pipeline/exchange.h"
#include "pipeline/phase.h"
#include "pipeline/verdict.h"

namespace gatehouse::observability {
class Metrics;
}

namespace gatehouse::policies {

// The vocabulary every policy speaks.
using pipeline::Exchange;
using pipeline::Phase;
using pipeline::Verdict;

class Policy {
 public:
  virtual ~Policy() = default;

  virtual Phase phase() const = 0;
  // Steps of this policy in later phases, which it owns: what one config item decides in several
  // phases (the API's security authenticates, then admits, then tells the backend). A chain runs
  // each in its phase, before the policies configured for that phase: they carry on what this
  // policy started.
  virtual std::span<const Policy* const> later_steps() const { return {}; }
  // Whether on_request needs `exchange.request_body`. The runner reads the body whole before
  // this policy's request step; a chain without such a policy streams it to the backend unread.
  virtual bool needs_request_body() const { return false; }

  virtual Verdict on_request(Exchange&) const { return Verdict::proceed; }
  // Called only when on_request returned Verdict::wait; its verdict is proceed or respond.
  virtual boost::asio::awaitable<Verdict> on_request_async(Exchange&) const;
  // Proceed, or wait: then on_response_async runs before the next response step. (A response
  // step does not answer instead of the backend; it edits `response_edits`.)
  virtual Verdict on_response(Exchange&) const { return Verdict::proceed; }
  virtual boost::asio::awaitable<void> on_response_async(Exchange&) const;
  virtual void on_log(const Exchange&) const {}

  // Per-request state: `state_size` bytes aligned to `state_align`, constructed by start_state
  // before the policy's first step of a request and destroyed by end_state after its last. Size
  // 0: the policy keeps nothing. Derive from StatefulPolicy rather than overriding these.
  virtual size_t state_size() const { return 0; }
  virtual size_t state_align() const { return 1; }
  virtual void start_state(void*) const {}
  virtual void end_state(void*) const {}
};

// A policy with a per-request `State`: one slot per chain position in the connection's scratch,
// constructed fresh for each request, so it costs no allocation on the request path (unless
// `State` itself allocates). `state(exchange)` is that request's slot, in any step.
template <class State>
class StatefulPolicy : public Policy {
  static_assert(alignof(State) <= alignof(std::max_align_t),
                "state slots are aligned for max_align_t");

 public:
  size_t state_size() const final { return sizeof(State); }
  size_t state_align() const final { return alignof(State); }
  void start_state(void* slot) const final { new (slot) State(); }
  void end_state(void* slot) const final { static_cast<State*>(slot)->~State(); }

 protected:
  static State& state(const Exchange& exchange) {
    return *static_cast<State*>(exchange.policy_state);
  }
};

// What a factory may use while compiling: the process's long-lived services, and facts about
// the process. Valid during compile(); a policy keeps what it needs of it.
struct CompileContext {
  observability::Metrics* metrics = nullptr;  // null when only validating a config
  unsigned workers = 1;                       // worker threads that will share the policy
  // The time, for windows and expiries; tests give a clock of their own.
  std::chrono::steady_clock::time_point (*now)() = &std::chrono::steady_clock::now;
};

using CompileResult = std::expected<std::unique_ptr<const Policy>, config::ConfigError>;

// Turns a policy's config node into a compiled Policy, or says exactly where the node is wrong.
class PolicyFactory {
 public:
  virtual ~PolicyFactory() = default;
  virtual std::string_view name() const = 0;
  virtual CompileResult compile(const config::Node& node, const CompileContext& context) const = 0;
};

// The factory registered under this type name, or nullptr. The list is in policies/registry.cpp.
const PolicyFactory* find_policy_factory(std::string_view type);

}  // namespace gatehouse::policies
