#include "snapshot/snapshot.h"

#include <boost/url/parse.hpp>

#include "core/worker_index.h"
#include "net/tls.h"
#include "observability/metrics.h"
#include "policies/auth/auth_policy.h"
#include "policies/auth/no_matching_resource.h"
#include "policies/auth/sandbox_routing.h"
#include "policies/throttle/throttle_policy.h"

namespace gatehouse::snapshot {

namespace {

std::expected<Endpoint, std::string> parse_endpoint(const config::EndpointConfig& config) {
  auto url = boost::urls::parse_absolute_uri(config.url);
  if (!url) return std::unexpected("'" + config.url + "' is not an absolute URL");
  Endpoint endpoint;
  const std::string scheme(url->scheme());
  if (scheme != "http" && scheme != "https") {
    return std::unexpected("endpoint scheme must be http or https, not '" + scheme + "'");
  }
  endpoint.tls = scheme == "https";
  endpoint.host = std::string(url->host_address());
  if (endpoint.host.empty())
    return std::unexpected("endpoint URL '" + config.url + "' has no host");
  const uint16_t default_port = endpoint.tls ? 443 : 80;
  endpoint.port = url->has_port() ? url->port_number() : default_port;
  endpoint.host_header = std::string(url->encoded_host_and_port());
  endpoint.base_path = std::string(url->encoded_path());
  while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') {
    endpoint.base_path.pop_back();
  }
  endpoint.authority = endpoint.host + ":" + std::to_string(endpoint.port);
  endpoint.key = scheme + "://" + endpoint.authority;
  endpoint.weight = config.weight;
  return endpoint;
}

// Compiles a list of policy configs, appending to `owned` and `chain`.
void compile_policies(const std::vector<config::PolicyConfig>& configs,
                      const policies::CompileContext& context,
                      std::vector<std::unique_ptr<const policies::Policy>>& owned,
                      std::vector<const policies::Policy*>& chain, config::ConfigErrors& errors) {
  for (const config::PolicyConfig& policy : configs) {
    const policies::PolicyFactory* factory = policies::find_policy_factory(policy.type);
    if (factory == nullptr) {
      errors.push_back({policy.location, "unknown policy type '" + policy.type + "'"});
      continue;
    }
    auto compiled = factory->compile(*policy.node, context);
    if (!compiled) {
      errors.push_back(compiled.error());
      continue;
    }
    chain.push_back(compiled->get());
    owned.push_back(std::move(*compiled));
  }
}

class SnapshotCompiler {
 public:
  SnapshotCompiler(config::Config config, observability::Metrics& metrics, ProbeRegistry* probes,
                   security::Runtime& runtime, throttling::Runtime& throttling)
      : snapshot_(std::make_shared<Snapshot>()),
        metrics_(metrics),
        probes_(probes),
        runtime_(runtime),
        throttling_(throttling) {
    snapshot_->config = std::move(config);
    context_.metrics = &metrics;
    context_.workers = static_cast<unsigned>(worker_count(snapshot_->config.workers));
  }

  std::expected<SnapshotPtr, config::ConfigErrors> compile() {
    std::vector<routing::RouteSpec> routes;
    std::vector<const config::Location*> route_locations;
    std::vector<routing::RouteSpec> secured_api_paths;
    const config::Config& config = snapshot_->config;
    auto security = security::SecurityState::compile(config, runtime_);
    if (!security) return std::unexpected(std::move(security.error()));
    snapshot_->security = std::move(*security);
    if (auto prepared = runtime_.directory.prepare(config.security); !prepared) {
      return std::unexpected(std::move(prepared.error()));
    }
    auto plan = throttling::Plan::compile(config.throttling, throttling_, metrics_);
    if (!plan) {
      config::ConfigError error;
      error.location = {config.file, 1, 1};
      error.message = "throttling: " + plan.error();
      errors_.push_back(std::move(error));
      return std::unexpected(std::move(errors_));
    }
    snapshot_->throttling = std::move(*plan);
    std::vector<ForwardingRules> forwarding = compile_forwarding_rules(config);
    for (const config::ApiConfig& api_config : config.apis) {
      auto api = compile_api(api_config);
      api->forwarding = std::move(forwarding[api->index]);
      for (size_t r = 0; r < api_config.resources.size(); ++r) {
        const config::ResourceConfig& resource = api_config.resources[r];
        auto add_route = [&](std::string prefix) {
          routes.push_back({api_config.host, std::move(prefix), resource.path, resource.methods,
                            api->index, static_cast<uint32_t>(r)});
          route_locations.push_back(&resource.location);
        };
        add_route(api_config.context + "/" + api_config.version);
        if (api_config.default_version) add_route(api_config.context);
      }
      if (api_config.security) {
        secured_api_paths.push_back({api_config.host,
                                     api_config.context + "/" + api_config.version,
                                     "/*",
                                     {"*"},
                                     api->index,
                                     0});
        if (api_config.default_version) {
          secured_api_paths.push_back(
              {api_config.host, api_config.context, "/*", {"*"}, api->index, 0});
        }
      }
      snapshot_->apis.push_back(std::move(api));
    }
    auto router = routing::Router::build(std::move(routes));
    if (!router) {
      errors_.push_back({*route_locations[router.error().route], router.error().message});
    } else {
      snapshot_->router = std::move(*router);
    }
    // Only ambiguous when the resource routes are too (two APIs at one context and version), which
    // is reported above.
    if (auto paths = routing::Router::build(std::move(secured_api_paths))) {
      snapshot_->secured_api_paths = std::move(*paths);
    }
    if (!errors_.empty()) return std::unexpected(std::move(errors_));
    release_policy_nodes();
    return SnapshotPtr(snapshot_);
  }

 private:
  // A policy's YAML node keeps the whole parsed file alive; once every policy is compiled, the
  // snapshot serving requests has no use for it.
  void release_policy_nodes() {
    for (config::ApiConfig& api : snapshot_->config.apis) {
      for (config::PolicyConfig& policy : api.policies) policy.node.reset();
      for (config::ResourceConfig& resource : api.resources) {
        for (config::PolicyConfig& policy : resource.policies) policy.node.reset();
      }
    }
  }

  std::unique_ptr<CompiledApi> compile_api(const config::ApiConfig& config) {
    auto api = std::make_unique<CompiledApi>();
    api->name = config.name;
    api->version = config.version;
    api->label = config.name + ":" + config.version;
    api->metrics_id = metrics_.api_id(api->label);
    metrics_.count_api_compilation();
    api->index = static_cast<uint32_t>(snapshot_->apis.size());
    api->max_body_bytes = config.max_body_bytes.value_or(snapshot_->config.limits.max_body_bytes);
    compile_endpoints(config.endpoints, config.endpoints.production, api->production);
    compile_endpoints(config.endpoints, config.endpoints.sandbox, api->sandbox);

    std::vector<const policies::Policy*> api_policies;
    compile_policies(config.policies, context_, api->policies, api_policies, errors_);
    api->chain = policies::Chain(api_policies);
    if (config.security) {
      // Which endpoints a request goes to depends on its caller's key type.
      api->policies.push_back(policies::make_sandbox_routing_policy());
      api_policies.push_back(api->policies.back().get());
    }
    const auto certificates = certificate_trust(config);
    for (const config::ResourceConfig& resource_config : config.resources) {
      CompiledResource resource;
      for (const std::string& method : resource_config.methods) {
        if (!resource.methods.empty()) resource.methods += ',';
        resource.methods += method;
      }
      resource.path = resource_config.path;
      std::vector<const policies::Policy*> chain = api_policies;
      if (config.security && resource_config.auth) {
        add_auth_policy(config, &resource_config, *api, certificates, chain, resource.owned);
      }
      add_throttle_policy(config, resource_config, *api, resource.methods + " " + resource.path,
                          chain, resource.owned);
      compile_policies(resource_config.policies, context_, resource.owned, chain, errors_);
      resource.chain = policies::Chain(std::move(chain));
      api->resources.push_back(std::move(resource));
    }
    if (config.security) {
      std::vector<const policies::Policy*> chain = api_policies;
      add_auth_policy(config, nullptr, *api, certificates, chain, api->unmatched_owned);
      api->unmatched_owned.push_back(policies::make_no_matching_resource_policy());
      chain.push_back(api->unmatched_owned.back().get());
      api->unmatched_chain = policies::Chain(std::move(chain));
    }
    return api;
  }

  void add_auth_policy(const config::ApiConfig& config,
                       const config::ResourceConfig* resource_config, const CompiledApi& api,
                       std::shared_ptr<const security::ClientCertificateTrust> certificates,
                       std::vector<const policies::Policy*>& chain,
                       std::vector<std::unique_ptr<const policies::Policy>>& owned) {
    owned.push_back(
        policies::make_auth_policy({.state = snapshot_->security,
                                    .api = &config,
                                    .api_id = runtime_.directory.api_id(api.label),
                                    .resource = resource_config,
                                    .api_index = api.index,
                                    .has_sandbox_endpoints = !api.sandbox.endpoints.empty(),
                                    .certificates = std::move(certificates),
                                    .revocations = runtime_.revocations}));
    chain.push_back(owned.back().get());
  }

  // The throttling phase of the resource's chain: its blocking conditions and limits.
  void add_throttle_policy(const config::ApiConfig& config,
                           const config::ResourceConfig& resource_config, const CompiledApi& api,
                           std::string resource_name, std::vector<const policies::Policy*>& chain,
                           std::vector<std::unique_ptr<const policies::Policy>>& owned) {
    const throttling::Plan& plan = *snapshot_->throttling;
    policies::ThrottleSettings settings{
        .plan = snapshot_->throttling,
        .runtime = &throttling_,
        .metrics = context_.metrics,
        .api = api.label,
        .api_context = config.context + "/" + config.version,
        .resource = std::move(resource_name),
        .api_policy = config.throttling.empty() ? nullptr : plan.api_policy(config.throttling),
        .resource_policy = resource_config.throttling.empty()
                               ? nullptr
                               : plan.api_policy(resource_config.throttling),
        .unauthenticated = config.security && !resource_config.auth,
        .secured = config.security.has_value()};
    owned.push_back(policies::make_throttle_policy(std::move(settings)));
    chain.push_back(owned.back().get());
  }

  // The API's trust for mutual TLS, compiled once for all its resources.
  std::shared_ptr<const security::ClientCertificateTrust> certificate_trust(
      const config::ApiConfig& config) {
    if (!config.security ||
        std::ranges::find(config.security->schemes, config::Scheme::mutual_tls) ==
            config.security->schemes.end()) {
      return nullptr;
    }
    auto trust = security::ClientCertificateTrust::create(config.security->mutual_tls);
    if (!trust) {
      errors_.push_back({config.location, trust.error()});
      return nullptr;
    }
    return std::make_shared<const security::ClientCertificateTrust>(std::move(*trust));
  }

  void compile_endpoints(const config::EndpointsConfig& config,
                         const std::vector<config::EndpointConfig>& endpoints,
                         EndpointGroup& group) {
    group.load_balancing = config.load_balancing;
    group.connect_timeout = config.connect_timeout;
    group.response_timeout = config.response_timeout;
    group.suspension = config.suspension;
    group.verify_tls = config.verify_tls;
    group.health_check = config.health_check;
    for (const config::EndpointConfig& endpoint_config : endpoints) {
      auto endpoint = parse_endpoint(endpoint_config);
      if (!endpoint) {
        errors_.push_back({endpoint_config.location, endpoint.error()});
        continue;
      }
      endpoint->index = static_cast<uint32_t>(snapshot_->endpoints.size());
      if (endpoint->tls && !group.tls) {
        auto tls = net::make_client_tls(config.ca_file, config.verify_tls);
        if (!tls) {
          errors_.push_back({endpoint_config.location, tls.error()});
        } else {
          group.tls = *tls;
        }
      }
      if (probes_ != nullptr && config.health_check) {
        endpoint->probe = probes_->probe(*endpoint, group, *config.health_check);
      }
      snapshot_->endpoints.push_back(std::make_unique<Endpoint>(std::move(*endpoint)));
      group.endpoints.push_back(snapshot_->endpoints.back().get());
    }
  }

  std::shared_ptr<Snapshot> snapshot_;
  observability::Metrics& metrics_;
  ProbeRegistry* probes_;
  security::Runtime& runtime_;
  throttling::Runtime& throttling_;
  policies::CompileContext context_;
  config::ConfigErrors errors_;
};

}  // namespace

std::expected<SnapshotPtr, config::ConfigErrors> compile_snapshot(config::Config config,
                                                                  observability::Metrics& metrics,
                                                                  ProbeRegistry* probes,
                                                                  security::Runtime& runtime,
                                                                  throttling::Runtime& throttling) {
  return SnapshotCompiler(std::move(config), metrics, probes, runtime, throttling).compile();
}

}  // namespace gatehouse::snapshot
