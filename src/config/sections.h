// The readers of each part of the config file, used by the loader. Each reads one YAML node into
// its part of the model, checks the rules of that part, appends an error for every problem and
// returns what it could read, so that the loader reports all errors of a file at once.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/error.h"
#include "config/model.h"
#include "config/node.h"
#include "config/node_reader.h"

namespace gatehouse::config {

struct ReadContext {
  ConfigErrors& errors;
  // Relative file paths in the config are relative to the directory of the config file.
  std::filesystem::path config_dir;

  std::string resolve_path(const std::string& path) const;
};

std::vector<ListenerConfig> read_listeners(const Node& list, ReadContext& context);
net::TlsServerConfig read_tls(const Node& map, ReadContext& context);
// Appends to `warnings` what is allowed but probably not meant.
AdminConfig read_admin(const Node& map, ReadContext& context, std::vector<ConfigError>& warnings);
LimitsConfig read_limits(const Node& map, ReadContext& context);
AccessLogConfig read_access_log(const Node& map, ReadContext& context);
std::vector<ApiConfig> read_apis(const Node& list, ReadContext& context);
EndpointsConfig read_endpoints(const Node& map, ReadContext& context);
std::vector<ResourceConfig> read_resources(const Node& list, ReadContext& context);
// At most `max_policies` policies per API and per resource.
inline constexpr size_t max_policies = 64;
std::vector<PolicyConfig> read_policies(const Node& list, ReadContext& context);
ApiSecurityConfig read_api_security(const Node& map, ReadContext& context);
BackendJwtConfig read_backend_jwt(const Node& map, ReadContext& context);
std::vector<KeyManagerConfig> read_key_managers(const Node& list, ReadContext& context);
std::vector<ApplicationConfig> read_applications(const Node& list, ReadContext& context);
std::vector<SubscriptionConfig> read_subscriptions(const Node& list, ReadContext& context);
std::vector<UserConfig> read_users(const Node& list, ReadContext& context);
// The required `password_hash` of a user: an Argon2id or bcrypt hash within the cost bounds
// that verification allows (security/identity/password_hash.h).
bool read_password_hash(MapReader& map, std::string& out, ReadContext& context);
std::vector<std::pair<std::string, std::vector<std::string>>> read_roles(const Node& map,
                                                                         ReadContext& context);
ApiKeyConfig read_api_keys(const Node& map, ReadContext& context);
TokenCacheConfig read_token_cache(const Node& map, ReadContext& context);
// The `throttling` section: the built-in tiers and policies with the config's added or replacing
// them.
ThrottlingConfig read_throttling(const Node& map, ReadContext& context);
// `throttling.cluster`: the Redis the nodes share counts in, and how.
ThrottleCluster read_throttle_cluster(const Node& map, ReadContext& context);
// The `throttling` key of an API or a resource: the name of an API policy, and where it is written.
void read_throttling_policy_name(MapReader& map, std::string& name, Location& location,
                                 ReadContext& context);
// One accepted bearer token: `{sha256: <hex>}` or `{file: <path>}`; its SHA-256 (32 bytes), or
// nullopt after reporting why not. Only the digest is kept.
std::optional<std::string> read_bearer_token(const Node& node, ReadContext& context);

// `oauth2_server`: the built-in key manager and its clients.
OAuth2ServerConfig read_oauth2_server(const Node& map, ReadContext& context);
// `jwks` (a list of JWKs) or `jwks_file` of `map`, for `owner` ("client 'x'", "trusted issuer");
// nullopt, with an error when `presence` is required, when neither is written. Every key must
// be a usable public key: an error at the key for one that is not.
std::optional<PublicKeysConfig> read_public_keys(MapReader& map, std::string_view owner,
                                                 Presence presence, ReadContext& context);
// The certificate (DER) of each key of `keys`, its `x5c`'s first (RFC 7517 section 4.7), for a
// self_signed_tls_client_auth client; an error at the keys for a key without one.
std::vector<std::string> read_x5c_certificates(const PublicKeysConfig& keys, std::string_view owner,
                                               ReadContext& context);
// The `tls_client_auth_*` key of a client that authenticates by tls_client_auth
// (`by_certificate`): exactly one of the five, its value checked (`tls_client_auth_san_ip` an
// address, read into its bytes); for another client, an error at each one written.
std::optional<CertificateNameConfig> read_tls_client_auth_name(MapReader& map, bool by_certificate,
                                                               ReadContext& context);
// With `oauth2_server` present: adds the built-in key manager to `key_managers`, under
// resident_key_manager, so that applications and APIs name it like any other; and checks that
// each client's application exists. Run after every section is read, before
// check_security_references.
void add_resident_key_manager(Config& config, ReadContext& context);
// Names that one security item gives another (a subscription's application and API, an API's
// key managers) must exist; run after every section is read.
void check_security_references(const Config& config, ReadContext& context);
// Every tier and policy named (an application's or subscription's tier, an API's or resource's
// `throttling`, `unauthenticated_tier`) must be of its kind; run after every section is read.
void check_throttling_references(const Config& config, ReadContext& context);

// Reads the string under `key` and checks it with `rule` (one of config/uri_rules.h), reporting
// a broken rule at the value. `out` is assigned only when both succeed.
using StringRule = std::optional<std::string> (*)(std::string_view);
bool read_checked_string(MapReader& map, std::string_view key, std::string& out, StringRule rule,
                         Presence presence, ReadContext& context);

// The one key of `keys` that `map` gives, as the index into `keys` and its value. None is the
// error "missing one of 'a', 'b' or 'c' in <what>" at the map, several "write only one of ... per
// <what>" at the second one written; a key without a value was reported by get().
std::optional<std::pair<size_t, Node>> read_one_of(MapReader& map,
                                                   std::span<const std::string_view> keys,
                                                   std::string_view what, ReadContext& context);

// Reads the file path under `key`, resolved against the config's directory, and checks that the
// file can be read now, so that `gatehouse validate` finds a missing certificate before a start.
bool read_file_path(MapReader& map, std::string_view key, std::string& out, Presence presence,
                    ReadContext& context);

// Where a model item was written, as "line N", for messages about a second, conflicting item.
std::string line_of(const Location& location);

// The first item given under each key, so that a repeat is reported once, naming the first,
// with one hash probe per item: a list of a million copies of one item is checked in linear time
// and gives one error per copy, not one per pair.
class FirstSeen {
 public:
  // The index first given with `key`, or nullopt when `key` is new (`index` is then remembered).
  std::optional<size_t> first(std::string key, size_t index) {
    const auto [entry, inserted] = first_.try_emplace(std::move(key), index);
    if (inserted) return std::nullopt;
    return entry->second;
  }

 private:
  std::unordered_map<std::string, size_t> first_;
};

}  // namespace gatehouse::config
