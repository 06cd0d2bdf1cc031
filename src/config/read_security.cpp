// The gateway-wide security keys (`signing_key`, `api_keys`, `token_cache`), and the checks of
// every name one security item gives another: key managers, applications, APIs.
#include <algorithm>
#include <functional>

#include "config/sections.h"

namespace gatehouse::config {
namespace {

template <class Items, class Key>
bool contains(const Items& items, const std::string& name, Key key) {
  return std::ranges::any_of(items,
                             [&](const auto& item) { return std::invoke(key, item) == name; });
}

bool key_manager_exists(const Config& config, const std::string& name) {
  return contains(config.security.key_managers, name, &KeyManagerConfig::name);
}

std::string api_label(const ApiConfig& api) {
  return api.name + ":" + api.version;
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
  for (const ApplicationConfig& application : security.applications) {
    for (size_t i = 0; i < application.record.keys.size(); ++i) {
      const std::string& key_manager = application.record.keys[i].key_manager;
      if (!key_manager_exists(config, key_manager)) {
        context.errors.push_back(
            {application.key_locations[i],
             "key manager '" + key_manager + "' is not defined in 'key_managers'"});
      }
    }
  }
  for (const SubscriptionConfig& subscription : security.subscriptions) {
    const identity::Subscription& record = subscription.record;
    if (!contains(security.applications, record.application_id,
                  [](const ApplicationConfig& a) { return a.record.id; })) {
      context.errors.push_back({subscription.location, "application '" + record.application_id +
                                                           "' is not defined in 'applications'"});
    }
    if (!contains(config.apis, record.api, api_label)) {
      context.errors.push_back(
          {subscription.location,
           "API '" + record.api + "' is not defined in 'apis' (write it as Name:Version)"});
    }
  }
  const bool has_roles = !security.role_scopes.empty();
  for (const UserConfig& user : security.users) {
    for (const std::string& role : user.record.roles) {
      if (has_roles &&
          !contains(security.role_scopes, role, [](const auto& r) { return r.first; })) {
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
      if (!key_manager_exists(config, name)) {
        context.errors.push_back({api.location, "API '" + api_label(api) + "': key manager '" +
                                                    name + "' is not defined in 'key_managers'"});
      }
    }
  }
}

}  // namespace gatehouse::config
