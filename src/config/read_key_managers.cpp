// The `key_managers` section: the issuers whose access tokens APIs accept.
#include "config/sections.h"
#include "config/uri_rules.h"
#include "security/jose/key.h"

namespace gatehouse::config {
namespace {

IntrospectionConfig read_introspection(const Node& node, ReadContext& context) {
  IntrospectionConfig introspection;
  MapReader map(node, "introspection", context.errors);
  read_checked_string(map, "url", introspection.url, check_endpoint_url, Presence::required,
                      context);
  map.read_string("client_id", introspection.client_id, Presence::required);
  map.read_string("client_secret", introspection.client_secret, Presence::required);
  map.finish();
  return introspection;
}

KeyManagerConfig read_key_manager(const Node& node, ReadContext& context) {
  KeyManagerConfig key_manager;
  key_manager.location = node.location();
  MapReader map(node, "key manager", context.errors);
  map.read_string("name", key_manager.name, Presence::required);
  map.read_string("issuer", key_manager.issuer);
  read_checked_string(map, "discovery", key_manager.discovery_url, check_endpoint_url,
                      Presence::optional, context);
  read_checked_string(map, "jwks_uri", key_manager.jwks_uri, check_endpoint_url, Presence::optional,
                      context);
  read_file_path(map, "jwks_file", key_manager.jwks_file, Presence::optional, context);
  if (map.read_string("hmac_secret", key_manager.hmac_secret) &&
      key_manager.hmac_secret.size() < jose::min_hmac_secret) {
    // Not value_error(): it would print the secret.
    context.errors.push_back(
        {map.get("hmac_secret")->location(),
         "'hmac_secret' must be at least " + std::to_string(jose::min_hmac_secret) + " bytes"});
  }
  if (const std::optional<Node> introspection = map.get("introspection")) {
    key_manager.introspection = read_introspection(*introspection, context);
  }
  map.read_string("client_id_claim", key_manager.client_id_claim);
  map.read_string("scope_claim", key_manager.scope_claim);
  map.read_string_list("audiences", key_manager.audiences);
  map.read_duration("leeway", key_manager.leeway);
  map.read_duration("jwks_refetch_interval", key_manager.jwks_refetch_interval);
  map.read_duration("timeout", key_manager.timeout);
  read_file_path(map, "ca_file", key_manager.ca_file, Presence::optional, context);
  map.read_bool("verify_tls", key_manager.verify_tls);
  map.finish();

  const int key_sources = !key_manager.discovery_url.empty() + !key_manager.jwks_uri.empty() +
                          !key_manager.jwks_file.empty();
  if (key_sources > 1) {
    context.errors.push_back(
        {key_manager.location, "key manager '" + key_manager.name +
                                   "': write only one of 'discovery', 'jwks_uri' and 'jwks_file'"});
  }
  if (key_manager.issuer.empty() && key_manager.discovery_url.empty()) {
    context.errors.push_back(
        {key_manager.location, "key manager '" + key_manager.name +
                                   "' needs 'issuer' (or 'discovery', which names the issuer)"});
  }
  if (key_sources == 0 && key_manager.hmac_secret.empty() && !key_manager.introspection) {
    context.errors.push_back(
        {key_manager.location,
         "key manager '" + key_manager.name +
             "' cannot validate anything: give 'discovery', 'jwks_uri', 'jwks_file', "
             "'hmac_secret' or 'introspection'"});
  }
  return key_manager;
}

}  // namespace

std::vector<KeyManagerConfig> read_key_managers(const Node& list, ReadContext& context) {
  std::vector<KeyManagerConfig> key_managers;
  const std::optional<std::vector<Node>> items = read_list(list, "key_managers", context.errors);
  if (!items) return key_managers;
  FirstSeen names;
  FirstSeen issuers;
  for (const Node& item : *items) {
    KeyManagerConfig key_manager = read_key_manager(item, context);
    const size_t index = key_managers.size();
    const auto same_name =
        key_manager.name.empty() ? std::nullopt : names.first(key_manager.name, index);
    if (same_name) {
      context.errors.push_back(
          {key_manager.location, "key manager '" + key_manager.name + "' is already defined at " +
                                     line_of(key_managers[*same_name].location)});
    } else if (!key_manager.issuer.empty()) {
      if (const auto first = issuers.first(key_manager.issuer, index)) {
        context.errors.push_back({key_manager.location, "issuer '" + key_manager.issuer +
                                                            "' already belongs to key manager '" +
                                                            key_managers[*first].name + "'"});
      }
    }
    key_managers.push_back(std::move(key_manager));
  }
  return key_managers;
}

}  // namespace gatehouse::config
