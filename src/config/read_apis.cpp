// The `apis` section: each API's identity, where it is served, and the rules between APIs.
#include "config/sections.h"
#include "config/uri_rules.h"

namespace gatehouse::config {
namespace {

ApiConfig read_api(const Node& node, ReadContext& context) {
  ApiConfig api;
  api.location = node.location();
  MapReader map(node, "api", context.errors);
  map.read_string("name", api.name, Presence::required);
  read_checked_string(map, "version", api.version, check_version, Presence::required, context);
  read_checked_string(map, "context", api.context, check_context, Presence::required, context);
  map.read_string("host", api.host);
  map.read_bool("default_version", api.default_version);
  if (const std::optional<Node> endpoints = map.get("endpoints", Presence::required)) {
    api.endpoints = read_endpoints(*endpoints, context);
  }
  if (const std::optional<Node> resources = map.get("resources", Presence::required)) {
    api.resources = read_resources(*resources, context);
  }
  if (const std::optional<Node> policies = map.get("policies")) {
    api.policies = read_policies(*policies, context);
  }
  uint64_t max_body_bytes = 0;
  if (map.read_size("max_body_size", max_body_bytes)) api.max_body_bytes = max_body_bytes;
  if (const std::optional<Node> security = map.get("security")) {
    api.security = read_api_security(*security, context);
  }
  if (const std::optional<Node> backend_jwt = map.get("backend_jwt")) {
    api.backend_jwt = read_backend_jwt(*backend_jwt, context);
  }
  map.finish();
  return api;
}

std::string describe_api(const ApiConfig& api) {
  return "API '" + api.name + "' version " + api.version;
}

// Two APIs must not claim the same requests; reported at the later API.
void check_against(const ApiConfig& api, const ApiConfig& earlier, ReadContext& context) {
  const bool same_host = api.host == earlier.host;
  if (api.name == earlier.name && api.version == earlier.version) {
    context.errors.push_back(
        {api.location, describe_api(api) + " is already defined at " + line_of(earlier.location)});
  } else if (same_host && api.context == earlier.context && api.version == earlier.version) {
    context.errors.push_back({api.location, "context " + api.context + " version " + api.version +
                                                " is already served by " + describe_api(earlier)});
  }
  if (same_host && api.context == earlier.context && api.default_version &&
      earlier.default_version) {
    context.errors.push_back(
        {api.location,
         "context " + api.context + " already has a default version, in " + describe_api(earlier)});
  }
}

}  // namespace

std::vector<ApiConfig> read_apis(const Node& list, ReadContext& context) {
  std::vector<ApiConfig> apis;
  const std::optional<std::vector<Node>> items = read_list(list, "apis", context.errors);
  if (!items) return apis;
  for (const Node& item : *items) {
    ApiConfig api = read_api(item, context);
    // An API whose identity could not be read would only add confusing follow-up errors.
    if (!api.name.empty() && !api.version.empty() && !api.context.empty()) {
      for (const ApiConfig& earlier : apis) check_against(api, earlier, context);
    }
    apis.push_back(std::move(api));
  }
  return apis;
}

}  // namespace gatehouse::config
