// The policy chain's contract. A policy is compiled once per snapshot from its config node,
// is immutable afterwards and is shared by every worker; per-request state lives in the Exchange.
//
// Phases, in order, for each request that matched a resource:
//   on_request   before the backend is called; API-level policies first, then resource-level.
//   on_response  after the backend's response head arrived (or a local response was made),
//                before it is written to the client; in reverse order of on_request.
//   on_log       after the exchange completed, whatever its outcome, for each policy whose
//                on_request ran; must not block.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config/error.h"
#include "config/node.h"
#include "proxy/exchange.h"

namespace gatehouse::policies {

enum class Verdict {
  // Go on with the next policy, and then the backend.
  proceed,
  // The policy must wait for I/O (a cache miss, an introspection call): it has put the work into
  // `Exchange`-independent form by returning it through `on_request_async`; the runner awaits
  // that and uses its verdict. Synchronous policies never return this.
  wait,
  // The policy has set `exchange.local_response`; no further request policy runs and the backend
  // is not called. Response policies of the policies that ran still see the local response.
  respond,
};

class Policy {
 public:
  virtual ~Policy() = default;

  virtual Verdict on_request(proxy::Exchange&) const { return Verdict::proceed; }
  // Called only when on_request returned Verdict::wait; its verdict is proceed or respond.
  virtual boost::asio::awaitable<Verdict> on_request_async(proxy::Exchange&) const;
  virtual void on_response(proxy::Exchange&) const {}
  virtual void on_log(const proxy::Exchange&) const {}
};

using CompileResult = std::expected<std::unique_ptr<const Policy>, config::ConfigError>;

// Turns a policy's config node into a compiled Policy, or says exactly where the node is wrong.
class PolicyFactory {
 public:
  virtual ~PolicyFactory() = default;
  virtual std::string_view name() const = 0;
  virtual CompileResult compile(const config::Node& node) const = 0;
};

// The factory registered under this type name, or nullptr. The list is in policies/registry.cpp.
const PolicyFactory* find_policy_factory(std::string_view type);

}  // namespace gatehouse::policies
