// The gateway-wide security keys (`signing_key`, `api_keys`, `token_cache`), and the checks of
// every name one security item gives another: key managers, applications, APIs.
#include <algorithm>
#include <functional>
#include <unordered_set>

#include "config/sections.h"

namespace gatehouse::config {
namespace {

std::string api_label(const ApiConfig& api) {
  return api.name + ":" + api.version;
}

// The names one section defines, for references to them to be checked with one probe each.
template <class Items, class Name>
std::unordered_set<std::string> names_of(const Items& items, Name name) {
  std::unordered_set<std::string> names;
  for (const auto& item : items) names.insert(std::invoke(name, item));
  return names;
}

}  // namespace

ApiKeyConfig read_api_keys(const Node& node, ReadContext& context) {
  ApiKeyConfig api_keys;
  MapReader map(node, "api_keys", context.errors);
  map.read_string("header", api_keys.header);
  map.read_string("query_param", api_keys.query_param);
  map.finish();
  return api_keys;
}

TokenCacheConfig read_token_cache(const Node& node, ReadContext& context) {
  TokenCacheConfig token_cache;
  MapReader map(node, "token_cache", context.errors);
  map.read_integer("entries", token_cache.entries, 1, 10'000'000);
  map.read_duration("max_ttl", token_cache.max_ttl);
  map.finish();
  return token_cache;
}

void check_security_references(const Config& config, ReadContext& context) {
  const SecurityConfig& security = config.security;
  const auto key_managers = names_of(security.key_managers, &KeyManagerConfig::name);
  const auto applications =
      names_of(security.applications, [](const ApplicationConfig& a) { return a.record.id; });
  const auto apis = names_of(config.apis, api_label);
  const auto roles = names_of(security.role_scopes, [](const auto& r) { return r.first; });
  for (const ApplicationConfig& application : security.applications) {
    for (size_t i = 0; i < application.record.keys.size(); ++i) {
      const std::string& key_manager = application.record.keys[i].key_manager;
      if (!key_managers.contains(key_manager)) {
        context.errors.push_back(
            {application.key_locations[i],
             "key manager '" + key_manager + "' is not defined in 'key_managers'"});
      }
    }
  }
  for (const SubscriptionConfig& subscription : security.subscriptions) {
    const identity::Subscription& record = subscription.record;
    if (!applications.contains(record.application_id)) {
      context.errors.push_back({subscription.location, "application '" + record.application_id +
                                                           "' is not defined in 'applications'"});
    }
    if (!apis.contains(record.api)) {
      context.errors.push_back(
          {subscription.location,
           "API '" + record.api + "' is not defined in 'apis' (write it as Name:Version)"});
    }
  }
  const bool has_roles = !security.role_scopes.empty();
  for (const UserConfig& user : security.users) {
    for (const std::string& role : user.record.roles) {
      if (has_roles && !roles.contains(role)) {
        context.errors.push_back({user.location, "role '" + role + "' is not defined in 'roles'"});
      }
    }
  }
  for (const ApiConfig& api : config.apis) {
    const bool needs_key =
        api.backend_jwt.has_value() ||
        (api.security &&
         std::ranges::find(api.security->schemes, Scheme::api_key) != api.security->schemes.end());
    if (needs_key && security.signing_key_file.empty()) {
      context.errors.push_back({api.location, "API '" + api_label(api) +
                                                  "' uses API keys or a backend JWT, which need "
                                                  "the gateway's 'signing_key'"});
    }
    if (!api.security) continue;
    for (const std::string& name : api.security->key_managers) {
      if (!key_managers.contains(name)) {
        context.errors.push_back({api.location, "API '" + api_label(api) + "': key manager '" +
                                                    name + "' is not defined in 'key_managers'"});
      }
    }
  }
}

}  // namespace gatehouse::config
