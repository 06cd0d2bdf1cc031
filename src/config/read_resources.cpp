// The `resources` of an API: which methods and paths it serves, each with its own policies.
#include <algorithm>

#include "config/sections.h"
#include "config/uri_rules.h"

namespace gatehouse::config {
namespace {

std::optional<std::string_view> read_method(const Node& value, std::string_view name,
                                            ReadContext& context) {
  return read_choice<std::string_view>(value, name,
                                       {{"GET", "GET"},
                                        {"POST", "POST"},
                                        {"PUT", "PUT"},
                                        {"DELETE", "DELETE"},
                                        {"PATCH", "PATCH"},
                                        {"HEAD", "HEAD"},
                                        {"OPTIONS", "OPTIONS"},
                                        {"*", "*"}},
                                       context.errors);
}

// `method: GET` or `methods: [GET, HEAD]`; exactly one of the two.
std::vector<std::string> read_methods(MapReader& map, ReadContext& context) {
  std::vector<std::string> methods;
  const std::optional<Node> one = map.get("method");
  const std::optional<Node> several = map.get("methods");
  if (one && several) {
    context.errors.push_back(
        {*map.key_location("methods"), "write either 'method' or 'methods', not both"});
    return methods;
  }
  if (one) {
    if (const auto method = read_method(*one, "method", context)) methods.emplace_back(*method);
    return methods;
  }
  if (!several) {
    // A key written without a value was reported by get().
    if (!map.key_location("method") && !map.key_location("methods")) {
      context.errors.push_back({map.location(), "missing key 'method' in resource"});
    }
    return methods;
  }
  const std::optional<std::vector<Node>> items = read_list(*several, "methods", context.errors);
  if (!items) return methods;
  for (const Node& item : *items) {
    const auto method = read_method(item, "methods", context);
    if (!method) continue;
    if (std::ranges::find(methods, *method) != methods.end()) {
      context.errors.push_back(value_error(item, "methods", "lists a method twice"));
      continue;
    }
    methods.emplace_back(*method);
  }
  if (items->empty()) {
    context.errors.push_back(value_error(*several, "methods", "must list at least one method"));
  } else if (methods.size() > 1 && std::ranges::find(methods, "*") != methods.end()) {
    context.errors.push_back(value_error(*several, "methods", "must not list '*' with others"));
  }
  return methods;
}

ResourceConfig read_resource(const Node& node, ReadContext& context) {
  ResourceConfig resource;
  resource.location = node.location();
  MapReader map(node, "resource", context.errors);
  resource.methods = read_methods(map, context);
  read_checked_string(map, "path", resource.path, check_resource_path, Presence::required, context);
  if (const std::optional<Node> policies = map.get("policies")) {
    resource.policies = read_policies(*policies, context);
  }
  if (const std::optional<Node> auth = map.get("auth")) {
    if (const auto required = read_choice<bool>(
            *auth, "auth", {{"required", true}, {"none", false}}, context.errors)) {
      resource.auth = *required;
    }
  }
  map.read_string_list("scopes", resource.scopes);
  read_throttling_policy_name(map, resource.throttling, resource.throttling_location, context);
  map.finish();
  return resource;
}

}  // namespace

std::vector<ResourceConfig> read_resources(const Node& list, ReadContext& context) {
  std::vector<ResourceConfig> resources;
  const std::optional<std::vector<Node>> items = read_list(list, "resources", context.errors);
  if (!items) return resources;
  if (items->empty()) {
    context.errors.push_back(value_error(list, "resources", "must have at least one resource"));
  }
  // Two resources that match the same method and path: the second could never be reached.
  FirstSeen routes;  // path shape and method
  for (const Node& item : *items) {
    ResourceConfig resource = read_resource(item, context);
    const std::string shape = resource.path.empty() ? "" : path_shape(resource.path) + '\0';
    for (const std::string& method : resource.methods) {
      if (shape.empty()) break;
      if (const auto first = routes.first(shape + method, resources.size())) {
        context.errors.push_back({resource.location, "resource " + method + " " + resource.path +
                                                         " is already defined at " +
                                                         line_of(resources[*first].location)});
      }
    }
    resources.push_back(std::move(resource));
  }
  return resources;
}

std::vector<PolicyConfig> read_policies(const Node& list, ReadContext& context) {
  std::vector<PolicyConfig> policies;
  const std::optional<std::vector<Node>> items = read_list(list, "policies", context.errors);
  if (!items) return policies;
  // Each resource's chain is its API's policies followed by its own, compiled into one array per
  // resource: without a bound, an API with many policies and many resources would cost their
  // product.
  if (items->size() > max_policies) {
    context.errors.push_back(value_error(
        list, "policies", "must list at most " + std::to_string(max_policies) + " policies"));
    return policies;
  }
  for (const Node& item : *items) {
    // Only `type` is the loader's; the other keys are checked by the policy's factory.
    MapReader map(item, "policy", context.errors);
    PolicyConfig policy;
    policy.location = item.location();
    if (map.read_string("type", policy.type, Presence::required)) {
      policy.node = std::make_shared<const Node>(item);
      policies.push_back(std::move(policy));
    }
  }
  return policies;
}

}  // namespace gatehouse::config
