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
  read_throttling_policy_name(map, api.throttling, api.throttling_location, context);
  map.finish();
  return api;
}

std::string describe_api(const ApiConfig& api) {
  return "API '" + api.name + "' version " + api.version;
}

// Host names compare without case, as the router matches them.
std::string host_key(std::string_view host) {
  std::string key(host);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

// Two APIs must not claim the same requests; a repeat is reported at the later API, naming the
// first that claimed them.
class ApiClaims {
 public:
  void check(const std::vector<ApiConfig>& apis, size_t index, ReadContext& context) {
    const ApiConfig& api = apis[index];
    const std::string host = host_key(api.host);
    const auto key = [](std::initializer_list<std::string_view> parts) {
      std::string joined;
      for (std::string_view part : parts) joined.append(part).push_back('\0');
      return joined;
    };
    if (const auto first = identities_.first(key({api.name, api.version}), index)) {
      context.errors.push_back({api.location, describe_api(api) + " is already defined at " +
                                                  line_of(apis[*first].location)});
    } else if (const auto first = routes_.first(key({host, api.context, api.version}), index)) {
      context.errors.push_back({api.location, "context " + api.context + " version " + api.version +
                                                  " is already served by " +
                                                  describe_api(apis[*first])});
    }
    if (!api.default_version) return;
    if (const auto first = defaults_.first(key({host, api.context}), index)) {
      context.errors.push_back({api.location, "context " + api.context +
                                                  " already has a default version, in " +
                                                  describe_api(apis[*first])});
    }
  }

 private:
  FirstSeen identities_;  // name and version
  FirstSeen routes_;      // host, context and version
  FirstSeen defaults_;    // host and context, of APIs with default_version
};

}  // namespace

std::vector<ApiConfig> read_apis(const Node& list, ReadContext& context) {
  std::vector<ApiConfig> apis;
  const std::optional<std::vector<Node>> items = read_list(list, "apis", context.errors);
  if (!items) return apis;
  ApiClaims claims;
  for (const Node& item : *items) {
    apis.push_back(read_api(item, context));
    const ApiConfig& api = apis.back();
    // An API whose identity could not be read would only add confusing follow-up errors.
    if (!api.name.empty() && !api.version.empty() && !api.context.empty()) {
      claims.check(apis, apis.size() - 1, context);
    }
  }
  return apis;
}

}  // namespace gatehouse::config
