// The security part of the configuration as written: the key managers that issue tokens, the
// applications and subscriptions that say who may call what, the Basic Auth users, the gateway's
// own signing key, and each API's choice of schemes. Plain data with its defaults, like model.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/location.h"
#include "security/identity/records.h"

namespace gatehouse::config {

// RFC 7662 introspection of opaque tokens at the key manager that issued them.
struct IntrospectionConfig {
  std::string url;
  std::string client_id;  // the gateway's credentials at the key manager (HTTP Basic)
  std::string client_secret;
};

// An issuer of access tokens. Its JWTs are verified locally with its keys (a JWKS URI, found
// through OIDC discovery, or a file); its opaque tokens by introspection.
struct KeyManagerConfig {
  std::string name;
  std::string issuer;         // the `iss` its tokens carry; selects this key manager
  std::string discovery_url;  // .../.well-known/openid-configuration; yields jwks_uri, issuer
  std::string jwks_uri;
  std::string jwks_file;    // keys given locally (no fetching)
  std::string hmac_secret;  // enables HS256/384/512 for this issuer; otherwise refused
  std::optional<IntrospectionConfig> introspection;
  std::string client_id_claim = "client_id";  // WSO2 key managers: azp; Okta: cid
  std::string scope_claim = "scope";          // Azure AD: scp
  std::vector<std::string> audiences;         // empty: `aud` is not checked
  std::chrono::milliseconds leeway{30'000};   // clock skew allowed on exp and nbf
  // A token with an unknown `kid` fetches the JWKS again, at most this often.
  std::chrono::milliseconds jwks_refetch_interval{10'000};
  std::chrono::milliseconds timeout{5'000};  // JWKS, discovery and introspection calls
  std::string ca_file;                       // empty: the system trust store
  bool verify_tls = true;
  // The built-in key manager (`oauth2_server`): its keys are given in memory by the process,
  // never read or fetched. Not written in the file: the loader adds this key manager.
  bool resident = false;
  Location location;
};

// Applications, subscriptions and users are the identity stores' own records
// (security/identity/records.h); the config adds where each was written, for its errors.
struct ApplicationConfig {
  identity::Application record;  // tier defaults to "Unlimited"
  Location location;
  std::vector<Location> key_locations;  // one per record.keys entry
};

struct SubscriptionConfig {
  identity::Subscription record;  // tier defaults to "Unlimited"
  Location location;
};

struct UserConfig {
  identity::User record;
  Location location;
};

// Where API keys (JWTs signed with the gateway's key) are looked for in a request.
struct ApiKeyConfig {
  std::string header = "apikey";
  std::string query_param = "apikey";
};

struct TokenCacheConfig {
  uint32_t entries = 10'000;                   // validated tokens kept per worker
  std::chrono::milliseconds max_ttl{900'000};  // even if the token lives longer
};

struct SecurityConfig {
  std::string signing_key_file;  // PEM; signs API keys and backend JWTs
  Location signing_key_location;
  ApiKeyConfig api_keys;
  TokenCacheConfig token_cache;
  std::vector<KeyManagerConfig> key_managers;
  std::vector<ApplicationConfig> applications;
  std::vector<SubscriptionConfig> subscriptions;
  std::vector<UserConfig> users;
  std::vector<std::pair<std::string, std::vector<std::string>>> role_scopes;  // role → scopes
};

// ---- Per API.

enum class Scheme { oauth2, api_key, basic_auth, mutual_tls };

struct MutualTlsConfig {
  std::string ca_file;                    // client certificates issued by these CAs
  std::vector<std::string> certificates;  // or exactly these certificates (PEM files)
  // Behind a TLS-terminating load balancer: the client certificate, URL-encoded PEM, in this
  // header, believed only from these addresses.
  std::string header = "X-WSO2-CLIENT-CERTIFICATE";
  std::vector<std::string> trusted_proxies;  // IPs or CIDRs; empty: the header is ignored
};

struct ApiSecurityConfig {
  std::vector<Scheme> schemes;
  // WSO2's two groups: the application schemes (oauth2, api_key, basic_auth), any one of which
  // satisfies the group, and mutual TLS. A mandatory group must be satisfied; if neither is
  // mandatory, either one admits the request.
  bool application_mandatory = true;
  bool mutual_tls_mandatory = false;
  std::vector<std::string> key_managers;  // whose tokens are accepted; empty: all
  MutualTlsConfig mutual_tls;
};

// A signed JWT about the caller, passed to the backend.
struct BackendJwtConfig {
  std::string header = "X-JWT-Assertion";
  std::vector<std::string> claims;  // copied from the caller's token when present
  std::string audience;             // the aud claim; empty: none (as WSO2 writes it)
  std::chrono::milliseconds ttl{900'000};
  bool keep_authorization = false;  // forward the caller's Authorization header
};

}  // namespace gatehouse::config
