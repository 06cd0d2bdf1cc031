// The compiled, immutable form of a Config: what every worker reads on every request. A reload
// compiles a new Snapshot beside the old one and hands it to the workers; requests in flight keep
// the snapshot they started with (they hold a shared_ptr).
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "config/error.h"
#include "config/model.h"
#include "pipeline/exchange.h"
#include "policies/chain.h"
#include "policies/policy.h"
#include "routing/router.h"
#include "security/auth/runtime.h"
#include "security/auth/security_state.h"
#include "snapshot/forwarding_rules.h"
#include "snapshot/probe_registry.h"
#include "throttling/plan.h"
#include "throttling/runtime.h"

namespace gatehouse::observability {
class Metrics;
}

namespace gatehouse::snapshot {

// A backend address, parsed once.
struct Endpoint {
  std::string key;        // "http://host:port": identifies its connection pool on every worker
  std::string authority;  // "host:port", for logs
  std::string host;
  uint16_t port = 0;
  bool tls = false;
  std::string base_path;    // path prefix of the endpoint URL without trailing '/', may be empty
  std::string host_header;  // "host" or "host:port" when the port is not the scheme's default
  uint32_t weight = 1;
  uint32_t index = 0;  // position in Snapshot::endpoints, for per-worker endpoint state
  std::shared_ptr<const EndpointProbe> probe;  // set when the group has active health checks

  bool healthy() const { return !probe || probe->healthy.load(std::memory_order_relaxed); }
};

struct EndpointGroup {
  std::vector<const Endpoint*> endpoints;
  config::LoadBalancing load_balancing = config::LoadBalancing::round_robin;
  config::Millis connect_timeout{5'000};
  config::Millis response_timeout{60'000};
  config::SuspensionConfig suspension;
  std::shared_ptr<boost::asio::ssl::context> tls;  // for https endpoints; null if none
  bool verify_tls = true;
  std::optional<config::HealthCheckConfig> health_check;
};

struct CompiledResource {
  std::string methods;  // as configured, for logs: "GET" or "GET,POST"
  std::string path;     // the template: "/order/{orderId}"
  // The API's policies, its security and the resource's own policies, in phase order.
  policies::Chain chain;
  std::vector<std::unique_ptr<const policies::Policy>> owned;
};

struct CompiledApi {
  std::string name;
  std::string version;
  std::string label;  // "PizzaShack:1.0.0", for metrics and logs
  uint32_t metrics_id = 0;
  EndpointGroup production;
  EndpointGroup sandbox;        // for sandbox keys; empty: sandbox keys are refused
  uint64_t max_body_bytes = 0;  // 0: unlimited
  ForwardingRules forwarding;   // what of a request its backend never receives
  std::vector<CompiledResource> resources;
  std::vector<std::unique_ptr<const policies::Policy>> policies;
  // The API-level policies alone: the chain of a request that matched the API's paths but no
  // resource's method (a CORS preflight is answered there).
  policies::Chain chain;
  // A secured API's chain for a request under its paths that matches no resource path: the
  // API's policies, its security (no scopes), then WSO2's 900906 refusal; so only a caller the API
  // admits learns that the resource does not exist. Empty for an open API, which answers 404.
  policies::Chain unmatched_chain;
  std::vector<std::unique_ptr<const policies::Policy>> unmatched_owned;
  uint32_t index = 0;

  // The endpoints a request goes to, as its endpoint_choice policies chose.
  const EndpointGroup& endpoint_group(pipeline::EndpointChoice choice) const {
    return choice == pipeline::EndpointChoice::sandbox ? sandbox : production;
  }
};

struct Snapshot {
  config::Config config;
  std::vector<std::unique_ptr<Endpoint>> endpoints;
  std::vector<std::unique_ptr<CompiledApi>> apis;
  routing::Router router;
  // A "{context}/{version}/*" route per secured API (and "{context}/*" for its default version):
  // which API a request that `router` did not match is under, to give it the API's
  // unmatched_chain. Asked only after a miss, so it costs the matched requests nothing.
  routing::Router secured_api_paths;
  std::shared_ptr<const security::SecurityState> security;
  std::shared_ptr<const throttling::Plan> throttling;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

// Compiles policies, endpoints and routes; every error is reported with its location.
// `probes` gives the endpoints with active health checks their probes (null: none are started,
// as for `gatehouse validate`). `runtime` is the process's state that outlives snapshots: the
// snapshot takes its revocations, key managers and token caches from there, and prepares the
// directory's next store of applications and subscriptions, which the caller commits when it
// installs the snapshot (security/auth/runtime.h). `throttling` holds the counters the
// snapshot's limits count in, kept from one snapshot to the next.
std::expected<SnapshotPtr, config::ConfigErrors> compile_snapshot(config::Config config,
                                                                  observability::Metrics& metrics,
                                                                  ProbeRegistry* probes,
                                                                  security::Runtime& runtime,
                                                                  throttling::Runtime& throttling);

}  // namespace gatehouse::snapshot
