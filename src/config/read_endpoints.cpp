// The `endpoints` of an API: its backends and how they are balanced, suspended and checked.
#include "config/sections.h"
#include "config/uri_rules.h"

namespace gatehouse::config {
namespace {

// One list item: a URL, or a map {url: ..., weight: N}.
EndpointConfig read_endpoint(const Node& node, ReadContext& context) {
  EndpointConfig endpoint;
  endpoint.location = node.location();
  if (node.is_map()) {
    MapReader map(node, "endpoint", context.errors);
    read_checked_string(map, "url", endpoint.url, check_endpoint_url, Presence::required, context);
    map.read_integer("weight", endpoint.weight, 1, 1000);
    map.finish();
    return endpoint;
  }
  const std::optional<std::string> url = read_string(node, "endpoint", context.errors);
  if (!url) return endpoint;
  if (const std::optional<std::string> broken = check_endpoint_url(*url)) {
    context.errors.push_back(value_error(node, "endpoint", *broken));
  }
  endpoint.url = *url;
  return endpoint;
}

std::vector<EndpointConfig> read_endpoint_list(const Node& list, std::string_view name,
                                               ReadContext& context) {
  std::vector<EndpointConfig> endpoints;
  if (const std::optional<std::vector<Node>> items = read_list(list, name, context.errors)) {
    for (const Node& item : *items) endpoints.push_back(read_endpoint(item, context));
  }
  return endpoints;
}

SuspensionConfig read_suspension(const Node& node, ReadContext& context) {
  SuspensionConfig suspension;
  MapReader map(node, "suspension", context.errors);
  map.read_integer("failures", suspension.failures, 1, 1000);
  map.read_duration("initial", suspension.initial);
  map.read_number("factor", suspension.factor, 1.0, 100.0);
  map.read_duration("max", suspension.max);
  map.finish();
  if (suspension.max < suspension.initial) {
    const std::optional<Location> where = map.key_location("max");
    context.errors.push_back(
        {where.value_or(map.location()), "'max' must not be less than 'initial'"});
  }
  return suspension;
}

// Written into the probe's request line as it is.
std::optional<std::string> check_health_path(std::string_view path) {
  if (!path.starts_with('/')) return "must start with '/'";
  if (path.find(' ') != std::string_view::npos) return "must not contain spaces";
  return std::nullopt;
}

HealthCheckConfig read_health_check(const Node& node, ReadContext& context) {
  HealthCheckConfig health_check;
  MapReader map(node, "health_check", context.errors);
  read_checked_string(map, "path", health_check.path, check_health_path, Presence::optional,
                      context);
  map.read_duration("interval", health_check.interval);
  map.read_duration("timeout", health_check.timeout);
  map.finish();
  // A check still waiting when the next one is due would pile up on a hanging backend.
  if (health_check.timeout > health_check.interval) {
    const std::optional<Location> where = map.key_location("timeout");
    context.errors.push_back(
        {where.value_or(map.location()), "'timeout' must not be longer than 'interval'"});
  }
  return health_check;
}

}  // namespace

EndpointsConfig read_endpoints(const Node& node, ReadContext& context) {
  EndpointsConfig endpoints;
  MapReader map(node, "endpoints", context.errors);
  if (const std::optional<Node> production = map.get("production", Presence::required)) {
    endpoints.production = read_endpoint_list(*production, "production", context);
    if (production->is_sequence() && endpoints.production.empty()) {
      context.errors.push_back(
          value_error(*production, "production", "must have at least one endpoint"));
    }
  }
  if (const std::optional<Node> sandbox = map.get("sandbox")) {
    endpoints.sandbox = read_endpoint_list(*sandbox, "sandbox", context);
  }
  map.read_choice("load_balancing", endpoints.load_balancing,
                  {{"round_robin", LoadBalancing::round_robin},
                   {"weighted", LoadBalancing::weighted},
                   {"failover", LoadBalancing::failover}});
  map.read_duration("connect_timeout", endpoints.connect_timeout);
  map.read_duration("response_timeout", endpoints.response_timeout);
  if (const std::optional<Node> suspension = map.get("suspension")) {
    endpoints.suspension = read_suspension(*suspension, context);
  }
  if (const std::optional<Node> health_check = map.get("health_check")) {
    endpoints.health_check = read_health_check(*health_check, context);
  }
  read_file_path(map, "ca_file", endpoints.ca_file, Presence::optional, context);
  map.read_bool("verify_tls", endpoints.verify_tls);
  map.finish();
  return endpoints;
}

}  // namespace gatehouse::config
